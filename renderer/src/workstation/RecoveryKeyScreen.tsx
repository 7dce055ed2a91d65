import { Alert, Button, Checkbox, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { WorkstationStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { AuthLayout } from '../auth/AuthLayout';

/**
 * A new database's recovery key, shown this once to the person setting the workstation up. It
 * opens the database on another computer, after the keychain is lost, and on the command line.
 */
export function RecoveryKeyScreen({
  recoveryKey,
  onStatus,
}: {
  recoveryKey: string;
  onStatus(status: WorkstationStatus): void;
}) {
  const [written, setWritten] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const done = async () => {
    setBusy(true);
    try {
      onStatus(await callWorkstation('workstation.recoveryKeyShown', {}));
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <AuthLayout
      title="Write down the recovery key"
      subtitle="It is shown this once and kept nowhere in clear."
    >
      <Stack gap="sm">
        {/* Wrapped at its dashes, never scrolled: it is read off the screen whole. */}
        <Paper withBorder p="sm" bg="var(--mantine-color-default-hover)">
          <Text ff="monospace" fz="lg" ta="center" data-testid="recovery-key">
            {recoveryKey}
          </Text>
        </Paper>
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
          It opens this database on another computer, after the keychain or the passphrase is lost,
          and on the command line. Keep it on paper or in a safe, away from this computer.
        </Alert>
        {problem && (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        )}
        <Checkbox
          label="I have written the recovery key down"
          checked={written}
          onChange={(e) => setWritten(e.currentTarget.checked)}
        />
        <Button disabled={!written} loading={busy} onClick={() => void done()} fullWidth>
          Continue
        </Button>
      </Stack>
    </AuthLayout>
  );
}
