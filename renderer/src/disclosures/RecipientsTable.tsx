import { Badge, Button, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { RECIPIENT_TYPE_LABELS } from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { formatTimestamp } from '../format';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';

const COLUMNS = [
  column<Recipient>('name', 'Name', (r) => r.name, { td: { fw: 500 } }),
  column<Recipient>('type', 'Type', (r) => RECIPIENT_TYPE_LABELS[r.type]),
  column<Recipient>('contact', 'Address and contact', (r) => r.contact, {
    td: { maw: 340, style: { whiteSpace: 'pre-wrap' } },
  }),
  column<Recipient>('reference', 'Reference', (r) => r.reference ?? '—', {
    td: { ff: 'monospace', className: 'nowrap' },
  }),
  column<Recipient>('registered', 'Registered', (r) => formatTimestamp(r.createdAt)),
  column<Recipient>(
    'status',
    'Status',
    (r) => (
      <Badge color={r.active ? 'teal' : 'gray'} variant="light" radius="sm">
        {r.active ? 'Active' : 'Deactivated'}
      </Badge>
    ),
    { th: { w: 130 }, td: { className: 'nowrap' } },
  ),
];

/** The recipients, with a deactivate or reactivate button each for those who manage them. */
export function RecipientsTable({
  recipients,
  loading,
  busyId,
  onSetActive,
}: {
  recipients: Recipient[] | undefined;
  loading: boolean;
  busyId: string | null;
  /** Null for a role that only reads the list. */
  onSetActive: ((r: Recipient, active: boolean) => void) | null;
}) {
  const actions =
    onSetActive &&
    column<Recipient>(
      'actions',
      'Actions',
      (r) => (
        <Button
          size="compact-sm"
          variant="light"
          color={r.active ? 'red' : 'teal'}
          loading={busyId === r.id}
          leftSection={r.active ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />}
          onClick={() => onSetActive(r, !r.active)}
          aria-label={`${r.active ? 'Deactivate' : 'Reactivate'} ${r.name}`}
        >
          {r.active ? 'Deactivate' : 'Reactivate'}
        </Button>
      ),
      { th: { ta: 'right' }, td: { ta: 'right' } },
    );
  return (
    <DataTable
      label="Recipients"
      data={recipients ?? []}
      columns={actions ? [...COLUMNS, actions] : COLUMNS}
      getRowId={(r) => r.id}
      loading={loading && !recipients}
      empty={
        recipients && (
          <Text ta="center" c="dimmed" py="md">
            No recipients yet. Register one before disclosing anything.
          </Text>
        )
      }
      rowProps={(r) => ({ 'data-inactive': r.active ? undefined : '' })}
      tableProps={{ striped: true, highlightOnHover: false, verticalSpacing: 'sm' }}
    />
  );
}
