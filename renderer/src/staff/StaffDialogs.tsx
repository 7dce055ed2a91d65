import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
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

/** The add, edit and reset-password dialogs of the staff screen, and the toast each ends with. */
export function StaffDialogs({
  dialog,
  onClose,
  onStale,
}: {
  dialog: StaffDialog;
  onClose(): void;
  onStale(): void;
}) {
  return (
    <>
      <Modal
        opened={dialog?.kind === 'create'}
        onClose={onClose}
        title="Add staff member"
        size="md"
      >
        {dialog?.kind === 'create' && (
          <CreateStaffForm
            onCancel={onClose}
            onCreated={(m) => {
              onClose();
              notifications.show(
                m.pendingGrant
                  ? pendingNotice(m)
                  : {
                      color: 'teal',
                      title: 'Staff member added',
                      message: `${m.displayName} (@${m.username}) must choose a new password at first sign-in.`,
                    },
              );
            }}
          />
        )}
      </Modal>
      <Modal opened={dialog?.kind === 'edit'} onClose={onClose} title="Edit staff member">
        {dialog?.kind === 'edit' && (
          <EditStaffForm
            member={dialog.member}
            onCancel={onClose}
            onSaved={(m) => {
              onClose();
              notifications.show(
                m.pendingGrant
                  ? pendingNotice(m)
                  : { color: 'teal', title: 'Saved', message: `${m.displayName}` },
              );
            }}
            onStale={onStale}
          />
        )}
      </Modal>
      <Modal opened={dialog?.kind === 'reset'} onClose={onClose} title="Reset password">
        {dialog?.kind === 'reset' && (
          <ResetPasswordForm
            member={dialog.member}
            onCancel={onClose}
            onDone={(m) => {
              onClose();
              notifications.show({
                color: 'teal',
                title: 'Password reset',
                message: `${m.displayName} must choose a new password at next sign-in.`,
              });
            }}
          />
        )}
      </Modal>
    </>
  );
}
