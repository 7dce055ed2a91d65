import { Badge, Button, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHandStop, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { HOLD_ROLES } from '../../../shared/standing';
import type { AccountHold } from '../../../shared/types';
import { useChannel } from '../data';
import { formatTimestamp } from '../format';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import { HoldForm, type HoldEditing } from './HoldForm';

/** Collection holds: an account with one is never placed with a collection agency. */
export function HoldsPanel({ accountId }: { accountId: string }) {
  const { session } = useSession();
  const canManage = HOLD_ROLES.includes(session.user.role);
  const holds = useChannel('holds.list', { accountId });
  const [editing, setEditing] = useState<HoldEditing | null>(null);

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
        <HoldsList
          holds={holds.data}
          onClear={canManage ? (hold) => setEditing({ mode: 'clear', hold }) : null}
        />
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

function HoldsList({
  holds,
  onClear,
}: {
  holds: AccountHold[];
  onClear: ((hold: AccountHold) => void) | null;
}) {
  return (
    <Stack gap={0} role="list" aria-label="Collection holds">
      {holds.map((h, i) => (
        <Group
          key={h.kind}
          role="listitem"
          justify="space-between"
          align="flex-start"
          wrap="nowrap"
          py="xs"
          style={i > 0 ? { borderTop: '1px solid var(--app-line-soft)' } : undefined}
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
          {onClear && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              leftSection={<IconX size={14} />}
              onClick={() => onClear(h)}
              aria-label={`Clear the ${h.label.toLowerCase()} hold`}
            >
              Clear
            </Button>
          )}
        </Group>
      ))}
    </Stack>
  );
}
