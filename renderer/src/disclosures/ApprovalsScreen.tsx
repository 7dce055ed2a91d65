import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import type { DisclosureOutcome, DisclosureRequestView } from '../../../shared/types';
import { call, isSessionProblem } from '../api';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useNavigation } from '../navigation';
import { ErrorAlert, FileFields, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';
import { isPrivileged } from '../../../shared/four-eyes';
import { useSession } from '../session';
import { OutcomeView } from './OutcomeView';
import { RoleGrantsSection } from './RoleGrantsSection';
import { fieldLabel, purposeLabel, recipientTypeLabel, suggestFileName } from './labels';

const REQUEST_STATUS: Record<DisclosureRequestView['status'], { label: string; color: string }> = {
  pending: { label: 'Waiting for approval', color: 'yellow' },
  approved: { label: 'Approved: ready to carry out', color: 'teal' },
  rejected: { label: 'Rejected', color: 'red' },
  done: { label: 'Carried out', color: 'gray' },
};

type Dialog =
  | { kind: 'reject'; request: DisclosureRequestView }
  | { kind: 'execute'; request: DisclosureRequestView }
  | null;

/** Disclosures waiting for a second person, and the caller's own requests. */
export function ApprovalsScreen() {
  const navigation = useNavigation();
  const { session } = useSession();
  const inbox = useLoad(() => call('disclosures.inbox', {}));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  function changed() {
    inbox.reload();
    navigation.refreshInbox();
  }

  async function approve(r: DisclosureRequestView) {
    setBusyId(r.id);
    setError(null);
    try {
      const next = await call('disclosures.decide', { requestId: r.id, decision: 'approved' });
      notifications.show({
        color: 'teal',
        title: 'Approved',
        message:
          next.status === 'approved'
            ? `${next.requester} may now carry out the disclosure.`
            : `Still waiting for ${next.waitingFor.join(' and ')}.`,
      });
      changed();
    } catch (err) {
      if (!isSessionProblem(err)) setError(splitError(err, []).message);
      inbox.reload();
    } finally {
      setBusyId(null);
    }
  }

  const all = inbox.data ?? [];
  const toDecide = all.filter((r) => r.canDecide);
  const mine = all.filter((r) => !r.canDecide);

  return (
    <div className="section-scroll">
      <Stack gap="lg" pb="lg">
        <ScreenHeader
          title="Approvals"
          description="Exigent-circumstance disclosures and business transfers need a second person before any file is written."
        />
        <ErrorAlert>{inbox.error ?? error}</ErrorAlert>
        <section aria-labelledby="to-decide">
          <Title order={3} fz="h5" mb="xs" id="to-decide">
            Waiting for your decision ({toDecide.length})
          </Title>
          {!inbox.data ? (
            <Skeleton h={80} />
          ) : toDecide.length === 0 ? (
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Nothing is waiting for you.
              </Text>
            </Paper>
          ) : (
            <Stack gap="sm">
              {toDecide.map((r) => (
                <RequestCard
                  key={r.id}
                  request={r}
                  actions={
                    <>
                      <Button
                        color="teal"
                        leftSection={<IconCheck size={16} />}
                        loading={busyId === r.id}
                        onClick={() => void approve(r)}
                      >
                        Approve
                      </Button>
                      <Button
                        color="red"
                        variant="light"
                        leftSection={<IconX size={16} />}
                        onClick={() => setDialog({ kind: 'reject', request: r })}
                      >
                        Reject…
                      </Button>
                    </>
                  }
                />
              ))}
            </Stack>
          )}
        </section>
        {isPrivileged(session.user.role) && <RoleGrantsSection />}
        <section aria-labelledby="my-requests">
          <Title order={3} fz="h5" mb="xs" id="my-requests">
            Your requests ({mine.length})
          </Title>
          {!inbox.data ? (
            <Skeleton h={80} />
          ) : mine.length === 0 ? (
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                You have no open requests.
              </Text>
            </Paper>
          ) : (
            <Stack gap="sm">
              {mine.map((r) => (
                <RequestCard
                  key={r.id}
                  request={r}
                  actions={
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
              ))}
            </Stack>
          )}
        </section>
      </Stack>
      <Modal
        opened={dialog?.kind === 'reject'}
        onClose={() => setDialog(null)}
        title="Reject the request"
      >
        {dialog?.kind === 'reject' && (
          <RejectForm
            request={dialog.request}
            onCancel={() => setDialog(null)}
            onDone={() => {
              setDialog(null);
              changed();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={dialog?.kind === 'execute'}
        onClose={() => {
          setDialog(null);
          changed();
        }}
        title="Carry out the approved disclosure"
        size="lg"
      >
        {dialog?.kind === 'execute' && (
          <ExecuteForm
            request={dialog.request}
            onClose={() => {
              setDialog(null);
              changed();
            }}
          />
        )}
      </Modal>
    </div>
  );
}

function RequestCard({
  request: r,
  actions,
}: {
  request: DisclosureRequestView;
  actions: ReactNode;
}) {
  const status = REQUEST_STATUS[r.status];
  return (
    <Paper withBorder p="md" data-testid="request-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{purposeLabel(r.purpose)}</Text>
            <Text c="dimmed">to</Text>
            <Text fw={600}>{r.recipientName}</Text>
            <Text size="sm" c="dimmed">
              ({recipientTypeLabel(r.recipientType)})
            </Text>
            <Badge color={status.color} variant="light" radius="sm">
              {status.label}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Requested by {r.requester} on {formatTimestamp(r.createdAt)} ·{' '}
            {r.purpose === 'business_transfer'
              ? 'all accounts'
              : `${r.accountCount} account${r.accountCount === 1 ? '' : 's'}`}{' '}
            · {r.format.toUpperCase()}
          </Text>
          <Tooltip label={r.fields.map(fieldLabel).join(', ')} multiline maw={480} withArrow>
            <Text size="sm" lineClamp={1}>
              Fields: {r.fields.map(fieldLabel).join(', ')}
            </Text>
          </Tooltip>
          {r.justification && (
            <Paper bg="gray.0" p="xs" radius="sm">
              <Text size="xs" c="dimmed" fw={600}>
                Justification
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {r.justification}
              </Text>
            </Paper>
          )}
          {r.status === 'pending' && r.waitingFor.length > 0 && (
            <Text size="sm">Waiting for approval by {r.waitingFor.join(' and ')}.</Text>
          )}
          {r.approvals.length > 0 && (
            <Text size="sm" c="dimmed">
              Decisions:{' '}
              {r.approvals
                .map((a) => `${a.decision} by ${a.name} on ${formatTimestamp(a.at)}`)
                .join('; ')}
            </Text>
          )}
        </Stack>
        {actions && (
          <Group gap="xs" wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
    </Paper>
  );
}

function RejectForm({
  request,
  onCancel,
  onDone,
}: {
  request: DisclosureRequestView;
  onCancel(): void;
  onDone(): void;
}) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await call('disclosures.decide', {
        requestId: request.id,
        decision: 'rejected',
        ...(note.trim() ? { note } : {}),
      });
      notifications.show({
        color: 'teal',
        title: 'Rejected',
        message: 'The request is refused and recorded in the disclosure log.',
      });
      onDone();
    } catch (err) {
      if (!isSessionProblem(err)) setMessage(splitError(err, []).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}, requested by{' '}
          {request.requester}.
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <Textarea
          label="Note to the requester"
          description="Why the request is rejected."
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={1000}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={busy}>
            Reject request
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ExecuteForm({ request, onClose }: { request: DisclosureRequestView; onClose(): void }) {
  const [fileName, setFileName] = useState(() =>
    suggestFileName(request.purpose.replace(/_/g, '-'), request.format as ExportFormat),
  );
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<DisclosureOutcome | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setOutcome(await call('disclosures.execute', { requestId: request.id, fileName }));
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['fileName']);
      setError(split.fieldErrors.fileName ?? null);
      if (!split.fieldErrors.fileName) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  if (outcome) {
    return (
      <Stack gap="sm">
        <OutcomeView outcome={outcome} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}. The rules are checked again
          now: an account may have changed since the approval.
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <FileFields
          format={request.format as ExportFormat}
          onFormat={() => undefined}
          formats={[request.format as ExportFormat]}
          fileName={fileName}
          onFileName={setFileName}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconPlayerPlay size={16} />}>
            Write the file
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
