import { Skeleton, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useChannel } from '../data';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { ChangeLog } from './ChangeLog';
import { MatrixEditor } from './MatrixEditor';

/** Which role sees which customer field: administrators change it, compliance reviews it. */
export function AccessMatrixScreen() {
  const { session } = useSession();
  const editable = session.user.role === 'administrator';
  const [tab, setTab] = useState<string | null>('matrix');
  const matrix = useChannel('visibility.matrix', {});
  // Read when the tab opens; a save invalidates it (data/invalidation.ts).
  const changes = useChannel('visibility.changes', {}, { enabled: tab === 'log' });

  return (
    <Screen
      title="Access matrix"
      description={
        editable
          ? 'Need-to-know per role and customer field. Every change is recorded with its reason.'
          : 'Need-to-know per role and customer field, as in force now. Only an administrator may change it.'
      }
    >
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="matrix">Matrix</Tabs.Tab>
          <Tabs.Tab value="log">Change log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="matrix" pt="md">
          <ErrorAlert>{matrix.error}</ErrorAlert>
          {matrix.data ? (
            <MatrixEditor value={matrix.data} editable={editable} />
          ) : (
            !matrix.error && <Skeleton h={400} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="log" pt="md">
          <ErrorAlert>{changes.error}</ErrorAlert>
          <ChangeLog entries={changes.data} loading={changes.loading} />
        </Tabs.Panel>
      </Tabs>
    </Screen>
  );
}
