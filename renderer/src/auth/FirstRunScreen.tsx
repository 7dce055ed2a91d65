import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/types';
import { call, isApiError } from '../api';
import { splitError } from '../forms';
import { AuthLayout } from './AuthLayout';

const FIELDS = ['displayName', 'username', 'password', 'passwordConfirm'] as const;

export function FirstRunScreen({
  onCreated,
  onAlreadyInitialised,
}: {
  onCreated(session: SessionInfo): void;
  onAlreadyInitialised(message: string): void;
}) {
  const [values, setValues] = useState({
    displayName: '',
    username: '',
    password: '',
    passwordConfirm: '',
  });
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
      onCreated(await call('setup.createFirstAdmin', values));
    } catch (err) {
      if (isApiError(err) && err.code === 'ALREADY_INITIALISED') {
        onAlreadyInitialised(err.message);
        return;
      }
      const split = splitError(err, FIELDS);
      setErrors(split.fieldErrors);
      setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Set up Custodian"
      subtitle="No staff account exists yet. Create the first administrator: this person then adds the rest of the staff."
      footer="The password is stored only as a salted hash. Choose at least 12 characters."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
              {message}
            </Alert>
          )}
          <TextInput
            label="Display name"
            description="How colleagues see you in the console and the audit trail."
            value={values.displayName}
            onChange={set('displayName')}
            error={errors.displayName}
            autoComplete="name"
            required
            data-autofocus
            autoFocus
          />
          <TextInput
            label="Username"
            description="3 to 32 characters: letters, digits, dot, dash or underscore."
            value={values.username}
            onChange={set('username')}
            error={errors.username}
            autoComplete="username"
            required
          />
          <PasswordInput
            label="Password"
            value={values.password}
            onChange={set('password')}
            error={errors.password}
            autoComplete="new-password"
            required
          />
          <PasswordInput
            label="Confirm password"
            value={values.passwordConfirm}
            onChange={set('passwordConfirm')}
            error={errors.passwordConfirm}
            autoComplete="new-password"
            required
          />
          <Button type="submit" loading={busy} mt="xs" fullWidth>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
