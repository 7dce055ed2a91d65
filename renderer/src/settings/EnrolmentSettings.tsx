import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDeviceDesktop } from '@tabler/icons-react';
import { useState } from 'react';
import type { EnrolmentCode, EnrolmentView } from '../../../shared/channels/enrolments';
import { DialogForm } from '../DialogForm';
import { useAction, useActionForm, useChannel } from '../data';
import { ErrorAlert } from '../ui';

const STATE_COLOURS: Record<EnrolmentView['state'], string> = {
  waiting: 'blue',
  expired: 'gray',
  enrolled: 'teal',
  revoked: 'red',
};

/**
 * The workstations enrolled with the team server (administrators): a one-time code for a new
 * one, shown once; the list with each one's state; revoking one refuses it at once.
 */
export function EnrolmentSettings() {
  const list = useChannel('enrolments.list', {});
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<EnrolmentCode | null>(null);
  const [revoking, setRevoking] = useState<EnrolmentView | null>(null);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="enrolments-heading">
      <Stack gap="md">
        <Group gap="xs">
          <IconDeviceDesktop size={18} />
          <Text fw={600} id="enrolments-heading">
            Workstations
          </Text>
        </Group>
        <Text size="sm" c="dimmed" mt={-10}>
          Only enrolled workstations reach the team server. A code works once, for 30 minutes.
        </Text>
        <ErrorAlert>{list.error}</ErrorAlert>
        {issued && (
          <Alert color="teal" title="One-time enrolment code">
            <Text ff="monospace" fz="lg" data-testid="enrolment-code">
              {issued.code}
            </Text>
            <Text size="sm" mt={4}>
              Shown this once; valid until {new Date(issued.expiresAt).toLocaleString('en-US')}.
              Type it on the new workstation with the server&rsquo;s address and fingerprint.
            </Text>
          </Alert>
        )}
        {list.data && list.data.length > 0 && (
          <Table aria-label="Enrolled workstations" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Workstation</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Issued</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.label}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOURS[e.state]} variant="light">
                      {e.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{new Date(e.issuedAt).toLocaleString('en-US')}</Table.Td>
                  <Table.Td>{e.enrolledFrom ?? '—'}</Table.Td>
                  <Table.Td>
                    {(e.state === 'enrolled' || e.state === 'waiting') && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(e)}>
                        Revoke {e.label}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group>
          <Button variant="default" onClick={() => setIssuing(true)}>
            Enrol a workstation…
          </Button>
        </Group>
      </Stack>
      <Modal opened={issuing} onClose={() => setIssuing(false)} title="Enrol a workstation">
        <IssueForm
          onCancel={() => setIssuing(false)}
          onIssued={(code) => {
            setIssuing(false);
            setIssued(code);
          }}
        />
      </Modal>
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.label ?? ''}`}
      >
        {revoking && <RevokeForm enrolment={revoking} onDone={() => setRevoking(null)} />}
      </Modal>
    </Paper>
  );
}

function IssueForm({
  onCancel,
  onIssued,
}: {
  onCancel(): void;
  onIssued(code: EnrolmentCode): void;
}) {
  const issue = useActionForm('enrolments.issue', {
    initialValues: { label: '' },
    toInput: (v) => v,
    onDone: onIssued,
  });
  return (
    <DialogForm {...issue.frame} onCancel={onCancel} submitLabel="Issue a one-time code">
      <TextInput
        label="Workstation name"
        placeholder="Front desk 2"
        {...issue.field('label')}
        data-autofocus
      />
    </DialogForm>
  );
}

function RevokeForm({ enrolment, onDone }: { enrolment: EnrolmentView; onDone(): void }) {
  const revoke = useAction('enrolments.revoke');
  return (
    <DialogForm
      onSubmit={() => void revoke.run({ id: enrolment.id }).then((r) => r && onDone())}
      onCancel={onDone}
      submitLabel="Revoke"
      submitColor="red"
      busy={revoke.busy}
      error={revoke.unplaced}
    >
      <Text size="sm">
        {enrolment.label} is refused by the server from now on, on every instance; to use it again
        it must be enrolled with a new code.
      </Text>
    </DialogForm>
  );
}
