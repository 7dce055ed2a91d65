import { Button, PasswordInput } from '@mantine/core';
import { MIN_PASSPHRASE_LENGTH, type WorkstationStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { AuthForm } from '../auth/AuthForm';
import { AuthLayout } from '../auth/AuthLayout';
import { useWorkstationForm } from './useWorkstationForm';

/**
 * A new database on a computer without an OS keychain: its key is sealed by a passphrase chosen
 * here (and by a recovery key shown next), never kept where anyone could open it.
 */
export function NewKeyScreen({ onStatus }: { onStatus(status: WorkstationStatus): void }) {
  const auth = useWorkstationForm({
    initialValues: { passphrase: '', repeat: '' },
    send: (values) => callWorkstation('workstation.createKey', values),
    onStatus,
    clearOnRefusal: ['passphrase', 'repeat'],
  });
  return (
    <AuthLayout
      title="Protect the new database"
      subtitle="This computer has no OS keychain to keep the database key in. Choose a passphrase: it is asked each time Custodian starts here."
    >
      <AuthForm auth={auth}>
        <PasswordInput
          label="Passphrase"
          description={`At least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are easy to remember.`}
          {...auth.form.getInputProps('passphrase')}
          autoComplete="new-password"
          autoFocus
          required
        />
        <PasswordInput
          label="The passphrase again"
          {...auth.form.getInputProps('repeat')}
          autoComplete="new-password"
          required
        />
        <Button type="submit" loading={auth.busy} mt="xs" fullWidth>
          Create the database
        </Button>
      </AuthForm>
    </AuthLayout>
  );
}
