import { Button, Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { isPrivileged } from '../../../shared/four-eyes';
import type { DisclosureRequestView } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { useNavigation } from '../navigation';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { DecisionButtons } from './DecisionButtons';
import { ExecuteForm } from './ExecuteForm';
import { RejectForm } from './RejectForm';
import { RequestSection } from './RequestSection';
import { RoleGrantsSection } from './RoleGrantsSection';

type Dialog =
  | { kind: 'reject'; request: DisclosureRequestView }
  | { kind: 'execute'; request: DisclosureRequestView }
  | null;

/** Disclosures waiting for a second person, and the caller's own requests. */
export function ApprovalsScreen() {
  const navigation = useNavigation();
  const { session } = useSession();
  const inbox = useChannel('disclosures.inbox', {});
  // A refusal (e.g. another approver decided first) shows the inbox as it is now.
  const approval = useAction('disclosures.decide', { onRefused: () => inbox.reload() });
  const [dialog, setDialog] = useState<Dialog>(null);

  /** The inbox reads itself again after a decision (data/invalidation.ts); the badge too. */
  function closeDialog() {
    setDialog(null);
    inbox.reload();
    navigation.refreshInbox();
  }

  async function approve(r: DisclosureRequestView) {
    const next = await approval.run({ requestId: r.id, decision: 'approved' });
    if (!next) return;
    notifications.show({
      color: 'teal',
      title: 'Approved',
      message:
        next.status === 'approved'
          ? `${next.requester} may now carry out the disclosure.`
          : `Still waiting for ${next.waitingFor.join(' and ')}.`,
    });
    navigation.refreshInbox();
  }

  const all = inbox.data ?? [];
  const approving = approval.busy ? approval.mutation.variables?.requestId : undefined;

  return (
    <Screen
      title="Approvals"
      description="Exigent-circumstance disclosures and business transfers need a second person before any file is written."
      gap="lg"
    >
      <ErrorAlert>{inbox.error ?? approval.message}</ErrorAlert>
      <RequestSection
        id="to-decide"
        title="Waiting for your decision"
        none="Nothing is waiting for you."
        requests={inbox.data && all.filter((r) => r.canDecide)}
        actions={(r) => (
          <DecisionButtons
            busy={approving === r.id}
            onApprove={() => void approve(r)}
            onReject={() => setDialog({ kind: 'reject', request: r })}
            rejectLabel="Reject…"
          />
        )}
      />
      {isPrivileged(session.user.role) && <RoleGrantsSection />}
      <RequestSection
        id="my-requests"
        title="Your requests"
        none="You have no open requests."
        requests={inbox.data && all.filter((r) => !r.canDecide)}
        actions={(r) =>
          r.status === 'approved' ? (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              onClick={() => setDialog({ kind: 'execute', request: r })}
            >
              Carry out…
            </Button>
          ) : null
        }
      />
      <Modal
        opened={dialog?.kind === 'reject'}
        onClose={() => setDialog(null)}
        title="Reject the request"
      >
        {dialog?.kind === 'reject' && (
          <RejectForm
            request={dialog.request}
            onCancel={() => setDialog(null)}
            onDone={closeDialog}
          />
        )}
      </Modal>
      <Modal
        opened={dialog?.kind === 'execute'}
        onClose={closeDialog}
        title="Carry out the approved disclosure"
        size="lg"
      >
        {dialog?.kind === 'execute' && (
          <ExecuteForm request={dialog.request} onClose={closeDialog} />
        )}
      </Modal>
    </Screen>
  );
}
