import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHandStop, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { HOLD_KINDS, HOLD_LABELS, HOLD_ROLES, type HoldKind } from '../../../shared/standing';
import type { AccountHold } from '../../../shared/types';
import { call, isSessionProblem } from '../api';
import { formatTimestamp, todayIso } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';

type Editing = { mode: 'set' } | { mode: 'clear'; hold: AccountHold } | null;

/** Collection holds: an account with one is never placed with a collection agency. */
export function HoldsPanel({ accountId }: { accountId: string }) {
  const { session } = useSession();
  const canManage = HOLD_ROLES.includes(session.user.role);
  const holds = useLoad(() => call('holds.list', { accountId }), accountId);
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="sm" tt="uppercase" c="dimmed" lts={0.4}>
          Collection holds
        </Title>
        {canManage && (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconHandStop size={14} />}
            onClick={() => setEditing({ mode: 'set' })}
          >
            Set a hold…
          </Button>
        )}
      </Group>
      {holds.error ? (
        <ErrorAlert>{holds.error}</ErrorAlert>
      ) : !holds.data ? (
        <Skeleton h={60} />
      ) : holds.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No hold. An account flagged bankruptcy, deceased or attorney-represented is never placed
          with a collection agency.
        </Text>
      ) : (
        <Stack gap={0} role="list" aria-label="Collection holds">
          {holds.data.map((h, i) => (
            <Group
              key={h.kind}
              role="listitem"
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              py="xs"
              style={i > 0 ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}
            >
              <div style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Badge color="red" variant="light" radius="sm">
                    {h.label}
                  </Badge>
                  <Text size="sm">since {h.since}</Text>
                </Group>
                <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {h.note}
                </Text>
                <Text size="xs" c="dimmed">
                  Set by {h.setBy}, {formatTimestamp(h.setAt)}
                </Text>
              </div>
              {canManage && (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  leftSection={<IconX size={14} />}
                  onClick={() => setEditing({ mode: 'clear', hold: h })}
                  aria-label={`Clear the ${h.label.toLowerCase()} hold`}
                >
                  Clear
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing?.mode === 'clear'
            ? `Clear the ${editing.hold.label.toLowerCase()} hold`
            : 'Set a collection hold'
        }
      >
        {editing && (
          <HoldForm
            accountId={accountId}
            editing={editing}
            onCancel={() => setEditing(null)}
            onSaved={(next, title, message) => {
              holds.setData(next);
              setEditing(null);
              notifications.show({ color: 'teal', title, message });
            }}
          />
        )}
      </Modal>
    </Paper>
  );
}

function HoldForm({
  accountId,
  editing,
  onCancel,
  onSaved,
}: {
  accountId: string;
  editing: NonNullable<Editing>;
  onCancel(): void;
  onSaved(holds: AccountHold[], title: string, message: string): void;
}) {
  const [kind, setKind] = useState<HoldKind | null>(null);
  const [since, setSince] = useState(todayIso());
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      if (editing.mode === 'set') {
        const next = await call('holds.set', {
          accountId,
          kind: kind as HoldKind,
          since,
          note,
        });
        onSaved(
          next,
          `${HOLD_LABELS[kind!]} hold set`,
          'The account is left out of every collection batch while the hold stands.',
        );
      } else {
        const next = await call('holds.clear', {
          accountId,
          kind: editing.hold.kind as HoldKind,
          note,
        });
        onSaved(
          next,
          `${editing.hold.label} hold cleared`,
          'The account may be placed with an agency again.',
        );
      }
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['kind', 'since', 'note']);
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
        {editing.mode === 'set' && (
          <>
            <Select
              label="Hold"
              placeholder="Choose the kind of hold"
              data={HOLD_KINDS.map((k) => ({ value: k, label: HOLD_LABELS[k] }))}
              value={kind}
              onChange={(v) => setKind(v as HoldKind | null)}
              error={errors.kind}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label="Since"
              description="The date of the filing, the death or the attorney's notice."
              type="date"
              value={since}
              onChange={(e) => setSince(e.currentTarget.value)}
              error={errors.since}
            />
          </>
        )}
        <Textarea
          label={editing.mode === 'set' ? 'What the hold rests on' : 'Why the hold ends'}
          description={
            editing.mode === 'set'
              ? 'e.g. the case number, the notice received.'
              : 'e.g. case dismissed, representation ended.'
          }
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={errors.note}
          autosize
          minRows={2}
          maxLength={1000}
          data-autofocus
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} color={editing.mode === 'clear' ? 'red' : undefined}>
            {editing.mode === 'set' ? 'Set hold' : 'Clear hold'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
