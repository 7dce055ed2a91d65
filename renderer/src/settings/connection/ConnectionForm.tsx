import { Alert, Button, Group, Radio, Stack, Text } from '@mantine/core';
import {
  IconCircleCheck,
  IconCircleX,
  IconDeviceFloppy,
  IconPlugConnected,
} from '@tabler/icons-react';
import type { ConnectionView } from '../../../../shared/types';
import { ErrorAlert } from '../../ui';
import { ServerFields } from './ServerFields';
import { useConnectionForm } from './useConnectionForm';

/** The local database or the team's server: test the connection, save it for the next start. */
export function ConnectionForm({ initial }: { initial: ConnectionView }) {
  const c = useConnectionForm(initial);
  return (
    <form onSubmit={c.onSubmit} noValidate aria-label="Database connection">
      <Stack gap="md">
        <ErrorAlert>{c.message}</ErrorAlert>
        <Radio.Group label="Connect to" {...c.field('mode')}>
          <Stack gap="xs" mt={6}>
            <Radio
              value="sqlite"
              label="Local database on this workstation (default)"
              description="One file in this computer's user-data folder. Works offline; nobody else sees it."
            />
            <Radio
              value="pg"
              label="Team server (PostgreSQL)"
              description="Every workstation of the team opens the same database on one PostgreSQL server."
            />
          </Stack>
        </Radio.Group>
        {c.values.mode === 'pg' && (
          <ServerFields field={c.field} initial={initial} tls={c.values.tls} />
        )}
        <ConnectionOutcome test={c.test} saved={c.savedView} />
        <Group>
          <Button
            variant="default"
            leftSection={<IconPlugConnected size={16} />}
            onClick={() => void c.runTest()}
            loading={c.busy === 'test'}
          >
            Test connection
          </Button>
          <Button
            type="submit"
            leftSection={<IconDeviceFloppy size={16} />}
            loading={c.busy === 'save'}
          >
            Save
          </Button>
          <Text size="xs" c="dimmed">
            Takes effect the next time Custodian starts.
          </Text>
        </Group>
      </Stack>
    </form>
  );
}

/** The last test's answer, and what the next start opens after a save. */
function ConnectionOutcome({
  test,
  saved,
}: {
  test: { ok: boolean; message: string } | null;
  saved: ConnectionView | null;
}) {
  return (
    <>
      {test && (
        <Alert
          color={test.ok ? 'teal' : 'red'}
          icon={test.ok ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
          title={test.ok ? 'Connection works' : 'Connection failed'}
          data-testid="connection-test"
          role={test.ok ? undefined : 'alert'}
        >
          {test.message}
        </Alert>
      )}
      {saved && (
        <Alert
          color="blue"
          icon={<IconCircleCheck size={18} />}
          title="Saved"
          data-testid="connection-saved"
        >
          {saved.mode === 'pg'
            ? `From the next start, this workstation opens database "${saved.database ?? ''}" on ${saved.host ?? ''}:${saved.port ?? ''}.`
            : 'From the next start, this workstation opens its local database.'}{' '}
          Custodian keeps using the current database until it is closed and started again.
        </Alert>
      )}
    </>
  );
}
