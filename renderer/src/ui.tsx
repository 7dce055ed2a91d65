/** Small layout pieces shared by the console's screens. */
import {
  Alert,
  Group,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ExportFormat } from '../../shared/disclosure';
import { formatTimestamp } from './format';

export function ScreenHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap">
      <div>
        <Title order={2} fz="h3">
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </div>
      {actions && (
        <Group gap="sm" wrap="nowrap">
          {actions}
        </Group>
      )}
    </Group>
  );
}

export function ErrorAlert({ children, title }: { children: ReactNode; title?: string }) {
  if (!children) return null;
  return (
    <Alert
      color="red"
      icon={<IconAlertCircle size={18} />}
      role="alert"
      title={title}
      // A message may quote a fingerprint, a path or an address: wrap it anywhere.
      style={{ overflowWrap: 'anywhere' }}
    >
      {children}
    </Alert>
  );
}

/** Format and file name of something written to the export folder. */
export function FileFields({
  format,
  onFormat,
  fileName,
  onFileName,
  error,
  formats = ['csv', 'json'],
}: {
  format: ExportFormat;
  onFormat(format: ExportFormat): void;
  fileName: string;
  onFileName(name: string): void;
  error?: string | null | undefined;
  formats?: readonly ExportFormat[];
}) {
  return (
    <Stack gap="sm">
      {formats.length > 1 && (
        <div>
          <Text size="sm" fw={500} mb={4} id="format-label">
            Format
          </Text>
          <SegmentedControl
            aria-labelledby="format-label"
            value={format}
            onChange={(v) => onFormat(v as ExportFormat)}
            data={formats.map((f) => ({ value: f, label: f.toUpperCase() }))}
          />
        </div>
      )}
      <TextInput
        label="File name"
        description="Written to the export folder on this workstation. A plain name; an existing file is never overwritten."
        value={fileName}
        onChange={(e) => onFileName(e.currentTarget.value)}
        error={error}
        spellCheck={false}
        autoComplete="off"
        maxLength={160}
      />
    </Stack>
  );
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** Date over time, compact for a wide table; the full timestamp on hover. */
export function When({ iso }: { iso: string }) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <>{iso}</>;
  return (
    <Tooltip label={formatTimestamp(iso)} withArrow openDelay={300}>
      <div>
        <Text size="sm" lh={1.3}>
          {dateOnly.format(d)}
        </Text>
        <Text size="xs" c="dimmed" lh={1.3}>
          {timeOnly.format(d)}
        </Text>
      </div>
    </Tooltip>
  );
}

/** A main line with a dimmed second line under it (a name and its username, a host and its IP). */
export function TwoLines({ main, sub }: { main: ReactNode; sub?: ReactNode }) {
  return (
    <div>
      <Text size="sm" lh={1.3}>
        {main}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed" lh={1.3}>
          {sub}
        </Text>
      )}
    </div>
  );
}
