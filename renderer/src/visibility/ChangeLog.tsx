import { Group, Paper, Skeleton, Text } from '@mantine/core';
import type { FieldAccessChange } from '../../../shared/types';
import { formatTimestamp } from '../format';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { AccessBadge } from './AccessBadge';

const COLUMNS = [
  column<FieldAccessChange>('at', 'When', (c) => formatTimestamp(c.changedAt), { th: { w: 170 } }),
  column<FieldAccessChange>('who', 'Who', (c) => c.changedBy),
  column<FieldAccessChange>('role', 'Role', (c) => c.roleLabel),
  column<FieldAccessChange>('field', 'Field', (c) => c.fieldLabel),
  column<FieldAccessChange>('change', 'Change', (c) => (
    <Group gap={6} wrap="nowrap">
      <AccessBadge access={c.oldAccess} />
      <Text span c="dimmed">
        →
      </Text>
      <AccessBadge access={c.newAccess} />
    </Group>
  )),
  column<FieldAccessChange>('reason', 'Reason', (c) => c.reason, {
    td: { style: { whiteSpace: 'pre-wrap' } },
  }),
];

/** Every change of the matrix, with who made it and why. */
export function ChangeLog({
  entries,
  loading,
}: {
  entries: FieldAccessChange[] | undefined;
  loading: boolean;
}) {
  if (!entries) return loading ? <Skeleton h={200} /> : null;
  if (entries.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={500}>No changes yet</Text>
        <Text size="sm" c="dimmed">
          The matrix is as shipped.
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder>
      <DataTable
        label="Access matrix changes"
        data={entries}
        columns={COLUMNS}
        getRowId={(c) => c.id}
        tableProps={{ highlightOnHover: false }}
      />
    </Paper>
  );
}
