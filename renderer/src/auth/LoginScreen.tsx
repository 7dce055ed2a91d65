import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/types';
import { call, isApiError } from '../api';
import { splitError } from '../forms';
import { AuthLayout } from './AuthLayout';

export function LoginScreen({
  notice,
  appVersion,
  onSignedIn,
}: {
  notice?: string | undefined;
  appVersion: string;
  onSignedIn(session: SessionInfo): void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; locked: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      onSignedIn(await call('auth.login', { username, password }));
    } catch (err) {
      setPassword('');
      if (isApiError(err) && err.code === 'LOGIN_LOCKED') {
        setMessage({ text: err.message, locked: true });
      } else if (isApiError(err) && err.code === 'UNAUTHENTICATED') {
        setErrors({ password: err.message });
      } else {
        const split = splitError(err, ['username', 'password']);
        setErrors(split.fieldErrors);
        if (Object.keys(split.fieldErrors).length === 0) {
          setMessage({ text: split.message ?? '', locked: false });
        }
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Customer information is for authorised staff who need it for their work."
      footer={`Custodian ${appVersion}`}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {notice && !message && (
            <Alert color="blue" icon={<IconInfoCircle size={18} />}>
              {notice}
            </Alert>
          )}
          {message && (
            <Alert
              color="red"
              title={message.locked ? 'Staff account locked' : undefined}
              icon={message.locked ? <IconLock size={18} /> : <IconAlertCircle size={18} />}
              role="alert"
            >
              {message.text}
            </Alert>
          )}
          <TextInput
            label="Username"
            value={username}
            onChange={(e) => {
              setUsername(e.currentTarget.value);
              setErrors({});
            }}
            error={errors.username}
            autoComplete="username"
            autoFocus
            required
          />
          <PasswordInput
            label="Password"
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setErrors({});
            }}
            error={errors.password}
            autoComplete="current-password"
            required
          />
          <Button type="submit" loading={busy} mt="xs" fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
