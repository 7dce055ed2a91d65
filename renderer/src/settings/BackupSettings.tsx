import { Alert, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { IconDatabaseExport, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import type { BackupMade } from '../../../shared/types';
import { useAction } from '../data';
import { RestoreBackup } from './RestoreBackup';

/**
 * Backups and the recovery key of the embedded database (issue 14). A backup stays encrypted;
 * the app also makes one daily. A new recovery key is shown here once: the old one stops working.
 */
export function BackupSettings() {
  const backup = useAction('backup.create');
  const renew = useAction('keys.newRecoveryKey');
  const [made, setMade] = useState<BackupMade | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  async function makeBackup() {
    const result = await backup.run({});
    if (result) setMade(result);
  }

  async function newKey() {
    const result = await renew.run({ confirm: true });
    setConfirming(false);
    if (result) setRecoveryKey(result.recoveryKey);
  }

  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Text fw={600}>Backups and recovery key</Text>
        <Text size="sm" c="dimmed">
          Backups stay encrypted; the recovery key opens them and the database on another computer.
          A backup is also made every day while Custodian runs (the newest 14 are kept).
        </Text>
        {(backup.unplaced ?? renew.unplaced) && (
          <Alert color="red">{backup.unplaced ?? renew.unplaced}</Alert>
        )}
        {made && (
          <Alert color="teal" title="Backup written">
            <Text size="sm">
              {made.file} · {made.rows.toLocaleString('en-US')} rows · SHA-256{' '}
              <Code>{made.sha256.slice(0, 16)}…</Code>
            </Text>
          </Alert>
        )}
        {recoveryKey && (
          <Alert color="yellow" title="The new recovery key, shown this once">
            <Code block data-testid="recovery-key">
              {recoveryKey}
            </Code>
            <Text size="sm" mt="xs">
              Write it down and keep it away from this computer. The old key no longer opens the
              database (backups made before keep their own key).
            </Text>
          </Alert>
        )}
        <Group>
          <Button
            leftSection={<IconDatabaseExport size={16} />}
            loading={backup.busy}
            onClick={() => void makeBackup()}
          >
            Back up now
          </Button>
          {confirming ? (
            <>
              <Button color="red" loading={renew.busy} onClick={() => void newKey()}>
                Replace the recovery key
              </Button>
              <Button variant="default" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <Button
              variant="default"
              leftSection={<IconKey size={16} />}
              onClick={() => setConfirming(true)}
            >
              New recovery key…
            </Button>
          )}
          <RestoreBackup />
        </Group>
      </Stack>
    </Paper>
  );
}
