import { Badge, Text, Tooltip } from '@mantine/core';
import type { AccessLogEntry } from '../../../shared/types';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { TwoLines, When } from '../ui';
import { ACTION_LABELS, StaffCell, queryKindLabel } from './labels';

const nowrap = { td: { className: 'nowrap' } };

const COLUMNS = [
  column<AccessLogEntry>('at', 'When', (e) => <When iso={e.at} />, nowrap),
  column<AccessLogEntry>('staff', 'Staff', (e) => <StaffCell text={e.staff} />, nowrap),
  column<AccessLogEntry>(
    'workstation',
    'Workstation',
    (e) => <TwoLines main={e.hostname} sub={e.ip} />,
    nowrap,
  ),
  column<AccessLogEntry>('os', 'OS and app version', (e) => (
    <Tooltip label={e.os} withArrow openDelay={300}>
      <div>
        <TwoLines
          main={
            <span className="cell-clip" style={{ maxWidth: 160 }}>
              {e.os}
            </span>
          }
          sub={`Custodian ${e.appVersion}`}
        />
      </div>
    </Tooltip>
  )),
  column<AccessLogEntry>(
    'action',
    'Action',
    (e) => (
      <Badge variant="light" color="gray" radius="sm" tt="none">
        {ACTION_LABELS[e.action] ?? e.action}
      </Badge>
    ),
    nowrap,
  ),
  column<AccessLogEntry>(
    'screen',
    'Screen',
    (e) => (
      <span className="cell-clip" style={{ maxWidth: 170 }}>
        {e.screen}
      </span>
    ),
    { td: { ff: 'monospace', fz: 'xs' } },
  ),
  column<AccessLogEntry>('queryKind', 'Query kind', (e) => queryKindLabel(e.queryKind), nowrap),
  column<AccessLogEntry>('records', 'Records', (e) => e.resultCount, {
    th: { ta: 'right' },
    td: { ta: 'right' },
  }),
];

export function AccessLogTable({ entries }: { entries: readonly AccessLogEntry[] | undefined }) {
  return (
    <DataTable
      label="Access log"
      data={entries ?? []}
      columns={COLUMNS}
      getRowId={(e) => e.id}
      loading={!entries}
      empty={
        <Text ta="center" c="dimmed" py="md">
          Nothing logged for this filter.
        </Text>
      }
      rowProps={(e) => ({ 'data-action': e.action })}
      tableProps={{
        verticalSpacing: 6,
        horizontalSpacing: 'sm',
        fz: 'sm',
        striped: true,
        highlightOnHover: false,
        className: 'log-table',
      }}
    />
  );
}
