import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ROLE_LABELS } from '../../../shared/roles';
import type { RoleGrantView } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { formatTimestamp } from '../format';
import { ErrorAlert } from '../ui';
import { DecisionButtons } from './DecisionButtons';

const KIND_TEXT: Record<RoleGrantView['kind'], string> = {
  create: 'new account',
  role_change: 'role change',
  reactivate: 'reactivation',
};

/**
 * Grants of the administrator or compliance officer role waiting for a second holder
 * (administrators and compliance officers only; main/ decides who may approve and says why not).
 */
export function RoleGrantsSection() {
  const grants = useChannel('staff.grants', {});
  // The grants are read again after a decision (data/invalidation.ts) and after a refusal, which
  // may mean another holder decided meanwhile.
  const decision = useAction('staff.decideGrant', { onRefused: () => grants.reload() });

  async function decide(g: RoleGrantView, choice: 'approved' | 'rejected') {
    const done = await decision.run({ id: g.id, decision: choice });
    if (!done) return;
    notifications.show({
      color: choice === 'approved' ? 'teal' : 'gray',
      title: choice === 'approved' ? 'Role granted' : 'Role grant rejected',
      message:
        choice === 'approved'
          ? `${g.displayName} is now ${ROLE_LABELS[g.role].toLowerCase()}.`
          : `${g.displayName} keeps their account as it was.`,
    });
  }

  const busyId = decision.busy ? decision.mutation.variables?.id : undefined;
  const list = grants.data ?? [];
  return (
    <section aria-labelledby="role-grants">
      <Title order={3} fz="h5" mb="xs" id="role-grants">
        Role grants waiting for approval ({list.length})
      </Title>
      <ErrorAlert>{grants.error ?? decision.message}</ErrorAlert>
      {!grants.data ? (
        <Skeleton h={60} />
      ) : list.length === 0 ? (
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            No role grant is waiting.
          </Text>
        </Paper>
      ) : (
        <Stack gap="sm">
          {list.map((g) => (
            <GrantCard
              key={g.id}
              grant={g}
              busy={busyId === g.id}
              onDecide={(d) => void decide(g, d)}
            />
          ))}
        </Stack>
      )}
    </section>
  );
}

function GrantCard({
  grant: g,
  busy,
  onDecide,
}: {
  grant: RoleGrantView;
  busy: boolean;
  onDecide(decision: 'approved' | 'rejected'): void;
}) {
  return (
    <Paper withBorder p="md" data-testid="grant-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{g.displayName}</Text>
            <Text size="sm" c="dimmed" ff="monospace">
              @{g.username}
            </Text>
            <Text c="dimmed">to become</Text>
            <Text fw={600}>{ROLE_LABELS[g.role]}</Text>
            <Badge color="yellow" variant="light" radius="sm">
              Pending approval · {KIND_TEXT[g.kind]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Asked for by {g.requestedBy} on {formatTimestamp(g.requestedAt)}
          </Text>
          {g.cannotApprove && <Text size="sm">{g.cannotApprove}</Text>}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <DecisionButtons
            busy={busy}
            cannotApprove={g.cannotApprove !== null}
            rejectDisabled={busy}
            onApprove={() => onDecide('approved')}
            onReject={() => onDecide('rejected')}
            about={`the role grant of ${g.displayName}`}
          />
        </Group>
      </Group>
    </Paper>
  );
}
