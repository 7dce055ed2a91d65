import { Group, Paper, Skeleton, Text, Title } from '@mantine/core';
import { IconPackageExport } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useChannel } from '../data';
import { ErrorAlert } from '../ui';
import { BatchBuilder } from './BatchBuilder';

/** The panel where an agent builds a batch for one of the registered collection agencies. */
export function NewBatch({ onSent }: { onSent(): void }) {
  const recipients = useChannel('recipients.list', {});
  const agencies = useMemo(
    () => (recipients.data ?? []).filter((r) => r.type === 'collection_agency' && r.active),
    [recipients.data],
  );
  // A new generation starts an empty builder ("Start another batch").
  const [generation, setGeneration] = useState(0);

  return (
    <Paper withBorder p="lg">
      <Group gap="xs" mb="sm">
        <IconPackageExport size={18} />
        <Title order={3} fz="md">
          New batch
        </Title>
      </Group>
      <ErrorAlert>{recipients.error}</ErrorAlert>
      {!recipients.data ? (
        <Skeleton h={80} />
      ) : agencies.length === 0 ? (
        <Text size="sm" c="dimmed">
          No collection agency is registered. Compliance registers agencies under Recipients.
        </Text>
      ) : (
        <BatchBuilder
          key={generation}
          agencies={agencies}
          onSent={onSent}
          onReset={() => setGeneration((n) => n + 1)}
        />
      )}
    </Paper>
  );
}
