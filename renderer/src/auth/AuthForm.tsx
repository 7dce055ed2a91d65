import { Alert, PasswordInput, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { AuthFormState } from './useAuthForm';

/** The form of an auth card: the refusal (or, when there is none, a notice) above the fields. */
export function AuthForm<V>({
  auth,
  notice,
  children,
}: {
  auth: AuthFormState<V>;
  notice?: string | undefined;
  children: ReactNode;
}) {
  const { problem } = auth;
  return (
    <form onSubmit={auth.onSubmit} noValidate>
      <Stack gap="sm">
        {notice && !problem && (
          <Alert color="blue" icon={<IconInfoCircle size={18} />}>
            {notice}
          </Alert>
        )}
        {problem && (
          <Alert
            color="red"
            title={problem.locked ? 'Staff account locked' : undefined}
            icon={problem.locked ? <IconLock size={18} /> : <IconAlertCircle size={18} />}
            role="alert"
            // A message may quote a fingerprint or an address: wrap it anywhere, never overflow.
            style={{ overflowWrap: 'anywhere' }}
          >
            {problem.text}
          </Alert>
        )}
        {children}
      </Stack>
    </form>
  );
}

/** A new password typed twice (first run, the change from a temporary password). */
export function NewPasswordFields<V extends { password: string; passwordConfirm: string }>({
  form,
  label,
  description,
}: {
  form: UseFormReturnType<V>;
  label: string;
  description?: string;
}) {
  return (
    <>
      <PasswordInput
        label={label}
        description={description}
        {...form.getInputProps('password')}
        autoComplete="new-password"
        required
      />
      <PasswordInput
        label={`Confirm ${label.toLowerCase()}`}
        {...form.getInputProps('passwordConfirm')}
        autoComplete="new-password"
        required
      />
    </>
  );
}
