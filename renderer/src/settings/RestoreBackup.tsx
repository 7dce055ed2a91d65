import { Button, Group, List, Modal, Text } from '@mantine/core';
import { IconRestore } from '@tabler/icons-react';
import { useState } from 'react';
import type { RestoreOffer } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { DialogForm } from '../DialogForm';
import { ErrorAlert } from '../ui';
import { useWorkstation } from '../workstation/context';

/**
 * Restore from a backup: main asks for the file and checks it in full (its SHA-256, integrity,
 * manifest and disclosure log) before this dialog offers it; only then may it replace the
 * database. Every window starts over on the restored database.
 */
export function RestoreBackup() {
  const { switched } = useWorkstation();
  const [offer, setOffer] = useState<RestoreOffer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Why the chosen backup cannot be restored (it failed its check). */
  const [refusal, setRefusal] = useState<string | null>(null);

  async function choose() {
    setBusy(true);
    setError(null);
    try {
      setOffer((await callWorkstation('workstation.checkBackup', {})).restore);
    } catch (err) {
      setRefusal((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function restore() {
    setBusy(true);
    try {
      switched(await callWorkstation('workstation.restore', { confirm: true }));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  function cancel() {
    setOffer(null);
    void callWorkstation('workstation.cancelRestore', {}).catch(() => undefined);
  }

  return (
    <>
      <Button
        variant="default"
        leftSection={<IconRestore size={16} />}
        loading={busy && !offer}
        onClick={() => void choose()}
      >
        Restore from a backup…
      </Button>
      <Modal
        opened={refusal !== null}
        onClose={() => setRefusal(null)}
        title="This backup cannot be restored"
      >
        <ErrorAlert>{refusal}</ErrorAlert>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRefusal(null)} data-autofocus>
            Close
          </Button>
        </Group>
      </Modal>
      <Modal opened={offer !== null} onClose={cancel} title="Restore this backup?">
        {offer && (
          <DialogForm
            onSubmit={() => void restore()}
            onCancel={cancel}
            submitLabel="Replace with this backup"
            submitColor="red"
            busy={busy}
            error={error}
          >
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {offer.file} was checked and holds:
            </Text>
            <List size="sm">
              <List.Item>made {new Date(offer.createdAt).toLocaleString('en-US')}</List.Item>
              <List.Item>
                {(offer.rowCounts.accounts ?? 0).toLocaleString('en-US')} accounts
              </List.Item>
              <List.Item>{offer.disclosures.toLocaleString('en-US')} disclosure records</List.Item>
              <List.Item>Custodian {offer.appVersion}</List.Item>
            </List>
            <Text size="sm">
              Everything made since the backup is replaced; the current database is kept beside it
              until you delete it. Everyone is signed out.
            </Text>
          </DialogForm>
        )}
      </Modal>
    </>
  );
}
