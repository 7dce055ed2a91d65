import { Alert, Badge, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMemo } from 'react';
import { ROLE_LABELS } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { formatTimestamp } from '../format';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { StaffActions } from './StaffActions';
import { StatusBadges } from './StatusBadges';

const dash = (
  <Text span size="sm" c="dimmed">
    —
  </Text>
);

export function StaffTable({
  staff,
  loading,
  meId,
  busyId,
  rowError,
  onCloseRowError,
  onEdit,
  onReset,
  onToggleActive,
}: {
  staff: readonly StaffSummary[];
  loading: boolean;
  meId: string;
  busyId: string | null;
  /** A refusal about one row (e.g. the last administrator), shown under that row. */
  rowError: { id: string; message: string } | null;
  onCloseRowError(): void;
  onEdit(m: StaffSummary): void;
  onReset(m: StaffSummary): void;
  onToggleActive(m: StaffSummary): void;
}) {
  const columns = useMemo(
    () => [
      column<StaffSummary>(
        'name',
        'Name',
        (m) => (
          <>
            {m.displayName}
            {m.id === meId && (
              <Text span c="dimmed" size="xs" ml={6}>
                (you)
              </Text>
            )}
          </>
        ),
        { td: { fw: 500 } },
      ),
      column<StaffSummary>('username', 'Username', (m) => m.username, { td: { ff: 'monospace' } }),
      column<StaffSummary>('role', 'Role', (m) => ROLE_LABELS[m.role]),
      column<StaffSummary>('status', 'Status', (m) => <StatusBadges member={m} />),
      column<StaffSummary>('password', 'Password', (m) =>
        m.mustChangePassword ? (
          <Badge color="yellow" variant="light" radius="sm">
            Must change
          </Badge>
        ) : (
          <Text span size="sm" c="dimmed">
            Set by them
          </Text>
        ),
      ),
      column<StaffSummary>('locked', 'Locked until', (m) =>
        m.lockedUntil ? (
          <Badge color="red" variant="light" radius="sm">
            {formatTimestamp(m.lockedUntil)}
          </Badge>
        ) : (
          dash
        ),
      ),
      column<StaffSummary>(
        'actions',
        'Actions',
        (m) => (
          <StaffActions
            member={m}
            busy={busyId === m.id}
            onEdit={() => onEdit(m)}
            onReset={() => onReset(m)}
            onToggleActive={() => onToggleActive(m)}
          />
        ),
        { th: { ta: 'right' } },
      ),
    ],
    [meId, busyId, onEdit, onReset, onToggleActive],
  );
  return (
    <DataTable
      label="Staff"
      data={staff}
      columns={columns}
      getRowId={(m) => m.id}
      loading={loading}
      rowProps={(m) => ({ 'data-staff': m.username, 'data-inactive': m.active ? undefined : '' })}
      after={(m) =>
        rowError?.id === m.id && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={16} />}
            role="alert"
            withCloseButton
            onClose={onCloseRowError}
            py={8}
          >
            {rowError.message}
          </Alert>
        )
      }
    />
  );
}
