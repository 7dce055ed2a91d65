import { Button, TextInput } from '@mantine/core';
import type { SessionInfo } from '../../../shared/types';
import { call, isApiError } from '../api';
import { AuthForm, NewPasswordFields } from './AuthForm';
import { AuthLayout } from './AuthLayout';
import { useAuthForm } from './useAuthForm';

export function FirstRunScreen({
  onCreated,
  onAlreadyInitialised,
}: {
  onCreated(session: SessionInfo): void;
  onAlreadyInitialised(message: string): void;
}) {
  const auth = useAuthForm({
    initialValues: { displayName: '', username: '', password: '', passwordConfirm: '' },
    send: async (values) => onCreated(await call('setup.createFirstAdmin', values)),
    // Someone else set it up meanwhile: on to sign-in.
    onRefused: (err) => {
      if (!isApiError(err) || err.code !== 'ALREADY_INITIALISED') return false;
      onAlreadyInitialised(err.message);
      return true;
    },
  });

  return (
    <AuthLayout
      title="Set up Custodian"
      subtitle="No staff account exists yet. Create the first administrator: this person then adds the rest of the staff."
      footer="The password is stored only as a salted hash. Choose at least 12 characters."
    >
      <AuthForm auth={auth}>
        <TextInput
          label="Display name"
          description="How colleagues see you in the console and the audit trail."
          {...auth.form.getInputProps('displayName')}
          autoComplete="name"
          required
          data-autofocus
          autoFocus
        />
        <TextInput
          label="Username"
          description="3 to 32 characters: letters, digits, dot, dash or underscore."
          {...auth.form.getInputProps('username')}
          autoComplete="username"
          required
        />
        <NewPasswordFields form={auth.form} label="Password" />
        <Button type="submit" loading={auth.busy} mt="xs" fullWidth>
          Create administrator
        </Button>
      </AuthForm>
    </AuthLayout>
  );
}
