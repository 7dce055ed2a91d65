import { Button, Group, PasswordInput } from '@mantine/core';
import type { SessionInfo } from '../../../shared/types';
import { call } from '../api';
import { AuthForm, NewPasswordFields } from './AuthForm';
import { AuthLayout } from './AuthLayout';
import { useAuthForm } from './useAuthForm';

export function ChangePasswordScreen({
  session,
  onChanged,
  onSignOut,
}: {
  session: SessionInfo;
  onChanged(session: SessionInfo): void;
  onSignOut(): void;
}) {
  const auth = useAuthForm({
    initialValues: { currentPassword: '', password: '', passwordConfirm: '' },
    send: async (values) => onChanged(await call('auth.changePassword', values)),
  });

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={`${session.user.displayName}, your administrator set a temporary password. Choose your own before you continue.`}
    >
      <AuthForm auth={auth}>
        <PasswordInput
          label="Current password"
          {...auth.form.getInputProps('currentPassword')}
          autoComplete="current-password"
          autoFocus
          required
        />
        <NewPasswordFields
          form={auth.form}
          label="New password"
          description="At least 12 characters."
        />
        <Group justify="space-between" mt="xs">
          <Button variant="subtle" color="gray" onClick={onSignOut}>
            Sign out
          </Button>
          <Button type="submit" loading={auth.busy}>
            Change password
          </Button>
        </Group>
      </AuthForm>
    </AuthLayout>
  );
}
