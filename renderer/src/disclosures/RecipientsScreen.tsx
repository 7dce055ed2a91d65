import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingBank, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import {
  RECIPIENT_TYPES,
  RECIPIENT_TYPE_LABELS,
  type RecipientType,
} from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { call, isSessionProblem } from '../api';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';

/** The registered third parties a disclosure may go to (compliance and administrators). */
export function RecipientsScreen() {
  const { session } = useSession();
  const canManage =
    session.user.role === 'compliance_officer' || session.user.role === 'administrator';
  const recipients = useLoad(() => call('recipients.list', {}));
  const [registering, setRegistering] = useState(false);
  const [rowError, setRowError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function setActive(r: Recipient, active: boolean) {
    setBusyId(r.id);
    setRowError(null);
    try {
      const next = await call('recipients.update', { id: r.id, version: r.version, active });
      recipients.setData((recipients.data ?? []).map((x) => (x.id === next.id ? next : x)));
      notifications.show({
        color: 'teal',
        title: active ? 'Reactivated' : 'Deactivated',
        message: active
          ? `Disclosures to ${next.name} are possible again.`
          : `No disclosure can go to ${next.name} any more. Its past disclosures stay in the log.`,
      });
    } catch (err) {
      if (isSessionProblem(err)) return;
      setRowError(splitError(err, []).message);
      recipients.reload();
    } finally {
      setBusyId(null);
    }
  }

  const rows = recipients.data ?? [];
  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Recipients"
          description="Third parties registered to receive disclosures. A disclosure names its recipient's address in every record."
          actions={
            canManage && (
              <Button
                leftSection={<IconBuildingBank size={16} />}
                onClick={() => setRegistering(true)}
              >
                Register recipient
              </Button>
            )
          }
        />
        <ErrorAlert>{recipients.error ?? rowError}</ErrorAlert>
        <Paper withBorder>
          <Table striped verticalSpacing="sm" horizontalSpacing="md" aria-label="Recipients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Address and contact</Table.Th>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Registered</Table.Th>
                <Table.Th w={130}>Status</Table.Th>
                {canManage && <Table.Th ta="right">Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recipients.loading && !recipients.data && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Skeleton h={24} />
                  </Table.Td>
                </Table.Tr>
              )}
              {recipients.data && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text ta="center" c="dimmed" py="md">
                      No recipients yet. Register one before disclosing anything.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((r) => (
                <Table.Tr key={r.id} opacity={r.active ? 1 : 0.6}>
                  <Table.Td fw={500}>{r.name}</Table.Td>
                  <Table.Td>{RECIPIENT_TYPE_LABELS[r.type]}</Table.Td>
                  <Table.Td maw={340} style={{ whiteSpace: 'pre-wrap' }}>
                    {r.contact}
                  </Table.Td>
                  <Table.Td ff="monospace" className="nowrap">
                    {r.reference ?? '—'}
                  </Table.Td>
                  <Table.Td>{formatTimestamp(r.createdAt)}</Table.Td>
                  <Table.Td className="nowrap">
                    <Badge color={r.active ? 'teal' : 'gray'} variant="light" radius="sm">
                      {r.active ? 'Active' : 'Deactivated'}
                    </Badge>
                  </Table.Td>
                  {canManage && (
                    <Table.Td ta="right">
                      <Button
                        size="compact-sm"
                        variant="light"
                        color={r.active ? 'red' : 'teal'}
                        loading={busyId === r.id}
                        leftSection={
                          r.active ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />
                        }
                        onClick={() => void setActive(r, !r.active)}
                        aria-label={`${r.active ? 'Deactivate' : 'Reactivate'} ${r.name}`}
                      >
                        {r.active ? 'Deactivate' : 'Reactivate'}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </Stack>
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
    </div>
  );
}

function RecipientForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(r: Recipient): void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<RecipientType | null>(null);
  const [contact, setContact] = useState('');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      onCreated(
        await call('recipients.create', {
          name,
          type: type as RecipientType,
          contact,
          ...(reference.trim() ? { reference } : {}),
        }),
      );
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['name', 'type', 'contact', 'reference']);
      setErrors(split.fieldErrors);
      if (Object.keys(split.fieldErrors).length === 0) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert>{message}</ErrorAlert>
        <TextInput
          label="Name"
          description="The organisation or person, as on their letterhead or the legal instrument."
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
          data-autofocus
          maxLength={200}
        />
        <Select
          label="Type"
          description="Decides which purposes may disclose to this recipient."
          placeholder="Choose the kind of recipient"
          data={RECIPIENT_TYPES.map((t) => ({ value: t, label: RECIPIENT_TYPE_LABELS[t] }))}
          value={type}
          onChange={(v) => setType(v as RecipientType | null)}
          error={errors.type}
          allowDeselect={false}
        />
        <Textarea
          label="Postal address and contact details"
          description="Recorded in every disclosure, so that a customer can be told exactly who received their data."
          value={contact}
          onChange={(e) => setContact(e.currentTarget.value)}
          error={errors.contact}
          autosize
          minRows={3}
          maxLength={1000}
        />
        <TextInput
          label="Reference (optional)"
          description="Contract, licence or case number."
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          error={errors.reference}
          maxLength={200}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Register
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
