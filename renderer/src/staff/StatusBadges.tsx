import { Badge, Group, Tooltip } from '@mantine/core';
import { ROLE_LABELS } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { formatTimestamp } from '../format';

/** Active or deactivated, and a privileged role that waits for a second holder's approval. */
export function StatusBadges({ member: m }: { member: StaffSummary }) {
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
