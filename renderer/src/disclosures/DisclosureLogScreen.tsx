import { Alert, Button, Group, Modal, Paper, Select, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileCertificate } from '@tabler/icons-react';
import { useState } from 'react';
import { PURPOSES, type LoggedPurpose } from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';
import { useChannel } from '../data';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { CheckpointForm } from './CheckpointForm';
import { LogTable } from './LogTable';
import { purposeLabel } from './labels';
import { useLogPages } from './useLogPages';
import { VerifyPanel } from './VerifyPanel';

const PURPOSE_FILTER: { value: LoggedPurpose | ''; label: string }[] = [
  { value: '', label: 'All purposes' },
  ...[...PURPOSES, 'internal' as const].map((p) => ({ value: p, label: purposeLabel(p) })),
];

/** The hash-chained disclosure log: every attempt, newest first, and its verification. */
export function DisclosureLogScreen() {
  const { session } = useSession();
  const isCompliance = session.user.role === 'compliance_officer';
  const [purpose, setPurpose] = useState<LoggedPurpose | ''>('');
  const log = useLogPages(purpose || null);
  const recovered = useChannel('disclosures.recovered', {});
  const [checkpointOpen, setCheckpointOpen] = useState(false);
  const records = log.records;

  return (
    <Screen
      title="Disclosure log"
      description="Every disclosure and internal export, refused ones included. Append-only and hash-chained; kept at least six years."
      actions={
        isCompliance && (
          <Button
            variant="default"
            leftSection={<IconFileCertificate size={16} />}
            onClick={() => setCheckpointOpen(true)}
          >
            Save checkpoint
          </Button>
        )
      }
    >
      {recovered.data && <RecoveredAlert records={recovered.data} />}
      <VerifyPanel />
      <Group align="flex-end">
        <Select
          label="Purpose"
          data={PURPOSE_FILTER}
          value={purpose}
          onChange={(v) => setPurpose(v ?? '')}
          allowDeselect={false}
          w={240}
        />
        <Text size="sm" c="dimmed" mb={8}>
          {records ? `${records.length} record${records.length === 1 ? '' : 's'} shown` : ''}
          {log.more ? ' · more below' : ''}
        </Text>
      </Group>
      <ErrorAlert>{log.error}</ErrorAlert>
      <Paper withBorder className="table-scroll">
        {/* A new filter starts with every record closed. */}
        <LogTable key={purpose} records={records} filtered={purpose !== ''} />
      </Paper>
      {log.more && (
        <Group justify="center">
          <Button variant="default" loading={log.loadingMore} onClick={log.loadMore}>
            Load more
          </Button>
        </Group>
      )}
      <Modal
        opened={checkpointOpen}
        onClose={() => setCheckpointOpen(false)}
        title="Save a signed checkpoint"
      >
        {checkpointOpen && <CheckpointForm onClose={() => setCheckpointOpen(false)} />}
      </Modal>
    </Screen>
  );
}

/** Exports the program stopped in the middle of, abandoned at the next start. */
function RecoveredAlert({ records }: { records: DisclosureRecordView[] }) {
  if (records.length === 0) return null;
  return (
    <Alert
      color="orange"
      icon={<IconAlertTriangle size={18} />}
      title="Interrupted exports"
      data-testid="recovered"
    >
      {records.length} export{records.length === 1 ? ' was' : 's were'} interrupted (the program
      stopped while writing) and abandoned: no file was left behind. Records{' '}
      {records
        .slice(0, 10)
        .map((r) => `#${r.seq}`)
        .join(', ')}
      {records.length > 10 ? ' …' : ''}.
    </Alert>
  );
}
