import { Button, PasswordInput, TextInput } from '@mantine/core';
import type { SessionInfo } from '../../../shared/types';
import { call, isApiError } from '../api';
import { AuthForm } from './AuthForm';
import { AuthLayout } from './AuthLayout';
import { useAuthForm } from './useAuthForm';

export function LoginScreen({
  notice,
  appVersion,
  onSignedIn,
  enrolAgain,
}: {
  notice?: string | undefined;
  appVersion: string;
  onSignedIn(session: SessionInfo): void;
  /** Team mode, the server unreachable: the way to enrol with it again. */
  enrolAgain?: (() => void) | undefined;
}) {
  const auth = useAuthForm({
    initialValues: { username: '', password: '' },
    send: async (values) => onSignedIn(await call('auth.login', values)),
    clearOnRefusal: ['password'],
    alertOnlyUnplaced: true,
    onRefused: (err, { form, setProblem }) => {
      if (isApiError(err) && err.code === 'LOGIN_LOCKED') {
        setProblem({ text: err.message, locked: true });
        return true;
      }
      // A wrong name or password: said under the password, never which of the two was wrong.
      if (isApiError(err) && err.code === 'UNAUTHENTICATED') {
        form.setErrors({ password: err.message });
        return true;
      }
      return false;
    },
  });
  // A sign-in error is about the pair: any edit clears it.
  const field = (name: 'username' | 'password') => {
    const props = auth.form.getInputProps(name);
    const onChange = (e: unknown) => {
      auth.form.clearErrors();
      props.onChange(e);
    };
    return { ...props, onChange };
  };

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Customer information is for authorised staff who need it for their work."
      footer={`Custodian ${appVersion}`}
    >
      <AuthForm auth={auth} notice={notice}>
        <TextInput
          label="Username"
          {...field('username')}
          autoComplete="username"
          autoFocus
          required
        />
        <PasswordInput
          label="Password"
          {...field('password')}
          autoComplete="current-password"
          required
        />
        <Button type="submit" loading={auth.busy} mt="xs" fullWidth>
          Sign in
        </Button>
        {enrolAgain && (
          <Button variant="subtle" size="xs" onClick={enrolAgain}>
            Enrol with the team server again…
          </Button>
        )}
      </AuthForm>
    </AuthLayout>
  );
}
