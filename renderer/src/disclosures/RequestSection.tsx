import { Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DisclosureRequestView } from '../../../shared/types';
import { RequestCard } from './RequestCard';

/** A titled list of request cards, with its count, a placeholder while loading, or a sentence when empty. */
export function RequestSection({
  id,
  title,
  none,
  requests,
  actions,
}: {
  id: string;
  title: string;
  none: string;
  /** Undefined until the inbox has loaded. */
  requests: DisclosureRequestView[] | undefined;
  actions(request: DisclosureRequestView): ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Title order={3} fz="h5" mb="xs" id={id}>
        {title} ({requests?.length ?? 0})
      </Title>
      {!requests ? (
        <Skeleton h={80} />
      ) : requests.length === 0 ? (
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            {none}
          </Text>
        </Paper>
      ) : (
        <Stack gap="sm">
          {requests.map((r) => (
            <RequestCard key={r.id} request={r} actions={actions(r)} />
          ))}
        </Stack>
      )}
    </section>
  );
}
