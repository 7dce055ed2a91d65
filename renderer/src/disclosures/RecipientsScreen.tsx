import { Button, Modal, Paper } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingBank } from '@tabler/icons-react';
import { useState } from 'react';
import type { Recipient } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { RecipientForm } from './RecipientForm';
import { RecipientsTable } from './RecipientsTable';

/** The registered third parties a disclosure may go to (compliance and administrators). */
export function RecipientsScreen() {
  const { session } = useSession();
  const canManage =
    session.user.role === 'compliance_officer' || session.user.role === 'administrator';
  const recipients = useChannel('recipients.list', {});
  // A refusal (e.g. someone changed it meanwhile) shows the list as it is now.
  const update = useAction('recipients.update', { onRefused: () => recipients.reload() });
  const [registering, setRegistering] = useState(false);

  async function setActive(r: Recipient, active: boolean) {
    const next = await update.run({ id: r.id, version: r.version, active });
    if (!next) return;
    recipients.setData((recipients.data ?? []).map((x) => (x.id === next.id ? next : x)));
    notifications.show({
      color: 'teal',
      title: active ? 'Reactivated' : 'Deactivated',
      message: active
        ? `Disclosures to ${next.name} are possible again.`
        : `No disclosure can go to ${next.name} any more. Its past disclosures stay in the log.`,
    });
  }

  return (
    <Screen
      title="Recipients"
      description="Third parties registered to receive disclosures. A disclosure names its recipient's address in every record."
      actions={
        canManage && (
          <Button leftSection={<IconBuildingBank size={16} />} onClick={() => setRegistering(true)}>
            Register recipient
          </Button>
        )
      }
    >
      <ErrorAlert>{recipients.error ?? update.message}</ErrorAlert>
      <Paper withBorder>
        <RecipientsTable
          recipients={recipients.data}
          loading={recipients.loading}
          busyId={update.busy ? (update.mutation.variables?.id ?? null) : null}
          onSetActive={canManage ? (r, active) => void setActive(r, active) : null}
        />
      </Paper>
      <Modal
        opened={registering}
        onClose={() => setRegistering(false)}
        title="Register a recipient"
        size="lg"
      >
        {registering && (
          <RecipientForm
            onCancel={() => setRegistering(false)}
            onCreated={(r) => {
              recipients.setData([...(recipients.data ?? []), r]);
              setRegistering(false);
              notifications.show({ color: 'teal', title: 'Recipient registered', message: r.name });
            }}
          />
        )}
      </Modal>
    </Screen>
  );
}
