import { Modal } from '@mantine/core';
import { notifications, type NotificationData } from '@mantine/notifications';
import type { StaffSummary } from '../../../shared/types';
import { CreateStaffForm } from './CreateStaffForm';
import { EditStaffForm } from './EditStaffForm';
import { pendingNotice } from './notices';
import { ResetPasswordForm } from './ResetPasswordForm';

export type StaffDialog =
  | { kind: 'create' }
  | { kind: 'edit'; member: StaffSummary }
  | { kind: 'reset'; member: StaffSummary }
  | null;

const TITLES = {
  create: 'Add staff member',
  edit: 'Edit staff member',
  reset: 'Reset password',
} as const;

/**
 * One dialog for adding a staff member, editing one and resetting a password, and the toast
 * each ends with.
 */
export function StaffDialogs({
  dialog,
  onClose,
  onStale,
}: {
  dialog: StaffDialog;
  onClose(): void;
  onStale(): void;
}) {
  const done = (notice: NotificationData) => {
    onClose();
    notifications.show(notice);
  };
  return (
    <Modal opened={dialog !== null} onClose={onClose} title={dialog ? TITLES[dialog.kind] : null}>
      {dialog?.kind === 'create' && (
        <CreateStaffForm
          onCancel={onClose}
          onCreated={(m) =>
            done(
              m.pendingGrant
                ? pendingNotice(m)
                : {
                    color: 'teal',
                    title: 'Staff member added',
                    message: `${m.displayName} (@${m.username}) must choose a new password at first sign-in.`,
                  },
            )
          }
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditStaffForm
          member={dialog.member}
          onCancel={onClose}
          onSaved={(m) =>
            done(
              m.pendingGrant
                ? pendingNotice(m)
                : { color: 'teal', title: 'Saved', message: `${m.displayName}` },
            )
          }
          onStale={onStale}
        />
      )}
      {dialog?.kind === 'reset' && (
        <ResetPasswordForm
          member={dialog.member}
          onCancel={onClose}
          onDone={(m) =>
            done({
              color: 'teal',
              title: 'Password reset',
              message: `${m.displayName} must choose a new password at next sign-in.`,
            })
          }
        />
      )}
    </Modal>
  );
}
