/** Shared vocabulary and small pieces of the disclosure screens. */
import { ActionIcon, Badge, Code, CopyButton, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { FIELD_BY_KEY, isFieldKey } from '../../../shared/catalogue';
import {
  PURPOSE_LABELS,
  RECIPIENT_TYPE_LABELS,
  type ExportFormat,
  type LoggedPurpose,
  type RecipientType,
} from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';

export function purposeLabel(purpose: LoggedPurpose): string {
  return PURPOSE_LABELS[purpose];
}

export function recipientTypeLabel(type: RecipientType | null): string {
  return type ? RECIPIENT_TYPE_LABELS[type] : '—';
}

export function fieldLabel(key: string): string {
  return isFieldKey(key) ? FIELD_BY_KEY[key].label : key;
}

export const STATUS_COLORS: Record<DisclosureRecordView['status'], string> = {
  completed: 'teal',
  refused: 'red',
  incomplete: 'yellow',
  abandoned: 'gray',
};

export const STATUS_LABELS: Record<DisclosureRecordView['status'], string> = {
  completed: 'Completed',
  refused: 'Refused',
  incomplete: 'Incomplete',
  abandoned: 'Abandoned',
};

export function StatusBadge({ status }: { status: DisclosureRecordView['status'] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** A default file name: what, today's date and time, and the format's extension. */
export function suggestFileName(what: string, format: ExportFormat): string {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return `${what}-${stamp}.${format}`;
}

/** Keeps a file name's extension in step with the chosen format. */
export function withExtension(name: string, format: ExportFormat): string {
  const base = name.replace(/\.(csv|json)$/i, '');
  return `${base}.${format}`;
}

/** A SHA-256 shortened to its first characters, with the whole value on hover and a copy button. */
export function ShortHash({ hash, full }: { hash: string | null; full?: boolean }) {
  if (!hash) {
    return (
      <Text span c="dimmed" inherit>
        —
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="nowrap" component="span">
      <Tooltip label={hash} withArrow openDelay={200} maw={560} multiline>
        <Code fz="xs" data-testid="sha256">
          {full ? hash : `${hash.slice(0, 10)}…`}
        </Code>
      </Tooltip>
      <CopyButton value={hash} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy SHA-256'} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              size="sm"
              onClick={(e) => {
                e.stopPropagation();
                copy();
              }}
              aria-label="Copy SHA-256"
            >
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** What a written file is: its name, rows and hash, as a two-column table. */
export function FileFacts({ record }: { record: DisclosureRecordView }) {
  return (
    <Table variant="vertical" withTableBorder layout="fixed" fz="sm" data-testid="file-facts">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={160}>File</Table.Th>
          <Table.Td ff="monospace">{record.fileName ?? '—'}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>Rows</Table.Th>
          <Table.Td data-testid="row-count">{record.rowCount}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>SHA-256</Table.Th>
          <Table.Td>
            <ShortHash hash={record.sha256} full />
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>Log record</Table.Th>
          <Table.Td>#{record.seq}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}
