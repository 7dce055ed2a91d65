import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconCircleCheck,
  IconEye,
  IconPackageExport,
  IconSend,
} from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import type { FieldKey } from '../../../shared/catalogue';
import type { ExportFormat } from '../../../shared/disclosure';
import { parseMoney } from '../../../shared/rules';
import { BATCH_STATUS_LABELS } from '../../../shared/standing';
import type {
  BatchPreview,
  CollectionBatch,
  DisclosureOutcome,
  Recipient,
} from '../../../shared/types';
import { call, isSessionProblem } from '../api';
import { FileFacts, suggestFileName, withExtension } from '../disclosures/labels';
import { OutcomeView } from '../disclosures/OutcomeView';
import { FieldDisplay, MaskedValue, isMasked } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, FileFields, ScreenHeader, TwoLines, When } from '../ui';
import { useLoad, type Loaded } from '../useLoad';
import { money } from './common';

const FILTER_FIELDS = [
  'agencyId',
  'currency',
  'minBalanceCents',
  'minDaysPastDue',
  'region',
  'format',
  'fileName',
] as const;

interface Filters {
  agencyId: string;
  currency: string;
  minBalanceCents?: number;
  minDaysPastDue?: number;
  region?: string;
}

/**
 * Collection batches: collections agents build one (bad-standing accounts not yet placed, no
 * holds), preview it and send it to one agency; everyone who may read balances sees the batches.
 */
export function CollectionsScreen() {
  const { session } = useSession();
  const isAgent = session.user.role === 'collections_agent';
  const batches = useLoad(() => call('batches.list', {}));

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Collections"
          description={
            isAgent
              ? 'Place bad-standing accounts with a collection agency. A batch leaves only through the disclosure log, and accounts with a hold are never placed.'
              : 'Collection batches sent to agencies. Batches are built and sent by collections agents.'
          }
        />
        {isAgent && <NewBatch onSent={batches.reload} />}
        <BatchList batches={batches} canRecall={isAgent} />
      </Stack>
    </div>
  );
}

function NewBatch({ onSent }: { onSent(): void }) {
  const recipients = useLoad(() => call('recipients.list', {}));
  const agencies = useMemo(
    () => (recipients.data ?? []).filter((r) => r.type === 'collection_agency' && r.active),
    [recipients.data],
  );
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

function BatchBuilder({
  agencies,
  onSent,
  onReset,
}: {
  agencies: Recipient[];
  onSent(): void;
  onReset(): void;
}) {
  const [agencyId, setAgencyId] = useState<string | null>(
    agencies.length === 1 ? agencies[0]!.id : null,
  );
  const [currency, setCurrency] = useState('USD');
  const [minBalance, setMinBalance] = useState('');
  const [minDays, setMinDays] = useState<number | string>('');
  const [region, setRegion] = useState('');
  const [preview, setPreview] = useState<{ filters: Filters; result: BatchPreview } | null>(null);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const [sent, setSent] = useState<{
    batch: CollectionBatch | null;
    outcome: DisclosureOutcome;
  } | null>(null);
  const agency = agencies.find((a) => a.id === agencyId) ?? null;

  /** The filters as typed, or null (with inline errors) when one is not valid. */
  function readFilters(): Filters | null {
    const problems: Record<string, string> = {};
    if (!agencyId) problems.agencyId = 'Choose the agency.';
    const code = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) problems.currency = 'A three-letter currency code.';
    let minBalanceCents: number | undefined;
    if (minBalance.trim() && !problems.currency) {
      const parsed = parseMoney(minBalance.trim(), code);
      if (parsed === null) problems.minBalanceCents = 'An amount such as 100.00.';
      else minBalanceCents = parsed;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return null;
    return {
      agencyId: agencyId!,
      currency: code,
      ...(minBalanceCents !== undefined ? { minBalanceCents } : {}),
      ...(typeof minDays === 'number' ? { minDaysPastDue: minDays } : {}),
      ...(region.trim() ? { region: region.trim() } : {}),
    };
  }

  const typed = JSON.stringify([agencyId, currency, minBalance, minDays, region]);
  const [previewedAs, setPreviewedAs] = useState<string | null>(null);
  const stale = preview !== null && previewedAs !== typed;

  async function runPreview(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const filters = readFilters();
    if (!filters) return;
    setBusy('preview');
    try {
      const result = await call('batches.preview', filters);
      setPreview({ filters, result });
      setPreviewedAs(typed);
      const slug = (agency?.name ?? 'agency')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      setFileName(suggestFileName(`placement-${slug}`, format));
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, FILTER_FIELDS);
      setErrors(split.fieldErrors);
      if (Object.keys(split.fieldErrors).length === 0) setMessage(split.message);
    } finally {
      setBusy(null);
    }
  }

  async function send() {
    if (!preview || stale) return;
    setMessage(null);
    setErrors({});
    setBusy('send');
    try {
      const result = await call('batches.send', { ...preview.filters, format, fileName });
      setSent(result);
      if (result.batch) onSent();
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, FILTER_FIELDS);
      setErrors(split.fieldErrors);
      if (Object.keys(split.fieldErrors).length === 0) setMessage(split.message);
    } finally {
      setBusy(null);
    }
  }

  if (sent) {
    return (
      <Stack gap="sm" data-testid="batch-result">
        {sent.batch && sent.outcome.record ? (
          <>
            <Alert
              color="teal"
              icon={<IconCircleCheck size={20} />}
              title={`Batch ${sent.batch.number} sent to ${sent.batch.agencyName}`}
            >
              <Text size="sm">
                {sent.batch.accountCount === 1
                  ? '1 account is'
                  : `${sent.batch.accountCount} accounts are`}{' '}
                now in collection, {money(sent.batch.totalCents, sent.batch.currency)} placed. The
                placement file is in the export folder and the disclosure is recorded in the log as
                record #{sent.outcome.record.seq}. Hand the file to the agency by the agreed secure
                channel.
              </Text>
            </Alert>
            <FileFacts record={sent.outcome.record} />
          </>
        ) : (
          <OutcomeView outcome={sent.outcome} />
        )}
        <Group>
          <Button variant="default" onClick={onReset}>
            Start another batch
          </Button>
        </Group>
      </Stack>
    );
  }

  const result = preview?.result;
  return (
    <Stack gap="md">
      <form onSubmit={runPreview} noValidate aria-label="Batch filters">
        <Stack gap="sm">
          <ErrorAlert>{message}</ErrorAlert>
          <SimpleGrid cols={{ base: 2, lg: 5 }} spacing="sm">
            <Select
              label="Agency"
              description="Registered collection agencies."
              placeholder="Choose the agency"
              data={agencies.map((a) => ({ value: a.id, label: a.name }))}
              value={agencyId}
              onChange={setAgencyId}
              error={errors.agencyId}
              allowDeselect={false}
            />
            <TextInput
              label="Currency"
              description="Balances in this currency."
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              error={errors.currency}
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
            />
            <TextInput
              label="Minimum balance"
              description="Optional: owing at least this."
              placeholder="e.g. 100.00"
              value={minBalance}
              onChange={(e) => setMinBalance(e.currentTarget.value)}
              error={errors.minBalanceCents}
              inputMode="decimal"
              autoComplete="off"
            />
            <NumberInput
              label="Minimum days past due"
              description="Optional: at least this many."
              value={minDays}
              onChange={setMinDays}
              error={errors.minDaysPastDue}
              min={0}
              max={100_000}
              allowDecimal={false}
              allowNegative={false}
            />
            <TextInput
              label="State / region"
              description="Optional: as on the accounts."
              value={region}
              onChange={(e) => setRegion(e.currentTarget.value)}
              error={errors.region}
              maxLength={100}
            />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              variant={preview && !stale ? 'default' : 'filled'}
              leftSection={<IconEye size={16} />}
              loading={busy === 'preview'}
            >
              {preview ? 'Preview again' : 'Preview'}
            </Button>
            {stale && (
              <Text size="sm" c="orange.8">
                The filters changed since the preview: preview again before sending.
              </Text>
            )}
          </Group>
        </Stack>
      </form>

      {result && (
        <Stack gap="md" data-testid="batch-preview" opacity={stale ? 0.5 : 1}>
          <SimpleGrid cols={3} spacing="sm">
            <Stat label="Accounts to place" value={String(result.count)} testId="preview-count" />
            <Stat
              label="Total owed"
              value={money(result.totalCents, result.currency)}
              testId="preview-total"
            />
            <Stat
              label="Left out: collection hold"
              value={String(result.excludedByHolds)}
              testId="preview-held"
              hint="Bad-standing accounts in this currency with a bankruptcy, deceased or attorney-represented hold are never placed."
            />
          </SimpleGrid>
          {result.count === 0 ? (
            <Text size="sm" c="dimmed">
              No account matches: nothing to place. Only bad-standing accounts not already with an
              agency are placed.
            </Text>
          ) : (
            <>
              <SampleTable preview={result} />
              <Paper withBorder p="md" bg="gray.0">
                <Stack gap="sm">
                  <Text fw={600}>Send to {agency?.name}</Text>
                  <Text size="sm" c="dimmed">
                    The placement file holds the collection field set (name, date of birth, address,
                    phone, email, account number, balance placed, last payment and the itemisation
                    date). Sending marks the accounts in collection and records the disclosure.
                  </Text>
                  <FileFields
                    format={format}
                    onFormat={(f) => {
                      setFormat(f);
                      setFileName((n) => withExtension(n, f));
                    }}
                    fileName={fileName}
                    onFileName={setFileName}
                    error={errors.fileName}
                  />
                  <Group>
                    <Button
                      leftSection={<IconSend size={16} />}
                      onClick={() => void send()}
                      loading={busy === 'send'}
                      disabled={stale}
                    >
                      Send {result.count === 1 ? '1 account' : `${result.count} accounts`} to{' '}
                      {agency?.name}
                    </Button>
                  </Group>
                </Stack>
              </Paper>
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function Stat({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
}) {
  const body = (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
  if (!hint) return body;
  return (
    <Tooltip label={hint} multiline maw={360} withArrow openDelay={300}>
      {body}
    </Tooltip>
  );
}

const SAMPLE_COLUMNS: { key: FieldKey; label: string; numeric?: boolean }[] = [
  { key: 'accountNumber', label: 'Account' },
  { key: 'city', label: 'City' },
  { key: 'region', label: 'Region' },
  { key: 'daysPastDue', label: 'Days past due', numeric: true },
  { key: 'lastPaymentDate', label: 'Last payment' },
  { key: 'balanceCents', label: 'Balance', numeric: true },
];

function SampleTable({ preview }: { preview: BatchPreview }) {
  const { access } = preview;
  const columns = SAMPLE_COLUMNS.filter((c) => c.key in access);
  const showName = 'lastName' in access || 'firstName' in access;
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {preview.count > preview.sample.length
          ? `The ${preview.sample.length} largest balances of ${preview.count}`
          : 'The accounts, largest balance first'}
      </Text>
      <Paper withBorder className="table-scroll">
        <Table striped fz="sm" verticalSpacing={6} aria-label="Batch sample">
          <Table.Thead>
            <Table.Tr>
              {columns.slice(0, 1).map((c) => (
                <Table.Th key={c.key}>{c.label}</Table.Th>
              ))}
              {showName && <Table.Th>Name</Table.Th>}
              {columns.slice(1).map((c) => (
                <Table.Th key={c.key} ta={c.numeric ? 'right' : undefined}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.sample.map((row) => {
              const name = [row.fields.firstName, row.fields.lastName]
                .filter((v) => v !== null && v !== undefined && v !== '')
                .join(' ');
              return (
                <Table.Tr key={row.id}>
                  {columns.slice(0, 1).map((c) => (
                    <Table.Td key={c.key} ff="monospace" className="nowrap">
                      <FieldDisplay fieldKey={c.key} fields={row.fields} access={access} />
                    </Table.Td>
                  ))}
                  {showName && (
                    <Table.Td fw={500}>
                      {isMasked(access, 'lastName') ? <MaskedValue>{name}</MaskedValue> : name}
                    </Table.Td>
                  )}
                  {columns.slice(1).map((c) => (
                    <Table.Td
                      key={c.key}
                      ta={c.numeric ? 'right' : undefined}
                      className="nowrap"
                      style={c.numeric ? { fontVariantNumeric: 'tabular-nums' } : undefined}
                    >
                      <FieldDisplay fieldKey={c.key} fields={row.fields} access={access} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </div>
  );
}

function BatchList({
  batches,
  canRecall,
}: {
  batches: Loaded<CollectionBatch[]>;
  canRecall: boolean;
}) {
  const [recalling, setRecalling] = useState<CollectionBatch | null>(null);
  const rows = batches.data ?? [];
  const cols = canRecall ? 9 : 8;
  return (
    <Stack gap="xs">
      <Title order={3} fz="md">
        Batches
      </Title>
      <ErrorAlert>{batches.error}</ErrorAlert>
      <Paper withBorder className="table-scroll">
        <Table
          striped
          verticalSpacing="sm"
          horizontalSpacing="md"
          fz="sm"
          aria-label="Collection batches"
          className="log-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Batch</Table.Th>
              <Table.Th>Agency</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Accounts</Table.Th>
              <Table.Th ta="right">Total placed</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Sent by</Table.Th>
              <Table.Th>Disclosure record</Table.Th>
              {canRecall && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!batches.data && (
              <Table.Tr>
                <Table.Td colSpan={cols}>
                  <Skeleton h={24} />
                </Table.Td>
              </Table.Tr>
            )}
            {batches.data && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={cols}>
                  <Text ta="center" c="dimmed" py="md">
                    No batch has been sent yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows.map((b) => (
              <Table.Tr key={b.id} data-batch={b.number}>
                <Table.Td ff="monospace" fw={600}>
                  {b.number}
                </Table.Td>
                <Table.Td>{b.agencyName}</Table.Td>
                <Table.Td>
                  {b.status === 'sent' ? (
                    <Badge color="indigo" variant="light" radius="sm">
                      {BATCH_STATUS_LABELS.sent}
                    </Badge>
                  ) : b.status === 'never_sent' ? (
                    <Tooltip
                      label="The app stopped before the placement file was written: nothing reached the agency, and its accounts are back in bad standing."
                      multiline
                      maw={360}
                      withArrow
                    >
                      <Badge color="red" variant="light" radius="sm">
                        {BATCH_STATUS_LABELS.never_sent}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Tooltip
                      label={`Recalled: ${b.recallReason ?? ''}`}
                      multiline
                      maw={360}
                      withArrow
                    >
                      <Badge color="gray" variant="light" radius="sm">
                        {BATCH_STATUS_LABELS.recalled}
                      </Badge>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td ta="right">{b.accountCount}</Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {money(b.totalCents, b.currency)}
                </Table.Td>
                <Table.Td>
                  <When iso={b.sentAt} />
                </Table.Td>
                <Table.Td>
                  <TwoLines
                    main={b.createdBy}
                    sub={
                      b.status === 'recalled' && b.recallReason
                        ? `Recalled: ${b.recallReason}`
                        : b.status === 'never_sent'
                          ? 'Never sent: the placement file was never written'
                          : undefined
                    }
                  />
                </Table.Td>
                <Table.Td ff="monospace">
                  {b.disclosureSeq === null ? '—' : `#${b.disclosureSeq}`}
                </Table.Td>
                {canRecall && (
                  <Table.Td ta="right">
                    {b.status === 'sent' && (
                      <Button
                        size="compact-sm"
                        variant="light"
                        color="orange"
                        leftSection={<IconArrowBackUp size={14} />}
                        onClick={() => setRecalling(b)}
                        aria-label={`Recall batch ${b.number}`}
                      >
                        Recall…
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Modal
        opened={recalling !== null}
        onClose={() => setRecalling(null)}
        title={recalling ? `Recall batch ${recalling.number}` : 'Recall batch'}
      >
        {recalling && (
          <RecallForm
            batch={recalling}
            onCancel={() => setRecalling(null)}
            onDone={(next) => {
              batches.setData(rows.map((b) => (b.id === next.id ? next : b)));
              setRecalling(null);
              notifications.show({
                color: 'teal',
                title: `Batch ${next.number} recalled`,
                message: 'Its accounts are back in bad standing; each change is recorded.',
              });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function RecallForm({
  batch,
  onCancel,
  onDone,
}: {
  batch: CollectionBatch;
  onCancel(): void;
  onDone(batch: CollectionBatch): void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      onDone(await call('batches.recall', { batchId: batch.id, reason }));
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['reason']);
      setError(split.fieldErrors.reason ?? null);
      if (!split.fieldErrors.reason) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert>{message}</ErrorAlert>
        <Text size="sm">
          The {batch.accountCount === 1 ? 'account' : `${batch.accountCount} accounts`} placed with{' '}
          {batch.agencyName} return to bad standing (an account settled or written off meanwhile
          stays as it is). Tell the agency to return or destroy the placement file.
        </Text>
        <Textarea
          label="Reason"
          description="Recorded on the batch and in each account's standing timeline."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          autosize
          minRows={2}
          maxLength={1000}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="orange" loading={busy}>
            Recall batch
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
