import {
  ActionIcon,
  Alert,
  Button,
  FileInput,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconChevronDown,
  IconChevronRight,
  IconDeviceFloppy,
  IconFileCertificate,
  IconShieldCheck,
  IconShieldX,
} from '@tabler/icons-react';
import { Fragment, useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { PURPOSES, type LoggedPurpose } from '../../../shared/disclosure';
import { ROLE_LABELS } from '../../../shared/roles';
import type { ChainVerification, DisclosureRecordView } from '../../../shared/types';
import { call, isApiError, isSessionProblem } from '../api';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, FileFields, ScreenHeader, When } from '../ui';
import { useLoad } from '../useLoad';
import {
  ShortHash,
  StatusBadge,
  fieldLabel,
  purposeLabel,
  recipientTypeLabel,
  suggestFileName,
} from './labels';

const PAGE = 100;
const PURPOSE_FILTER = [
  { value: '', label: 'All purposes' },
  ...[...PURPOSES, 'internal' as const].map((p) => ({ value: p, label: purposeLabel(p) })),
];

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file.'));
    reader.readAsText(file);
  });
}

/** The hash-chained disclosure log: every attempt, newest first, and its verification. */
export function DisclosureLogScreen() {
  const { session, unlockCount } = useSession();
  const isCompliance = session.user.role === 'compliance_officer';
  const [purpose, setPurpose] = useState<string>('');
  const [records, setRecords] = useState<DisclosureRecordView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const recovered = useLoad(() => call('disclosures.recovered', {}));
  const [checkpointOpen, setCheckpointOpen] = useState(false);

  const load = useCallback(
    async (cursor: number | null) => {
      setLoading(true);
      try {
        const page = await call('disclosures.log', {
          limit: PAGE,
          ...(purpose ? { purpose: purpose as LoggedPurpose } : {}),
          ...(cursor ? { cursor } : {}),
        });
        setRecords((prev) => (cursor && prev ? [...prev, ...page.records] : page.records));
        setNextCursor(page.nextCursor);
        setError(null);
      } catch (err) {
        if (!isSessionProblem(err))
          setError(isApiError(err) ? err.message : 'Could not read the log.');
      } finally {
        setLoading(false);
      }
    },
    [purpose],
  );

  useEffect(() => {
    void load(null);
  }, [load, unlockCount]);

  const toggle = (seq: number) => {
    const next = new Set(expanded);
    if (next.has(seq)) next.delete(seq);
    else next.add(seq);
    setExpanded(next);
  };

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
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
        />
        {recovered.data && recovered.data.length > 0 && (
          <Alert
            color="orange"
            icon={<IconAlertTriangle size={18} />}
            title="Interrupted exports"
            data-testid="recovered"
          >
            {recovered.data.length} export{recovered.data.length === 1 ? ' was' : 's were'}{' '}
            interrupted (the program stopped while writing) and abandoned: no file was left behind.
            Records{' '}
            {recovered.data
              .slice(0, 10)
              .map((r) => `#${r.seq}`)
              .join(', ')}
            {recovered.data.length > 10 ? ' …' : ''}.
          </Alert>
        )}
        <VerifyPanel />
        <Group align="flex-end">
          <Select
            label="Purpose"
            data={PURPOSE_FILTER}
            value={purpose}
            onChange={(v) => {
              setPurpose(v ?? '');
              setExpanded(new Set());
            }}
            allowDeselect={false}
            w={240}
          />
          <Text size="sm" c="dimmed" mb={8}>
            {records ? `${records.length} record${records.length === 1 ? '' : 's'} shown` : ''}
            {nextCursor ? ' · more below' : ''}
          </Text>
        </Group>
        <ErrorAlert>{error}</ErrorAlert>
        <Paper withBorder className="table-scroll">
          <Table
            verticalSpacing={6}
            horizontalSpacing={8}
            fz="sm"
            highlightOnHover
            aria-label="Disclosure log"
            className="log-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={28} />
                <Table.Th>#</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Workstation</Table.Th>
                <Table.Th>Recipient</Table.Th>
                <Table.Th>Purpose</Table.Th>
                <Table.Th ta="right">Accounts</Table.Th>
                <Table.Th>Fields</Table.Th>
                <Table.Th ta="right">Rows</Table.Th>
                <Table.Th>File</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>SHA-256</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!records && (
                <Table.Tr>
                  <Table.Td colSpan={13}>
                    <Skeleton h={24} />
                  </Table.Td>
                </Table.Tr>
              )}
              {records && records.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={13}>
                    <Text ta="center" c="dimmed" py="md">
                      No records{purpose ? ' for this purpose' : ''}.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {records?.map((r) => {
                const open = expanded.has(r.seq);
                return (
                  <Fragment key={r.seq}>
                    <Table.Tr
                      className="expand-row"
                      onClick={() => toggle(r.seq)}
                      data-seq={r.seq}
                      aria-expanded={open}
                    >
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          size="sm"
                          aria-label={open ? `Collapse record ${r.seq}` : `Expand record ${r.seq}`}
                          onClick={(e) => {
                            e.stopPropagation();
                            toggle(r.seq);
                          }}
                        >
                          {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td ff="monospace">{r.seq}</Table.Td>
                      <Table.Td className="nowrap">
                        <When iso={r.recordedAt} />
                      </Table.Td>
                      <Table.Td>{r.staffName ?? '—'}</Table.Td>
                      <Table.Td fz="xs">{r.workstation}</Table.Td>
                      <Table.Td>{r.recipientName ?? '—'}</Table.Td>
                      <Table.Td className="nowrap">{purposeLabel(r.purpose)}</Table.Td>
                      <Table.Td ta="right">{r.accountCount}</Table.Td>
                      <Table.Td className="nowrap">
                        <Tooltip
                          label={r.fields.map(fieldLabel).join(', ')}
                          multiline
                          maw={420}
                          withArrow
                        >
                          <Text span inherit>
                            {r.fields.length} field{r.fields.length === 1 ? '' : 's'}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td ta="right">{r.status === 'refused' ? '—' : r.rowCount}</Table.Td>
                      <Table.Td ff="monospace" fz="xs">
                        <Tooltip
                          label={r.fileName}
                          disabled={!r.fileName}
                          withArrow
                          openDelay={300}
                        >
                          <span className="cell-clip" style={{ maxWidth: 140 }}>
                            {r.fileName ?? '—'}
                          </span>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td className="nowrap">
                        <StatusBadge status={r.status} />
                      </Table.Td>
                      <Table.Td className="nowrap">
                        <ShortHash hash={r.sha256} />
                      </Table.Td>
                    </Table.Tr>
                    {open && (
                      <Table.Tr className="expanded-detail">
                        <Table.Td />
                        <Table.Td colSpan={12}>
                          <RecordDetail record={r} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
        {nextCursor && (
          <Group justify="center">
            <Button variant="default" loading={loading} onClick={() => void load(nextCursor)}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
      <Modal
        opened={checkpointOpen}
        onClose={() => setCheckpointOpen(false)}
        title="Save a signed checkpoint"
      >
        {checkpointOpen && <CheckpointForm onClose={() => setCheckpointOpen(false)} />}
      </Modal>
    </div>
  );
}

function RecordDetail({ record: r }: { record: DisclosureRecordView }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" py={4} data-testid="record-detail">
      <Stack gap={6}>
        <Detail label="Legal basis">{r.legalBasis}</Detail>
        {r.recipientName && (
          <Detail label="Recipient">
            {r.recipientName} ({recipientTypeLabel(r.recipientType)})
            <br />
            {r.recipientContact}
          </Detail>
        )}
        <Detail label="Approvers">
          {r.approvers.length === 0
            ? 'None needed'
            : r.approvers
                .map((a) => `${a.name} (${ROLE_LABELS[a.role]}), ${formatTimestamp(a.at)}`)
                .join('; ')}
        </Detail>
        {r.refusal && (
          <Detail label="Refused because">
            <Text span inherit c="red.8">
              {r.refusal}
            </Text>
          </Detail>
        )}
      </Stack>
      <Stack gap={6}>
        <Detail label="Fields">{r.fields.map(fieldLabel).join(', ')}</Detail>
        <Detail label={`Account ids (${r.accountCount})`}>
          <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {r.accountIds[0] === '*' ? 'All accounts' : r.accountIds.join(' ') || '—'}
          </Text>
        </Detail>
        <Detail label="File">
          {r.fileName ? `${r.fileName} (${r.format?.toUpperCase()})` : '—'}
        </Detail>
        {r.sha256 && (
          <Detail label="SHA-256">
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {r.sha256}
            </Text>
          </Detail>
        )}
      </Stack>
    </SimpleGrid>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </div>
  );
}

function VerifyPanel() {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ChainVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const checkpoint = file ? await readText(file) : undefined;
      setResult(await call('disclosures.verify', checkpoint ? { checkpoint } : {}));
    } catch (err) {
      if (!isSessionProblem(err))
        setError(
          isApiError(err) ? splitError(err, []).message : 'Could not read the checkpoint file.',
        );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Group align="flex-end" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1 }}>
          <Text fw={600}>Verify the chain</Text>
          <Text size="sm" c="dimmed">
            Recomputes every record&apos;s hash, checks each customer&apos;s accounting against the
            records, and checks the chain against the signed witness written outside the database
            after every record, which detects a rewrite, a truncation or a rollback. A checkpoint
            saved earlier is checked the same way.
          </Text>
        </Stack>
        <FileInput
          label="Checkpoint (optional)"
          placeholder="Choose a checkpoint .json"
          accept=".json,application/json"
          value={file}
          onChange={setFile}
          clearable
          w={260}
        />
        <Button leftSection={<IconShieldCheck size={16} />} loading={busy} onClick={verify}>
          Verify chain
        </Button>
      </Group>
      {error && (
        <Alert mt="sm" color="red" icon={<IconShieldX size={18} />} role="alert">
          {error}
        </Alert>
      )}
      {result && (
        <Alert
          mt="sm"
          color={result.ok ? 'teal' : 'red'}
          icon={result.ok ? <IconShieldCheck size={18} /> : <IconShieldX size={18} />}
          title={result.ok ? 'The chain verifies' : 'The chain does not verify'}
          data-testid="verify-result"
          role={result.ok ? 'status' : 'alert'}
        >
          <Stack gap={4}>
            <Text size="sm">
              {result.records} record{result.records === 1 ? '' : 's'} checked in {result.millis}{' '}
              ms; head #{result.headSeq} <code>{result.headHash.slice(0, 16)}…</code>
            </Text>
            {result.problem && (
              <Text size="sm" fw={600}>
                Problem at record #{result.problem.seq}: {result.problem.message}
              </Text>
            )}
            {result.checkpoint && (
              <Text size="sm" c={result.checkpoint.ok ? undefined : 'red'} fw={500}>
                Checkpoint: {result.checkpoint.message}
              </Text>
            )}
            {result.witnesses.map((w) => (
              <Text
                key={w.source}
                size="sm"
                c={w.ok ? undefined : 'red'}
                fw={w.ok ? undefined : 500}
                data-testid="verify-witness"
              >
                Witness <code>{w.source}</code>: {w.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Paper>
  );
}

function CheckpointForm({ onClose }: { onClose(): void }) {
  const [fileName, setFileName] = useState(() => suggestFileName('checkpoint', 'json'));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ seq: number; hash: string; fileName: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const out = await call('disclosures.checkpoint', { fileName });
      setDone({ seq: out.checkpoint.seq, hash: out.checkpoint.hash, fileName: out.fileName });
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
        <Alert color="teal" icon={<IconDeviceFloppy size={18} />} title="Checkpoint saved">
          <Text size="sm">
            {done.fileName}: head #{done.seq}, <code>{done.hash.slice(0, 16)}…</code>, signed. Keep
            a copy outside this computer (e.g. print it or store it with compliance records); choose
            it later under Verify to detect a rollback.
          </Text>
        </Alert>
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
          Records the current head of the chain (its number and hash), signed with this
          installation&apos;s key, in a JSON file in the export folder.
        </Text>
        <ErrorAlert>{message}</ErrorAlert>
        <FileFields
          format="json"
          onFormat={() => undefined}
          formats={['json']}
          fileName={fileName}
          onFileName={setFileName}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save checkpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
