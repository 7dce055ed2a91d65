import { PasswordInput, Text } from '@mantine/core';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useActionForm } from '../data';

export function ResetPasswordForm({
  member,
  onCancel,
  onDone,
}: {
  member: StaffSummary;
  onCancel(): void;
  onDone(member: StaffSummary): void;
}) {
  const reset = useActionForm('staff.resetPassword', {
    initialValues: { temporaryPassword: '' },
    toInput: ({ temporaryPassword }) => ({ id: member.id, temporaryPassword }),
    onDone,
  });

  return (
    <DialogForm
      {...reset.frame}
      onCancel={onCancel}
      submitLabel="Reset password"
      submitColor="orange"
      intro={
        <Text size="sm">
          A new temporary password for <b>{member.displayName}</b> (@{member.username}). This signs
          them out everywhere and clears a sign-in lockout; they must choose their own password at
          next sign-in.
        </Text>
      }
    >
      <PasswordInput
        label="Temporary password"
        description="12 characters or more."
        {...reset.field('temporaryPassword')}
        autoComplete="new-password"
        data-autofocus
      />
    </DialogForm>
  );
}
