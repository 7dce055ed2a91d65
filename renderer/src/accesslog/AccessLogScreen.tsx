import { Button, Group, Modal, Paper, Text } from '@mantine/core';
import { IconFileExport, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannelPages } from '../data';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { AccessLogExportForm } from './AccessLogExportForm';
import { AccessLogFilterForm, type AccessLogFilter } from './AccessLogFilterForm';
import { AccessLogTable } from './AccessLogTable';
import { PruneForm } from './PruneForm';

const PAGE = 100;

/** Policy P3: who viewed or searched what, from which workstation, and when (compliance). */
export function AccessLogScreen() {
  const [filter, setFilter] = useState<AccessLogFilter>({});
  const [exportOpen, setExportOpen] = useState(false);
  const [pruneOpen, setPruneOpen] = useState(false);
  const log = useChannelPages('accessLog.list', { ...filter, limit: PAGE }, (p) => p.nextCursor);
  const entries = log.pages?.flatMap((p) => p.entries);

  return (
    <Screen
      title="Access log"
      description="Who viewed or searched which records, from which workstation, and when. It holds record ids and query kinds, never the values seen or the text searched."
      actions={
        <>
          <Button
            variant="default"
            leftSection={<IconFileExport size={16} />}
            onClick={() => setExportOpen(true)}
          >
            Export…
          </Button>
          <Button
            variant="light"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => setPruneOpen(true)}
          >
            Prune now…
          </Button>
        </>
      }
    >
      <AccessLogFilterForm
        filter={filter}
        onFilter={setFilter}
        listErrors={log.refusal?.fieldErrors ?? {}}
        loading={log.fetching}
      />
      <ErrorAlert>{log.error}</ErrorAlert>
      <Paper withBorder className="table-scroll">
        <AccessLogTable entries={entries} />
      </Paper>
      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="access-log-status">
          {entries ? `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} shown` : ''}
          {log.hasMore ? ' · more available' : entries?.length ? ' · end of log' : ''}
        </Text>
        {log.hasMore && (
          <Button variant="default" loading={log.fetching} onClick={log.loadMore}>
            Load more
          </Button>
        )}
      </Group>
      <Modal opened={exportOpen} onClose={() => setExportOpen(false)} title="Export the access log">
        {exportOpen && <AccessLogExportForm filter={filter} onClose={() => setExportOpen(false)} />}
      </Modal>
      <Modal opened={pruneOpen} onClose={() => setPruneOpen(false)} title="Prune the access log">
        {pruneOpen && (
          <PruneForm onClose={() => setPruneOpen(false)} onPruned={() => setPruneOpen(false)} />
        )}
      </Modal>
    </Screen>
  );
}
