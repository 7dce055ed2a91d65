import { Button, Code, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconServer2 } from '@tabler/icons-react';
import { useState } from 'react';
import { callWorkstation } from '../api';
import { DialogForm } from '../DialogForm';
import { EMPTY_JOIN, JoinTeamFields } from '../workstation/JoinTeamFields';
import { useWorkstation } from '../workstation/context';
import { useWorkstationForm } from '../workstation/useWorkstationForm';

/**
 * Which database this workstation uses: its own encrypted database, or the team server it is
 * enrolled with. A workstation never holds a database password: in a team, only the server does.
 */
export function TeamServerSettings() {
  const { status } = useWorkstation();
  const [joining, setJoining] = useState(false);
  const [leaving, setLeaving] = useState(false);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="team-server-heading">
      <Stack gap="md">
        <Group gap="xs">
          <IconServer2 size={18} />
          <Text fw={600} id="team-server-heading">
            Team server
          </Text>
        </Group>
        {status.server ? (
          <Stack gap={4}>
            <Text size="sm">
              This workstation is enrolled as <strong>{status.server.name}</strong> with the team
              server at <strong>{status.server.url}</strong>; the server keeps the accounts and
              enforces every rule.
            </Text>
            <Text size="sm" c="dimmed">
              Certificate fingerprint:
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {status.server.fingerprint}
            </Code>
          </Stack>
        ) : (
          <Text size="sm">
            This workstation keeps its accounts in its own encrypted database
            {status.database ? <> ({status.database})</> : null}. To share accounts with a team,
            enrol it with your team server.
          </Text>
        )}
        <Group>
          {status.mode === 'embedded' ? (
            <Button variant="default" onClick={() => setJoining(true)}>
              Join a team server…
            </Button>
          ) : (
            <Button variant="default" color="red" onClick={() => setLeaving(true)}>
              Use this computer&rsquo;s own database…
            </Button>
          )}
        </Group>
      </Stack>
      <Modal opened={joining} onClose={() => setJoining(false)} title="Join a team server">
        <JoinDialog onCancel={() => setJoining(false)} />
      </Modal>
      <Modal
        opened={leaving}
        onClose={() => setLeaving(false)}
        title="Use this computer’s own database"
      >
        <LeaveDialog onCancel={() => setLeaving(false)} />
      </Modal>
    </Paper>
  );
}

function JoinDialog({ onCancel }: { onCancel(): void }) {
  const { switched } = useWorkstation();
  const join = useWorkstationForm({
    initialValues: EMPTY_JOIN,
    send: (values) => callWorkstation('workstation.joinTeam', values),
    onStatus: switched,
  });
  return (
    <DialogForm
      onSubmit={() => join.onSubmit()}
      onCancel={onCancel}
      submitLabel="Enrol and switch"
      busy={join.busy}
      error={join.problem?.text}
      intro={
        <Text size="sm">
          From then on this workstation works on the team server&rsquo;s accounts; its own database
          stays here, untouched, for when it leaves the team.
        </Text>
      }
    >
      <JoinTeamFields form={join.form} />
    </DialogForm>
  );
}

function LeaveDialog({ onCancel }: { onCancel(): void }) {
  const { switched } = useWorkstation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leave = async () => {
    setBusy(true);
    try {
      switched(await callWorkstation('workstation.useEmbedded', {}));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <DialogForm
      onSubmit={() => void leave()}
      onCancel={onCancel}
      submitLabel="Switch to this computer’s database"
      submitColor="red"
      busy={busy}
      error={error}
    >
      <Text size="sm">
        The workstation stops using the team server and opens its own encrypted database. Its
        enrolment is forgotten here: to rejoin, it needs a new code, and an administrator should
        revoke the old enrolment on the server.
      </Text>
    </DialogForm>
  );
}
