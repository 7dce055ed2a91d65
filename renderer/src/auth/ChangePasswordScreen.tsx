import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/types';
import { call } from '../api';
import { splitError } from '../forms';
import { AuthLayout } from './AuthLayout';

const FIELDS = ['currentPassword', 'password', 'passwordConfirm'] as const;

export function ChangePasswordScreen({
  session,
  onChanged,
  onSignOut,
}: {
  session: SessionInfo;
  onChanged(session: SessionInfo): void;
  onSignOut(): void;
}) {
  const [values, setValues] = useState({ currentPassword: '', password: '', passwordConfirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (key: keyof typeof values) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      onChanged(await call('auth.changePassword', values));
    } catch (err) {
      const split = splitError(err, FIELDS);
      setErrors(split.fieldErrors);
      setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={`${session.user.displayName}, your administrator set a temporary password. Choose your own before you continue.`}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
              {message}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            value={values.currentPassword}
            onChange={set('currentPassword')}
            error={errors.currentPassword}
            autoComplete="current-password"
            autoFocus
            required
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            value={values.password}
            onChange={set('password')}
            error={errors.password}
            autoComplete="new-password"
            required
          />
          <PasswordInput
            label="Confirm new password"
            value={values.passwordConfirm}
            onChange={set('passwordConfirm')}
            error={errors.passwordConfirm}
            autoComplete="new-password"
            required
          />
          <Group justify="space-between" mt="xs">
            <Button variant="subtle" color="gray" onClick={onSignOut}>
              Sign out
            </Button>
            <Button type="submit" loading={busy}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
