import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileExport, IconFilter, IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SearchKind } from '../../../shared/catalogue';
import type { ExportFormat } from '../../../shared/disclosure';
import { SEARCH_KIND_LABELS } from '../../../shared/search';
import type { AccessLogEntry, DisclosureRecordView } from '../../../shared/types';
import { call, isApiError, isSessionProblem } from '../api';
import { FileFacts, suggestFileName, withExtension } from '../disclosures/labels';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, FileFields, ScreenHeader, TwoLines, When } from '../ui';

const PAGE = 100;

const ACTION_LABELS: Record<string, string> = {
  view_account: 'Viewed account',
  view_history: 'Viewed history',
  view_disclosures: 'Viewed disclosures',
  list: 'Listed accounts',
  search: 'Searched',
  export: 'Exported',
  view_access_log: 'Viewed access log',
  export_access_log: 'Exported access log',
};

/** "Display Name (username)" as the log gives it, on two lines. */
function StaffCell({ text }: { text: string }) {
  const m = /^(.*) \(([^()]+)\)$/.exec(text);
  return m ? <TwoLines main={m[1]} sub={`@${m[2]}`} /> : <TwoLines main={text} />;
}

interface Filter {
  accountId?: string;
  from?: string;
  to?: string;
}

/** Policy P3: who viewed or searched what, from which workstation, and when (compliance). */
export function AccessLogScreen() {
  const { unlockCount } = useSession();
  const [accountNumber, setAccountNumber] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const [filterErrors, setFilterErrors] = useState<Record<string, string>>({});
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  const [pruneOpen, setPruneOpen] = useState(false);

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      try {
        const page = await call('accessLog.list', {
          ...filter,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        setEntries((prev) => (cursor && prev ? [...prev, ...page.entries] : page.entries));
        setNextCursor(page.nextCursor);
        setError(null);
      } catch (err) {
        if (isSessionProblem(err)) return;
        if (isApiError(err) && err.fieldErrors) setFilterErrors(err.fieldErrors);
        setError(isApiError(err) ? err.message : 'Could not read the access log.');
      } finally {
        setLoading(false);
      }
    },
    [filter],
  );

  useEffect(() => {
    void load(null);
  }, [load, unlockCount]);

  /** The account filter is typed as an account number and resolved to the account's id. */
  async function applyFilter(e: FormEvent) {
    e.preventDefault();
    setFilterErrors({});
    const next: Filter = {};
    if (from) next.from = from;
    if (to) next.to = to;
    const wanted = accountNumber.trim().toUpperCase();
    if (wanted) {
      try {
        const page = await call('accounts.list', {
          search: wanted,
          searchKind: 'accountNumber',
          sort: 'createdAt',
          limit: 5,
        });
        const match = page.rows.find((r) => String(r.fields.accountNumber ?? '') === wanted);
        if (!match) {
          setFilterErrors({ accountId: 'No account has this number.' });
          return;
        }
        next.accountId = match.id;
      } catch (err) {
        if (isSessionProblem(err)) return;
        setFilterErrors({ accountId: isApiError(err) ? err.message : 'Search failed.' });
        return;
      }
    }
    setFilter(next);
  }

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
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
        />
        <Paper withBorder p="md" component="form" onSubmit={applyFilter} aria-label="Filter">
          <Group align="flex-start" gap="md">
            <TextInput
              label="Account number"
              placeholder="e.g. C-1000042"
              value={accountNumber}
              onChange={(e) => setAccountNumber(e.currentTarget.value)}
              error={filterErrors.accountId}
              w={200}
              autoComplete="off"
              spellCheck={false}
            />
            <TextInput
              label="From"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={filterErrors.from}
              w={170}
            />
            <TextInput
              label="To (inclusive)"
              type="date"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={filterErrors.to}
              w={170}
            />
            <Button type="submit" mt={25} leftSection={<IconFilter size={16} />} loading={loading}>
              Apply
            </Button>
            {(filter.accountId || filter.from || filter.to) && (
              <Button
                mt={25}
                variant="subtle"
                color="gray"
                onClick={() => {
                  setAccountNumber('');
                  setFrom('');
                  setTo('');
                  setFilterErrors({});
                  setFilter({});
                }}
              >
                Clear
              </Button>
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={6}>
            <IconInfoCircle size={12} style={{ verticalAlign: -2 }} /> The staff list is for
            administrators only, so the log is not filtered by staff member here; each row names who
            acted.
          </Text>
        </Paper>
        <ErrorAlert>{error}</ErrorAlert>
        <Paper withBorder className="table-scroll">
          <Table
            verticalSpacing={6}
            horizontalSpacing="sm"
            fz="sm"
            striped
            aria-label="Access log"
            className="log-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Staff</Table.Th>
                <Table.Th>Workstation</Table.Th>
                <Table.Th>OS and app version</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Screen</Table.Th>
                <Table.Th>Query kind</Table.Th>
                <Table.Th ta="right">Records</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!entries && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Skeleton h={24} />
                  </Table.Td>
                </Table.Tr>
              )}
              {entries && entries.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text ta="center" c="dimmed" py="md">
                      Nothing logged for this filter.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {entries?.map((e) => (
                <Table.Tr key={e.id} data-action={e.action}>
                  <Table.Td className="nowrap">
                    <When iso={e.at} />
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <StaffCell text={e.staff} />
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <TwoLines main={e.hostname} sub={e.ip} />
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={e.os} withArrow openDelay={300}>
                      <div>
                        <TwoLines
                          main={
                            <span className="cell-clip" style={{ maxWidth: 160 }}>
                              {e.os}
                            </span>
                          }
                          sub={`Custodian ${e.appVersion}`}
                        />
                      </div>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <Badge variant="light" color="gray" radius="sm" tt="none">
                      {ACTION_LABELS[e.action] ?? e.action}
                    </Badge>
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    <span className="cell-clip" style={{ maxWidth: 170 }}>
                      {e.screen}
                    </span>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {e.queryKind
                      ? (SEARCH_KIND_LABELS[e.queryKind as SearchKind] ?? e.queryKind)
                      : '—'}
                  </Table.Td>
                  <Table.Td ta="right">{e.resultCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Group justify="space-between">
          <Text size="xs" c="dimmed" data-testid="access-log-status">
            {entries ? `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} shown` : ''}
            {nextCursor ? ' · more available' : entries?.length ? ' · end of log' : ''}
          </Text>
          {nextCursor && (
            <Button variant="default" loading={loading} onClick={() => void load(nextCursor)}>
              Load more
            </Button>
          )}
        </Group>
      </Stack>
      <Modal opened={exportOpen} onClose={() => setExportOpen(false)} title="Export the access log">
        {exportOpen && <ExportForm filter={filter} onClose={() => setExportOpen(false)} />}
      </Modal>
      <Modal opened={pruneOpen} onClose={() => setPruneOpen(false)} title="Prune the access log">
        {pruneOpen && (
          <PruneForm
            onClose={() => setPruneOpen(false)}
            onPruned={() => {
              setPruneOpen(false);
              void load(null);
            }}
          />
        )}
      </Modal>
    </div>
  );
}

function ExportForm({ filter, onClose }: { filter: Filter; onClose(): void }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState(() => suggestFileName('access-log', 'csv'));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DisclosureRecordView | null>(null);
  const filtered = Boolean(filter.accountId || filter.from || filter.to);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setDone(await call('accessLog.export', { ...filter, format, fileName }));
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['fileName']);
      setError(split.fieldErrors.fileName ?? null);
      if (!split.fieldErrors.fileName) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Stack gap="sm">
        <Text size="sm">The access log is exported. The export itself is logged.</Text>
        <FileFacts record={done} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {filtered ? 'Exports the entries matching the current filter.' : 'Exports every entry.'}
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <FileFields
          format={format}
          onFormat={(f) => {
            setFormat(f);
            setFileName((n) => withExtension(n, f));
          }}
          fileName={fileName}
          onFileName={setFileName}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Export
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PruneForm({ onClose, onPruned }: { onClose(): void; onPruned(): void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function prune() {
    setBusy(true);
    setMessage(null);
    try {
      const out = await call('accessLog.prune', {});
      notifications.show({
        color: 'teal',
        title: 'Access log pruned',
        message: `${out.removed} entr${out.removed === 1 ? 'y' : 'ies'} older than ${formatTimestamp(out.cutoff)} removed.`,
      });
      onPruned();
    } catch (err) {
      if (!isSessionProblem(err)) setMessage(splitError(err, []).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>
        Removes entries older than the retention period set by an administrator in Settings. The
        console also prunes at every start. The pruning itself is recorded.
      </Alert>
      <ErrorAlert>{message}</ErrorAlert>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={busy} onClick={() => void prune()}>
          Prune now
        </Button>
      </Group>
    </Stack>
  );
}
