/** What the bulk-marking form shows besides its fields: the preview, the progress, the result. */
import {
  Alert,
  Button,
  Group,
  List,
  Loader,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { STANDINGS, type Standing } from '../../../shared/catalogue';
import { STANDING_LABELS } from '../format';
import type { BulkPreview } from '../../../shared/types';
import type { JobProgress } from '../jobs';
import { ErrorAlert } from '../ui';

/** Which accounts, when marking by filter: a standing and a floor of days past due. */
export function BulkFilterFields({
  standing,
  onStanding,
  minDays,
  onMinDays,
  disabled,
}: {
  standing: Standing;
  onStanding(next: Standing): void;
  minDays: number | string;
  onMinDays(next: number | string): void;
  disabled: boolean;
}) {
  return (
    <SimpleGrid cols={2}>
      <Select
        label="Accounts now in"
        data={STANDINGS.map((s) => ({ value: s, label: STANDING_LABELS[s] }))}
        value={standing}
        onChange={(v) => v && onStanding(v)}
        allowDeselect={false}
        disabled={disabled}
      />
      <NumberInput
        label="At least this many days past due"
        description="91 selects accounts past due more than 90 days."
        value={minDays}
        onChange={onMinDays}
        min={0}
        max={100_000}
        allowDecimal={false}
        allowNegative={false}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}

export function BulkPreviewPanel({
  to,
  preview,
  previewing,
  error,
  toLabel,
  advice,
}: {
  to: Standing | null;
  preview: BulkPreview | null;
  previewing: boolean;
  error: string | null;
  toLabel: string;
  advice: string;
}) {
  return (
    <div aria-live="polite" data-testid="bulk-preview">
      {!to ? (
        <Text size="sm" c="dimmed">
          Choose the new standing to see what would change.
        </Text>
      ) : error ? (
        <ErrorAlert>{error}</ErrorAlert>
      ) : !preview || previewing ? (
        <Group gap="xs">
          <Loader size={14} />
          <Text size="sm" c="dimmed">
            Checking each account against the workflow…
          </Text>
        </Group>
      ) : (
        <PreviewSummary preview={preview} toLabel={toLabel} advice={advice} />
      )}
    </div>
  );
}

function PreviewSummary({
  preview,
  toLabel,
  advice,
}: {
  preview: BulkPreview;
  toLabel: string;
  advice: string;
}) {
  if (preview.selected === 0) {
    return (
      <Text size="sm" c="dimmed">
        No account matches.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm">
        <b>{preview.selected}</b> selected · <b>{preview.changing}</b> would change to {toLabel} ·{' '}
        <b>{preview.refused}</b> refused
      </Text>
      {preview.refused > 0 && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle size={18} />}
          title="Marking is all-or-nothing"
        >
          <Text size="sm">Nothing is changed while any account is refused. {advice}</Text>
          <List size="sm" spacing={2} withPadding mt={4}>
            {preview.reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
          {preview.refused > preview.reasons.length && (
            <Text size="xs" c="dimmed" mt={4}>
              and {preview.refused - preview.reasons.length} more.
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}

export function BulkProgress({ progress }: { progress: JobProgress }) {
  const percent = progress.total > 0 ? (progress.done / progress.total) * 100 : 0;
  return (
    <Stack gap={4}>
      <Progress value={percent} size="lg" animated aria-label="Progress" />
      <Text size="xs" c="dimmed" data-testid="bulk-progress">
        {progress.done} of {progress.total} accounts
      </Text>
    </Stack>
  );
}

export function BulkResult({
  summary,
  changed,
  total,
  toLabel,
  onClose,
}: {
  summary: string;
  changed: number;
  total: number;
  toLabel: string;
  onClose(): void;
}) {
  return (
    <Stack gap="md" data-testid="bulk-result">
      <Text size="sm">{summary}</Text>
      <Stack gap={4}>
        <Progress value={100} color="teal" size="lg" aria-label="Progress" />
        <Text size="xs" c="dimmed">
          {changed} of {total} accounts · finished
        </Text>
      </Stack>
      <Alert color="teal" icon={<IconCircleCheck size={20} />} title="Standing changed">
        <Text size="sm">
          {changed === 1 ? '1 account is' : `${changed} accounts are`} now {toLabel}. Each change is
          recorded in the account&apos;s standing timeline with your name and the reason.
        </Text>
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
