import { Badge, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DisclosureRequestView } from '../../../shared/types';
import { formatTimestamp } from '../format';
import { fieldLabel, purposeLabel, recipientTypeLabel } from './labels';

const REQUEST_STATUS: Record<DisclosureRequestView['status'], { label: string; color: string }> = {
  pending: { label: 'Waiting for approval', color: 'yellow' },
  approved: { label: 'Approved: ready to carry out', color: 'teal' },
  rejected: { label: 'Rejected', color: 'red' },
  done: { label: 'Carried out', color: 'gray' },
};

/** One disclosure request: what, to whom, who asked, where its approval stands. */
export function RequestCard({
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
            <Paper bg="var(--app-stripe)" p="xs" radius="sm">
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
