import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconInfoCircle, IconX } from '@tabler/icons-react';
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { FIELDS, FIELD_CATEGORIES, type FieldKey } from '../../../shared/catalogue';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { FieldAccessChange, VisibilityMatrix } from '../../../shared/types';
import { ACCESS_LEVELS, type Access } from '../../../shared/visibility';
import { call, isSessionProblem } from '../api';
import { CATEGORY_LABELS, formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';

export const ACCESS_LABELS: Record<Access, string> = {
  hidden: 'Hidden',
  masked: 'Masked',
  read: 'Read',
  edit: 'Edit',
};

export const ACCESS_COLORS: Record<Access, string> = {
  hidden: 'gray',
  masked: 'yellow',
  read: 'blue',
  edit: 'teal',
};

export function AccessBadge({ access }: { access: Access }) {
  return (
    <Badge color={ACCESS_COLORS[access]} variant="light" radius="sm" size="sm" w={72}>
      {ACCESS_LABELS[access]}
    </Badge>
  );
}

const cellKey = (role: Role, field: FieldKey) => `${role}:${field}`;

const GROUPS = FIELD_CATEGORIES.map((category) => ({
  category,
  fields: FIELDS.filter((f) => f.category === category),
})).filter((g) => g.fields.length > 0);

/** Which role sees which customer field: administrators change it, compliance reviews it. */
export function AccessMatrixScreen() {
  const { session } = useSession();
  const editable = session.user.role === 'administrator';
  const [tab, setTab] = useState<string | null>('matrix');
  const matrix = useLoad(() => call('visibility.matrix', {}));
  const changes = useLoad(() => call('visibility.changes', {}), tab ?? '');

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Access matrix"
          description={
            editable
              ? 'Need-to-know per role and customer field. Every change is recorded with its reason.'
              : 'Need-to-know per role and customer field, as in force now. Only an administrator may change it.'
          }
        />
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="matrix">Matrix</Tabs.Tab>
            <Tabs.Tab value="log">Change log</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="matrix" pt="md">
            <ErrorAlert>{matrix.error}</ErrorAlert>
            {matrix.data ? (
              <MatrixEditor
                value={matrix.data}
                editable={editable}
                onSaved={(next) => {
                  matrix.setData(next);
                  changes.reload();
                }}
              />
            ) : (
              !matrix.error && <Skeleton h={400} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="log" pt="md">
            <ErrorAlert>{changes.error}</ErrorAlert>
            <ChangeLog entries={changes.data} loading={changes.loading} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </div>
  );
}

function MatrixEditor({
  value,
  editable,
  onSaved,
}: {
  value: VisibilityMatrix;
  editable: boolean;
  onSaved(next: VisibilityMatrix): void;
}) {
  const [pending, setPending] = useState<Map<string, Access>>(new Map());
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const changeList = useMemo(
    () =>
      [...pending.entries()].map(([key, access]) => {
        const [role, field] = key.split(':') as [Role, FieldKey];
        return { role, field, access };
      }),
    [pending],
  );
  const customCount = useMemo(
    () =>
      ROLES.reduce(
        (n, role) =>
          n +
          FIELDS.filter((f) => value.matrix[role][f.key] !== value.defaults[role][f.key]).length,
        0,
      ),
    [value],
  );

  function setCell(role: Role, field: FieldKey, access: Access) {
    const next = new Map(pending);
    if (value.matrix[role][field] === access) next.delete(cellKey(role, field));
    else next.set(cellKey(role, field), access);
    setPending(next);
    setCellErrors({});
    setMessage(null);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setReasonError(null);
    setCellErrors({});
    setMessage(null);
    try {
      const next = await call('visibility.update', { changes: changeList, reason: reason.trim() });
      notifications.show({
        color: 'teal',
        title: 'Access matrix saved',
        message: `${changeList.length} change${changeList.length === 1 ? '' : 's'} in force now, for open sessions too.`,
      });
      setPending(new Map());
      setReason('');
      onSaved(next);
    } catch (err) {
      if (isSessionProblem(err)) return;
      const { fieldErrors, message: text } = splitError(err, ['reason']);
      const raw = (err as { fieldErrors?: Record<string, string> }).fieldErrors ?? {};
      const byCell: Record<string, string> = {};
      for (const [path, msg] of Object.entries(raw)) {
        const m = /^changes\.(\d+)\./.exec(path);
        const change = m ? changeList[Number(m[1])] : undefined;
        if (change) byCell[cellKey(change.role, change.field)] = msg;
      }
      setCellErrors(byCell);
      setReasonError(fieldErrors.reason ?? null);
      if (!fieldErrors.reason || Object.keys(byCell).length > 0)
        setMessage(Object.keys(byCell).length > 0 ? 'Some changes are not allowed.' : text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Group gap={6}>
          <span className="matrix-legend custom" aria-hidden />
          <Text size="xs" c="dimmed">
            Differs from the shipped default ({customCount})
          </Text>
        </Group>
        {editable && (
          <Group gap={6}>
            <span className="matrix-legend changed" aria-hidden />
            <Text size="xs" c="dimmed">
              Changed here, not saved yet
            </Text>
          </Group>
        )}
        <Text size="xs" c="dimmed">
          Hidden: absent everywhere · Masked: a masked form only · Read · Edit
        </Text>
      </Group>
      <Paper withBorder className="matrix-scroll">
        <Table
          className="matrix-table"
          verticalSpacing={4}
          horizontalSpacing="sm"
          aria-label="Access matrix"
          stickyHeader
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              {ROLES.map((role) => (
                <Table.Th key={role} ta="center">
                  {ROLE_LABELS[role]}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {GROUPS.map((group) => (
              <Fragment key={group.category}>
                <Table.Tr className="matrix-category">
                  <Table.Th colSpan={ROLES.length + 1} scope="colgroup">
                    {CATEGORY_LABELS[group.category]}
                  </Table.Th>
                </Table.Tr>
                {group.fields.map((field) => (
                  <Table.Tr key={field.key} data-field={field.key}>
                    <Table.Th scope="row" fw={500} className="matrix-field">
                      {field.label}
                      {field.system && (
                        <Text span size="xs" c="dimmed" ml={6}>
                          system
                        </Text>
                      )}
                    </Table.Th>
                    {ROLES.map((role) => {
                      const key = cellKey(role, field.key);
                      const saved = value.matrix[role][field.key];
                      const current = pending.get(key) ?? saved;
                      const shipped = value.defaults[role][field.key];
                      const custom = current !== shipped;
                      const changed = pending.has(key);
                      const label = `${ROLE_LABELS[role]}: ${field.label}`;
                      return (
                        <Table.Td
                          key={role}
                          className="matrix-cell"
                          data-role={role}
                          data-access={current}
                          data-changed={changed || undefined}
                          data-custom={custom || undefined}
                          ta="center"
                        >
                          <Tooltip
                            label={
                              cellErrors[key] ??
                              (custom ? `Shipped default: ${ACCESS_LABELS[shipped]}` : 'As shipped')
                            }
                            color={cellErrors[key] ? 'red' : undefined}
                            withArrow
                            openDelay={300}
                            opened={cellErrors[key] ? true : undefined}
                          >
                            <div className="matrix-cell-inner">
                              {editable ? (
                                <NativeSelect
                                  size="xs"
                                  aria-label={label}
                                  value={current}
                                  error={cellErrors[key] ? true : undefined}
                                  onChange={(e) =>
                                    setCell(role, field.key, e.currentTarget.value as Access)
                                  }
                                  data={ACCESS_LEVELS.map((a) => ({
                                    value: a,
                                    label: ACCESS_LABELS[a],
                                    disabled: a === 'edit' && field.system,
                                  }))}
                                  w={96}
                                />
                              ) : (
                                <span aria-label={`${label}: ${ACCESS_LABELS[current]}`}>
                                  <AccessBadge access={current} />
                                </span>
                              )}
                            </div>
                          </Tooltip>
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editable && (
        <Paper
          withBorder
          p="sm"
          className="save-bar"
          data-active={pending.size > 0 || undefined}
          component="form"
          onSubmit={save}
          noValidate
          aria-label="Save access matrix changes"
        >
          <Stack gap="xs">
            <ErrorAlert>{message}</ErrorAlert>
            <Group align="flex-start" wrap="nowrap">
              <Stack gap={2} w={190} mt={4}>
                <Text fw={600} size="sm" data-testid="pending-count">
                  {pending.size === 0
                    ? 'No unsaved changes'
                    : `${pending.size} unsaved change${pending.size === 1 ? '' : 's'}`}
                </Text>
                <Text size="xs" c="dimmed">
                  Applies at once to every open session.
                </Text>
              </Stack>
              <TextInput
                style={{ flex: 1 }}
                aria-label="Reason for the change"
                placeholder="Reason for the change (at least 10 characters), e.g. ticket number and who asked"
                value={reason}
                onChange={(e) => {
                  setReason(e.currentTarget.value);
                  setReasonError(null);
                }}
                error={reasonError}
                disabled={pending.size === 0}
                maxLength={1000}
              />
              <Button
                variant="default"
                leftSection={<IconX size={16} />}
                disabled={pending.size === 0 || busy}
                onClick={() => {
                  setPending(new Map());
                  setCellErrors({});
                  setMessage(null);
                  setReasonError(null);
                }}
              >
                Discard
              </Button>
              <Button
                type="submit"
                leftSection={<IconDeviceFloppy size={16} />}
                disabled={pending.size === 0}
                loading={busy}
              >
                Save changes
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {!editable && (
        <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
          Read-only for your role. The change log lists every change with who made it and why.
        </Alert>
      )}
    </Stack>
  );
}

function ChangeLog({
  entries,
  loading,
}: {
  entries: FieldAccessChange[] | null;
  loading: boolean;
}) {
  if (!entries) return loading ? <Skeleton h={200} /> : null;
  if (entries.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={500}>No changes yet</Text>
        <Text size="sm" c="dimmed">
          The matrix is as shipped.
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder>
      <Table striped verticalSpacing="xs" horizontalSpacing="md" aria-label="Access matrix changes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Field</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{formatTimestamp(c.changedAt)}</Table.Td>
              <Table.Td>{c.changedBy}</Table.Td>
              <Table.Td>{c.roleLabel}</Table.Td>
              <Table.Td>{c.fieldLabel}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <AccessBadge access={c.oldAccess} />
                  <Text span c="dimmed">
                    →
                  </Text>
                  <AccessBadge access={c.newAccess} />
                </Group>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{c.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
