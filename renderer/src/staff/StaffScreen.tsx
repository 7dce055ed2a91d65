import { Button, Paper } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUserPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { StaffSummary } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { pendingNotice } from './notices';
import { StaffDialogs, type StaffDialog } from './StaffDialogs';
import { StaffTable } from './StaffTable';

/** Administrators: who may sign in, with which role. */
export function StaffScreen() {
  const { session } = useSession();
  const staff = useChannel('staff.list', {});
  const [dialog, setDialog] = useState<StaffDialog>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const { reload } = staff;
  const toggle = useAction('staff.update', {
    fields: ['active', 'role'],
    onRefused: (err, input) => {
      const fields = err.fieldErrors ?? {};
      setRowError({
        id: input.id,
        message: [err.message, fields.active, fields.role].filter(Boolean).join(' '),
      });
      if (err.code === 'CONFLICT') reload();
    },
  });

  const { run } = toggle;
  const setActive = useCallback(
    async (member: StaffSummary) => {
      const active = !member.active;
      setRowError(null);
      const next = await run({ id: member.id, version: member.version, active });
      if (!next) return;
      notifications.show(
        active && !next.active
          ? pendingNotice(next)
          : {
              color: 'teal',
              title: active ? 'Reactivated' : 'Deactivated',
              message: active
                ? `${next.displayName} may sign in again.`
                : `${next.displayName} is signed out and can no longer sign in.`,
            },
      );
    },
    [run],
  );
  const onEdit = useCallback((member: StaffSummary) => setDialog({ kind: 'edit', member }), []);
  const onReset = useCallback((member: StaffSummary) => setDialog({ kind: 'reset', member }), []);
  const onToggle = useCallback((member: StaffSummary) => void setActive(member), [setActive]);

  return (
    <Screen
      title="Staff"
      description="Who may sign in to Custodian and with which role. A role decides which customer fields a person sees."
      actions={
        <Button
          leftSection={<IconUserPlus size={16} />}
          onClick={() => setDialog({ kind: 'create' })}
        >
          Add staff
        </Button>
      }
    >
      <ErrorAlert>{staff.error}</ErrorAlert>
      <Paper withBorder>
        <StaffTable
          staff={staff.data ?? []}
          loading={staff.loading}
          meId={session.user.id}
          busyId={toggle.busy ? (toggle.mutation.variables?.id ?? null) : null}
          rowError={rowError}
          onCloseRowError={() => setRowError(null)}
          onEdit={onEdit}
          onReset={onReset}
          onToggleActive={onToggle}
        />
      </Paper>
      <StaffDialogs dialog={dialog} onClose={() => setDialog(null)} onStale={reload} />
    </Screen>
  );
}
