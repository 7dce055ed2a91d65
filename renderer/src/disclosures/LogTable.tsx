import { ActionIcon, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import type { DisclosureRecordView } from '../../../shared/types';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { When } from '../ui';
import { ShortHash, StatusBadge, fieldLabel, purposeLabel } from './labels';
import { RecordDetail } from './RecordDetail';

type Rec = DisclosureRecordView;
const NOWRAP = { td: { className: 'nowrap' } };
const RIGHT = { th: { ta: 'right' }, td: { ta: 'right' } } as const;

/** Every column but the first (the open/close toggle, which needs the table's state). */
const COLUMNS = [
  column<Rec>('seq', '#', (r) => r.seq, { td: { ff: 'monospace' } }),
  column<Rec>('when', 'When', (r) => <When iso={r.recordedAt} />, NOWRAP),
  column<Rec>('who', 'Who', (r) => r.staffName ?? '—'),
  column<Rec>('workstation', 'Workstation', (r) => r.workstation, { td: { fz: 'xs' } }),
  column<Rec>('recipient', 'Recipient', (r) => r.recipientName ?? '—'),
  column<Rec>('purpose', 'Purpose', (r) => purposeLabel(r.purpose), NOWRAP),
  column<Rec>('accounts', 'Accounts', (r) => r.accountCount, RIGHT),
  column<Rec>('fields', 'Fields', (r) => <FieldCount record={r} />, NOWRAP),
  column<Rec>('rows', 'Rows', (r) => (r.status === 'refused' ? '—' : r.rowCount), RIGHT),
  column<Rec>('file', 'File', (r) => <FileName name={r.fileName} />, {
    td: { ff: 'monospace', fz: 'xs' },
  }),
  column<Rec>('status', 'Status', (r) => <StatusBadge status={r.status} />, NOWRAP),
  column<Rec>('sha256', 'SHA-256', (r) => <ShortHash hash={r.sha256} />, NOWRAP),
];

/** The log's records, each opening onto its detail. */
export function LogTable({
  records,
  filtered,
}: {
  /** Null until the first page arrives. */
  records: Rec[] | null;
  /** Whether a purpose filter is on (it changes the empty sentence). */
  filtered: boolean;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) => {
    const next = new Set(expanded);
    if (next.has(seq)) next.delete(seq);
    else next.add(seq);
    setExpanded(next);
  };
  const toggleColumn = column<Rec>(
    'toggle',
    '',
    (r) => <Toggle seq={r.seq} open={expanded.has(r.seq)} onToggle={() => toggle(r.seq)} />,
    { th: { w: 28 } },
  );
  return (
    <DataTable
      label="Disclosure log"
      data={records ?? []}
      columns={[toggleColumn, ...COLUMNS]}
      getRowId={(r) => String(r.seq)}
      loading={!records}
      empty={
        <Text ta="center" c="dimmed" py="md">
          No records{filtered ? ' for this purpose' : ''}.
        </Text>
      }
      rowProps={(r) => ({
        className: 'expand-row',
        onClick: () => toggle(r.seq),
        'data-seq': String(r.seq),
      })}
      after={(r) => (expanded.has(r.seq) ? <RecordDetail record={r} /> : null)}
      tableProps={{
        striped: false,
        verticalSpacing: 6,
        horizontalSpacing: 8,
        fz: 'sm',
        className: 'log-table',
      }}
    />
  );
}

function Toggle({ seq, open, onToggle }: { seq: number; open: boolean; onToggle(): void }) {
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      size="sm"
      aria-label={open ? `Collapse record ${seq}` : `Expand record ${seq}`}
      aria-expanded={open}
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
    >
      {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
    </ActionIcon>
  );
}

function FieldCount({ record: r }: { record: Rec }) {
  return (
    <Tooltip label={r.fields.map(fieldLabel).join(', ')} multiline maw={420} withArrow>
      <Text span inherit>
        {r.fields.length} field{r.fields.length === 1 ? '' : 's'}
      </Text>
    </Tooltip>
  );
}

function FileName({ name }: { name: string | null }) {
  return (
    <Tooltip label={name} disabled={!name} withArrow openDelay={300}>
      <span className="cell-clip" style={{ maxWidth: 140 }}>
        {name ?? '—'}
      </span>
    </Tooltip>
  );
}
