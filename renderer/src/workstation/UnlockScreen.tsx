import { Anchor, Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { WorkstationStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { AuthForm } from '../auth/AuthForm';
import { AuthLayout } from '../auth/AuthLayout';
import { useWorkstationForm } from './useWorkstationForm';

/**
 * The embedded database's key, typed at start where no OS keychain opens it: its passphrase, or
 * the recovery key the first administrator was given. Nothing is opened until one is right.
 */
export function UnlockScreen({
  status,
  passphrase,
  problem,
  onStatus,
}: {
  status: WorkstationStatus;
  passphrase: boolean;
  problem: string | null;
  onStatus(status: WorkstationStatus): void;
}) {
  const [kind, setKind] = useState<'passphrase' | 'recovery'>(
    passphrase ? 'passphrase' : 'recovery',
  );
  const auth = useWorkstationForm({
    initialValues: { secret: '' },
    send: (values) => callWorkstation('workstation.unlock', { kind, secret: values.secret }),
    onStatus,
    clearOnRefusal: ['secret'],
    alertOnlyUnplaced: true,
  });
  const other = kind === 'passphrase' ? 'recovery' : 'passphrase';
  const switchTo = () => {
    auth.form.reset();
    auth.setProblem(null);
    setKind(other);
  };
  return (
    <AuthLayout
      title="Open the database"
      subtitle={
        kind === 'passphrase'
          ? 'Type the passphrase that protects this workstation\u2019s database.'
          : 'Type the recovery key the first administrator was given when the database was made.'
      }
    >
      <AuthForm auth={auth} notice={problem ?? undefined}>
        {kind === 'passphrase' ? (
          <PasswordInput
            label="Passphrase"
            {...auth.form.getInputProps('secret')}
            autoComplete="current-password"
            autoFocus
            required
          />
        ) : (
          <TextInput
            label="Recovery key"
            description="64 hexadecimal digits, in groups of eight separated by dashes."
            {...auth.form.getInputProps('secret')}
            autoComplete="off"
            spellCheck={false}
            className="monospace-input"
            autoFocus
            required
          />
        )}
        <Button type="submit" loading={auth.busy} mt="xs" fullWidth>
          Open
        </Button>
        {(passphrase || kind === 'passphrase') && (
          <Anchor component="button" type="button" size="sm" onClick={switchTo}>
            {other === 'recovery' ? 'Use the recovery key instead' : 'Use the passphrase instead'}
          </Anchor>
        )}
        <Text size="xs" c="dimmed">
          Database: {status.database}
        </Text>
      </AuthForm>
    </AuthLayout>
  );
}
