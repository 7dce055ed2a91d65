import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertCircle,
  IconInfoCircle,
  IconKey,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconUserPlus,
} from '@tabler/icons-react';
import { Fragment, useState, type FormEvent } from 'react';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { call, isApiError, isSessionProblem } from '../api';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; member: StaffSummary }
  | { kind: 'reset'; member: StaffSummary }
  | null;

/** Administrators: who may sign in, with which role. */
export function StaffScreen() {
  const { session } = useSession();
  const staff = useLoad(() => call('staff.list', {}));
  const [dialog, setDialog] = useState<Dialog>(null);
  /** A refusal about one row (e.g. the last administrator), shown under that row. */
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  function replace(member: StaffSummary) {
    staff.setData((staff.data ?? []).map((s) => (s.id === member.id ? member : s)));
  }

  async function setActive(member: StaffSummary, active: boolean) {
    setBusyId(member.id);
    setRowError(null);
    try {
      const next = await call('staff.update', { id: member.id, version: member.version, active });
      replace(next);
      notifications.show(
        active && !next.active
          ? pendingNotice(next)
          : {
              color: 'teal',
              title: active ? 'Reactivated' : 'Deactivated',
              message: active
                ? `${next.displayName} may sign in again.`
                : `${next.displayName} is signed out and can no longer sign in.`,
            },
      );
    } catch (err) {
      if (isSessionProblem(err)) return;
      const { message, fieldErrors } = splitError(err, ['active', 'role']);
      setRowError({
        id: member.id,
        message: [message, fieldErrors.active, fieldErrors.role].filter(Boolean).join(' '),
      });
      if (isApiError(err) && err.code === 'CONFLICT') staff.reload();
    } finally {
      setBusyId(null);
    }
  }

  const rows = staff.data ?? [];
  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Staff"
          description="Who may sign in to Custodian and with which role. A role decides which customer fields a person sees."
          actions={
            <Button
              leftSection={<IconUserPlus size={16} />}
              onClick={() => setDialog({ kind: 'create' })}
            >
              Add staff
            </Button>
          }
        />
        <ErrorAlert>{staff.error}</ErrorAlert>
        <Paper withBorder>
          <Table
            striped
            highlightOnHover
            verticalSpacing="xs"
            horizontalSpacing="md"
            aria-label="Staff"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Username</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Password</Table.Th>
                <Table.Th>Locked until</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.loading && !staff.data && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Skeleton h={24} />
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((m) => {
                const me = m.id === session.user.id;
                return (
                  <Fragment key={m.id}>
                    <Table.Tr data-staff={m.username} opacity={m.active ? 1 : 0.65}>
                      <Table.Td fw={500}>
                        {m.displayName}
                        {me && (
                          <Text span c="dimmed" size="xs" ml={6}>
                            (you)
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ff="monospace">{m.username}</Table.Td>
                      <Table.Td>{ROLE_LABELS[m.role]}</Table.Td>
                      <Table.Td>
                        <StatusBadges member={m} />
                      </Table.Td>
                      <Table.Td>
                        {m.mustChangePassword ? (
                          <Badge color="yellow" variant="light" radius="sm">
                            Must change
                          </Badge>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            Set by them
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {m.lockedUntil ? (
                          <Badge color="red" variant="light" radius="sm">
                            {formatTimestamp(m.lockedUntil)}
                          </Badge>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} justify="flex-end" wrap="nowrap">
                          <Button
                            size="compact-sm"
                            variant="default"
                            leftSection={<IconPencil size={14} />}
                            onClick={() => setDialog({ kind: 'edit', member: m })}
                            aria-label={`Edit ${m.displayName}`}
                          >
                            Edit
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="default"
                            leftSection={<IconKey size={14} />}
                            onClick={() => setDialog({ kind: 'reset', member: m })}
                            aria-label={`Reset password of ${m.displayName}`}
                          >
                            Reset password
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="light"
                            color={m.active ? 'red' : 'teal'}
                            loading={busyId === m.id}
                            leftSection={
                              m.active ? (
                                <IconPlayerPause size={14} />
                              ) : (
                                <IconPlayerPlay size={14} />
                              )
                            }
                            onClick={() => void setActive(m, !m.active)}
                            aria-label={`${m.active ? 'Deactivate' : 'Reactivate'} ${m.displayName}`}
                          >
                            {m.active ? 'Deactivate' : 'Reactivate'}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                    {rowError?.id === m.id && (
                      <Table.Tr>
                        <Table.Td colSpan={7} py={6}>
                          <Alert
                            color="red"
                            variant="light"
                            icon={<IconAlertCircle size={16} />}
                            role="alert"
                            withCloseButton
                            onClose={() => setRowError(null)}
                            py={8}
                          >
                            {rowError.message}
                          </Alert>
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      </Stack>

      <Modal
        opened={dialog?.kind === 'create'}
        onClose={() => setDialog(null)}
        title="Add staff member"
        size="md"
      >
        {dialog?.kind === 'create' && (
          <CreateStaffForm
            onCancel={() => setDialog(null)}
            onCreated={(m) => {
              staff.setData([...(staff.data ?? []), m]);
              setDialog(null);
              notifications.show(
                m.pendingGrant
                  ? pendingNotice(m)
                  : {
                      color: 'teal',
                      title: 'Staff member added',
                      message: `${m.displayName} (@${m.username}) must choose a new password at first sign-in.`,
                    },
              );
            }}
          />
        )}
      </Modal>
      <Modal
        opened={dialog?.kind === 'edit'}
        onClose={() => setDialog(null)}
        title="Edit staff member"
      >
        {dialog?.kind === 'edit' && (
          <EditStaffForm
            member={dialog.member}
            onCancel={() => setDialog(null)}
            onSaved={(m) => {
              replace(m);
              setDialog(null);
              notifications.show(
                m.pendingGrant
                  ? pendingNotice(m)
                  : { color: 'teal', title: 'Saved', message: `${m.displayName}` },
              );
            }}
            onStale={() => staff.reload()}
          />
        )}
      </Modal>
      <Modal
        opened={dialog?.kind === 'reset'}
        onClose={() => setDialog(null)}
        title="Reset password"
      >
        {dialog?.kind === 'reset' && (
          <ResetPasswordForm
            member={dialog.member}
            onCancel={() => setDialog(null)}
            onDone={(m) => {
              replace(m);
              setDialog(null);
              notifications.show({
                color: 'teal',
                title: 'Password reset',
                message: `${m.displayName} must choose a new password at next sign-in.`,
              });
            }}
          />
        )}
      </Modal>
    </div>
  );
}

/** Active or deactivated, and a privileged role that waits for a second holder's approval. */
function StatusBadges({ member: m }: { member: StaffSummary }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={m.active ? 'teal' : 'gray'} variant="light" radius="sm">
        {m.active ? 'Active' : 'Deactivated'}
      </Badge>
      {m.pendingGrant && (
        <Tooltip
          label={`${ROLE_LABELS[m.pendingGrant.role]}, asked for by ${m.pendingGrant.requestedBy} on ${formatTimestamp(m.pendingGrant.requestedAt)}; another administrator or compliance officer approves it under Approvals.`}
          multiline
          maw={320}
          withArrow
        >
          <Badge color="yellow" variant="light" radius="sm">
            Pending approval
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

function pendingNotice(m: StaffSummary) {
  const role = m.pendingGrant ? ROLE_LABELS[m.pendingGrant.role].toLowerCase() : 'new';
  return {
    color: 'yellow',
    title: 'Pending approval',
    message: `${m.displayName}'s ${role} role waits for another administrator or compliance officer to approve it under Approvals; until then the account does not hold it.`,
  };
}

function CreateStaffForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(member: StaffSummary): void;
}) {
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [password, setPassword] = useState('');
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
        await call('staff.create', {
          displayName,
          username,
          role: role as Role,
          temporaryPassword: password,
        }),
      );
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['displayName', 'username', 'role', 'temporaryPassword']);
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
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={errors.displayName}
          data-autofocus
        />
        <TextInput
          label="Username"
          description="3 to 32 characters: letters, digits, dot, dash or underscore."
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          error={errors.username}
          autoComplete="off"
          spellCheck={false}
        />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(v) => setRole(v as Role | null)}
          error={errors.role}
          allowDeselect={false}
          placeholder="Choose a role"
        />
        <PasswordInput
          label="Temporary password"
          description="12 characters or more."
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={errors.temporaryPassword}
          autoComplete="new-password"
        />
        <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
          Give the temporary password to the person directly. They must choose a new password of
          their own the first time they sign in.
        </Alert>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Add staff member
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditStaffForm({
  member,
  onCancel,
  onSaved,
  onStale,
}: {
  member: StaffSummary;
  onCancel(): void;
  onSaved(member: StaffSummary): void;
  onStale(): void;
}) {
  const [displayName, setDisplayName] = useState(member.displayName);
  const [role, setRole] = useState<Role>(member.role);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      onSaved(
        await call('staff.update', {
          id: member.id,
          version: member.version,
          ...(displayName !== member.displayName ? { displayName } : {}),
          ...(role !== member.role ? { role } : {}),
        }),
      );
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['displayName', 'role']);
      setErrors(split.fieldErrors);
      setMessage(split.message);
      if (isApiError(err) && err.code === 'CONFLICT') onStale();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          @{member.username}
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <TextInput
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={errors.displayName}
        />
        <Select
          label="Role"
          description="A new role applies at once, also to a session already open; administrator and compliance officer wait for another holder's approval."
          data={ROLE_OPTIONS}
          value={role}
          onChange={(v) => v && setRole(v as Role)}
          error={errors.role}
          allowDeselect={false}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordForm({
  member,
  onCancel,
  onDone,
}: {
  member: StaffSummary;
  onCancel(): void;
  onDone(member: StaffSummary): void;
}) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      onDone(await call('staff.resetPassword', { id: member.id, temporaryPassword: password }));
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['temporaryPassword']);
      setError(split.fieldErrors.temporaryPassword ?? null);
      if (!split.fieldErrors.temporaryPassword) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          A new temporary password for <b>{member.displayName}</b> (@{member.username}). This signs
          them out everywhere and clears a sign-in lockout; they must choose their own password at
          next sign-in.
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <PasswordInput
          label="Temporary password"
          description="12 characters or more."
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={error}
          autoComplete="new-password"
          data-autofocus
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} color="orange">
            Reset password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
