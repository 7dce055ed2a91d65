import { PasswordInput, Text } from '@mantine/core';
import { useState } from 'react';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';

export function ResetPasswordForm({
  member,
  onCancel,
  onDone,
}: {
  member: StaffSummary;
  onCancel(): void;
  onDone(member: StaffSummary): void;
}) {
  const [password, setPassword] = useState('');
  const reset = useAction('staff.resetPassword', { fields: ['temporaryPassword'] });

  async function submit() {
    const done = await reset.run({ id: member.id, temporaryPassword: password });
    if (done) onDone(done);
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Reset password"
      submitColor="orange"
      busy={reset.busy}
      error={reset.unplaced}
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
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={reset.fieldErrors.temporaryPassword}
        autoComplete="new-password"
        data-autofocus
      />
    </DialogForm>
  );
}
