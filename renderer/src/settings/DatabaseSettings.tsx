import { Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconDatabase } from '@tabler/icons-react';
import { useChannel } from '../data';
import { ErrorAlert } from '../ui';
import { ConnectionForm } from './connection/ConnectionForm';

/**
 * Which database this workstation opens: its own local file (the default, works offline) or the
 * team's PostgreSQL server. Administrators only; a change applies at the next start.
 */
export function DatabaseSettings() {
  const view = useChannel('connection.get', {});
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="database-heading">
      <Stack gap="md">
        <Group gap="xs">
          <IconDatabase size={18} />
          <Text fw={600} id="database-heading">
            Database
          </Text>
        </Group>
        <Text size="sm" c="dimmed" mt={-10}>
          Where this workstation keeps customer accounts. This setting belongs to this workstation
          only, and a change takes effect the next time Custodian starts.
        </Text>
        <ErrorAlert>{view.error}</ErrorAlert>
        {!view.data ? !view.error && <Skeleton h={120} /> : <ConnectionForm initial={view.data} />}
      </Stack>
    </Paper>
  );
}
