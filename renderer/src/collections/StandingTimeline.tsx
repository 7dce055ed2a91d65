import { Group, Text, Timeline } from '@mantine/core';
import { IconArrowRight, IconFlag, IconPackageExport } from '@tabler/icons-react';
import type { StandingEvent } from '../../../shared/types';
import { formatRecorded } from '../format';
import { StandingBadge, money, reasonLabel } from './common';

/** Every standing change of an account, newest first, with its reason and the figures recorded. */
export function StandingTimeline({
  events,
  currency,
}: {
  events: StandingEvent[];
  currency: string | null;
}) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No standing change is recorded for this account yet.
      </Text>
    );
  }
  const newestFirst = [...events].reverse();
  return (
    <Timeline bulletSize={26} lineWidth={2} active={events.length} aria-label="Standing timeline">
      {newestFirst.map((e) => (
        <Timeline.Item
          key={e.id}
          data-testid="standing-event"
          bullet={e.batchId ? <IconPackageExport size={14} /> : <IconFlag size={14} />}
          title={
            <Group gap={6} wrap="wrap">
              <StandingBadge standing={e.from} size="sm" />
              <IconArrowRight size={14} aria-label="to" />
              <StandingBadge standing={e.to} size="sm" />
              <Text size="sm" c="dimmed">
                {formatRecorded(e)} · by {e.by ?? 'the system'}
              </Text>
            </Group>
          }
        >
          <EventFacts event={e} currency={currency} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function EventFacts({ event: e, currency }: { event: StandingEvent; currency: string | null }) {
  return (
    <dl className="timeline-changes" style={{ marginTop: 6 }}>
      <dt>Reason</dt>
      <dd>{reasonLabel(e.reason)}</dd>
      {e.note && (
        <>
          <dt>Note</dt>
          <dd style={{ whiteSpace: 'pre-wrap' }}>{e.note}</dd>
        </>
      )}
      {e.balanceCents !== null && (
        <>
          <dt>Balance owed</dt>
          <dd>{currency ? money(e.balanceCents, currency) : e.balanceCents}</dd>
        </>
      )}
      <dt>Days past due</dt>
      <dd>{e.daysPastDue}</dd>
      {e.batchId && (
        <>
          <dt>Made by</dt>
          <dd>
            {e.batchNeverSent
              ? 'a collection batch that was never sent: its placement file was never written, so nothing reached the agency'
              : 'a collection batch'}
          </dd>
        </>
      )}
    </dl>
  );
}
