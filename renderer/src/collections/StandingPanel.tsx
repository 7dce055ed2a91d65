import { Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AccountDetail } from '../../../shared/types';
import { useChannel } from '../data';
import { isMasked, valueText } from '../format';
import { ErrorAlert } from '../ui';
import { ChangeStandingForm } from './ChangeStandingForm';
import { HoldsPanel } from './HoldsPanel';
import { StandingBadge, isStanding } from './common';
import { StandingTimeline } from './StandingTimeline';

/** The account's standing: where it is, how it got there, how it may move, and its holds. */
export function StandingPanel({
  detail,
  onChanged,
}: {
  detail: AccountDetail;
  /** Called after a change, so the account is read again. */
  onChanged(): void;
}) {
  const timeline = useChannel('standing.timeline', { accountId: detail.id });
  const { fields, access } = detail;
  const standing = isStanding(fields.standing) ? fields.standing : null;
  const currency =
    typeof fields.currency === 'string' && !isMasked(access, 'currency') ? fields.currency : null;

  return (
    <Stack gap="md">
      <CurrentFigures detail={detail} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" style={{ alignItems: 'start' }}>
        <Paper withBorder p="lg">
          <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="md" lts={0.4}>
            Standing timeline
          </Title>
          {timeline.error ? (
            <ErrorAlert>{timeline.error}</ErrorAlert>
          ) : !timeline.data ? (
            <Skeleton h={160} />
          ) : (
            <StandingTimeline events={timeline.data} currency={currency} />
          )}
        </Paper>
        <Stack gap="md">
          {standing && (
            <ChangeStandingForm
              detail={detail}
              standing={standing}
              currency={currency}
              onDone={onChanged}
            />
          )}
          <HoldsPanel accountId={detail.id} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

/** Standing, days past due and balance as they are now. */
function CurrentFigures({ detail: { fields, access } }: { detail: AccountDetail }) {
  // Shown as it comes, even masked.
  const standing = typeof fields.standing === 'string' ? fields.standing : null;
  const balance = valueText('balanceCents', fields, access);
  return (
    <Paper withBorder p="md">
      <Group gap="xl" wrap="wrap">
        <Figure label="Current standing" testId="current-standing" block>
          {standing ? <StandingBadge standing={standing} /> : <Text c="dimmed">—</Text>}
        </Figure>
        <Figure label="Days past due" testId="current-days">
          {typeof fields.daysPastDue === 'number' ? fields.daysPastDue : '—'}
        </Figure>
        {'balanceCents' in access && (
          <Figure label="Balance owed" testId="current-balance">
            {balance ?? '—'}
          </Figure>
        )}
      </Group>
    </Paper>
  );
}

function Figure({
  label,
  testId,
  block = false,
  children,
}: {
  label: string;
  testId: string;
  /** A badge or other block rather than a figure in bold. */
  block?: boolean;
  children: ReactNode;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      {block ? (
        <div data-testid={testId}>{children}</div>
      ) : (
        <Text fw={600} data-testid={testId}>
          {children}
        </Text>
      )}
    </div>
  );
}
