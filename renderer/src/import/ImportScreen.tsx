import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  Pagination,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconFileSpreadsheet,
  IconFolderOpen,
  IconListCheck,
  IconRefresh,
  IconUsers,
} from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FIELD_BY_KEY } from '../../../shared/catalogue';
import {
  IMPORTABLE_FIELD_KEYS,
  IMPORT_PROBLEM_PAGE,
  type ImportCheck,
  type ImportFileChoice,
  type ImportOutcome,
  type ImportProblemView,
} from '../../../shared/import';
import { call, isApiError, isSessionProblem } from '../api';
import { withJobProgress, type JobProgress } from '../jobs';
import { useNavigation } from '../navigation';
import { useSession } from '../session';
import { ErrorAlert, ScreenHeader } from '../ui';

const count = new Intl.NumberFormat('en-US');

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count.format(n)} ${n === 1 ? one : many}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function messageOf(err: unknown): string | null {
  if (isSessionProblem(err)) return null;
  return isApiError(err) ? err.message : 'Something went wrong. Try again.';
}

type Stage = 'choosing' | 'checking' | 'importing';
type Busy = Stage | null;

const ERROR_TITLES: Record<Stage, string> = {
  choosing: 'The file could not be chosen',
  checking: 'The file could not be checked',
  importing: 'Nothing was imported',
};

/** A refusal, shown in the step it belongs to. */
function StageError({
  error,
  stage,
}: {
  error: { stage: Stage; message: string } | null;
  stage: Stage;
}) {
  if (!error || error.stage !== stage) return null;
  return <ErrorAlert title={ERROR_TITLES[stage]}>{error.message}</ErrorAlert>;
}

/**
 * Administrators import customer accounts from a CSV file: main opens the file picker, checks
 * every row with the shared rules and lists each rejected row; nothing is written until the
 * valid rows are accepted, and then all of them are written or none.
 */
export function ImportScreen() {
  const { session } = useSession();
  const navigation = useNavigation();
  const [file, setFile] = useState<ImportFileChoice | null>(null);
  const [report, setReport] = useState<ImportCheck | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setErrorState] = useState<{ stage: Stage; message: string } | null>(null);
  const setError = (stage: Stage, err: unknown) => {
    const message = messageOf(err);
    setErrorState(message ? { stage, message } : null);
  };
  const [confirming, setConfirming] = useState(false);
  /** Each check's report starts on its first page. */
  const [checks, setChecks] = useState(0);

  const importable = IMPORTABLE_FIELD_KEYS.filter(
    (k) => k === 'accountNumber' || session.fieldAccess[k] === 'edit',
  );

  function reset() {
    setFile(null);
    setReport(null);
    setOutcome(null);
    setProgress(null);
    setErrorState(null);
  }

  async function choose() {
    setBusy('choosing');
    setErrorState(null);
    try {
      const chosen = await call('import.chooseFile', {});
      // Cancelled: whatever was chosen before stays chosen.
      if (!chosen) return;
      reset();
      setFile(chosen);
    } catch (err) {
      setError('choosing', err);
    } finally {
      setBusy(null);
    }
  }

  async function check() {
    if (!file) return;
    setBusy('checking');
    setErrorState(null);
    setReport(null);
    setProgress({ done: 0, total: file.sizeBytes });
    try {
      const result = await withJobProgress(
        (jobId) => call('import.check', { token: file.token, jobId }),
        setProgress,
      );
      setFile({ ...file, sizeBytes: result.sizeBytes });
      setReport(result);
      setChecks((n) => n + 1);
    } catch (err) {
      setError('checking', err);
    } finally {
      setProgress(null);
      setBusy(null);
    }
  }

  async function runImport() {
    if (!file || !report) return;
    setConfirming(false);
    setBusy('importing');
    setErrorState(null);
    setProgress({ done: 0, total: report.rowsTotal });
    try {
      const result = await withJobProgress(
        (jobId) => call('import.run', { token: file.token, accept: true, jobId }),
        setProgress,
      );
      setOutcome(result);
    } catch (err) {
      // main asks for a new check after any failure (the file may have changed).
      setReport(null);
      setError('importing', err);
    } finally {
      setProgress(null);
      setBusy(null);
    }
  }

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Import accounts"
          description="Add customer accounts from a CSV file. Every row is checked first, and nothing is written until you accept the valid rows."
        />

        <Step number={1} title="Choose the file" icon={<IconFolderOpen size={18} />}>
          <Text size="sm">
            The first row names the columns with Custodian&apos;s field keys; <Code>firstName</Code>{' '}
            and <Code>lastName</Code> are required. The columns your role may import are:
          </Text>
          <Group gap={6} aria-label="Columns you may import">
            {importable.map((k) => (
              <Code key={k}>{k}</Code>
            ))}
          </Group>
          <Text size="xs" c="dimmed">
            Rows without an <Code>accountNumber</Code> get a new account number. Blank cells stay
            empty or take the usual default (balance 0, currency USD).
          </Text>
          <Group gap="md">
            <Button
              variant={file ? 'default' : 'filled'}
              leftSection={<IconFolderOpen size={16} />}
              onClick={() => void choose()}
              loading={busy === 'choosing'}
              disabled={busy !== null && busy !== 'choosing'}
            >
              {file ? 'Choose another file…' : 'Choose CSV file…'}
            </Button>
            {file && (
              <Group gap="xs" data-testid="import-file">
                <IconFileSpreadsheet size={20} aria-hidden />
                <Text fw={600}>{file.fileName}</Text>
                <Text size="sm" c="dimmed">
                  {formatBytes(file.sizeBytes)}
                </Text>
              </Group>
            )}
          </Group>
          <StageError error={error} stage="choosing" />
        </Step>

        {file && (
          <Step number={2} title="Check every row" icon={<IconListCheck size={18} />}>
            <Text size="sm">
              Each row is checked with the rules the console applies to a new account. Rejected rows
              are listed by line, field and reason; their contents are never shown.
            </Text>
            <Group>
              <Button
                variant={report ? 'default' : 'filled'}
                leftSection={report ? <IconRefresh size={16} /> : <IconListCheck size={16} />}
                onClick={() => void check()}
                loading={busy === 'checking'}
                disabled={(busy !== null && busy !== 'checking') || outcome !== null}
              >
                {report ? 'Check again' : 'Check file'}
              </Button>
            </Group>
            {busy === 'checking' && progress && (
              <JobBar
                label="Checking progress"
                progress={progress}
                text={(p) => `${formatBytes(p.done)} of ${formatBytes(p.total)} checked`}
              />
            )}
            <StageError error={error} stage="checking" />
            <StageError error={error} stage="importing" />
            {report && <ReportView key={checks} report={report} />}
          </Step>
        )}

        {file && report && report.rowsValid > 0 && (
          <Step number={3} title="Import the valid rows" icon={<IconUsers size={18} />}>
            {outcome ? (
              <OutcomeView
                outcome={outcome}
                onView={() => navigation.showAccounts()}
                onAnother={reset}
              />
            ) : (
              <>
                <Text size="sm">
                  The valid rows are written together, or not at all if anything fails. Each account
                  records its source as <b>Import</b>, with the file name and today&apos;s date.
                </Text>
                <Group>
                  <Button
                    onClick={() => setConfirming(true)}
                    loading={busy === 'importing'}
                    disabled={busy !== null && busy !== 'importing'}
                  >
                    Import {plural(report.rowsValid, 'valid row')}
                  </Button>
                </Group>
                {busy === 'importing' && progress && (
                  <JobBar
                    label="Import progress"
                    progress={progress}
                    text={(p) =>
                      p.done >= p.total
                        ? 'Every row read; saving the accounts…'
                        : `${count.format(p.done)} of ${plural(p.total, 'row')} read`
                    }
                  />
                )}
              </>
            )}
          </Step>
        )}
      </Stack>

      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={report ? `Import ${plural(report.rowsValid, 'account')}?` : 'Import'}
        size="md"
      >
        {report && file && (
          <Stack gap="sm">
            <Text size="sm">
              {plural(report.rowsValid, 'valid row')} of <b>{file.fileName}</b> will become new
              accounts, written together or not at all.
            </Text>
            {report.rowsRejected > 0 && (
              <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
                <Text size="sm">
                  {report.rowsRejected === 1
                    ? 'The rejected row listed in the report will be skipped.'
                    : `The ${count.format(report.rowsRejected)} rejected rows listed in the report will be skipped.`}
                </Text>
              </Alert>
            )}
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
              <Button onClick={() => void runImport()} data-autofocus>
                Import {plural(report.rowsValid, 'account')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </div>
  );
}

function Step({
  number,
  title,
  icon,
  children,
}: {
  number: number;
  title: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  const id = `import-step-${number}`;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={3} fz="md" id={id}>
          {number}. {title}
        </Title>
      </Group>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

function JobBar({
  label,
  progress,
  text,
}: {
  label: string;
  progress: JobProgress;
  text(p: JobProgress): string;
}) {
  const percent = progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <Stack gap={4}>
      <Progress value={percent} size="lg" animated aria-label={label} />
      <Text size="xs" c="dimmed" aria-live="polite" data-testid="import-progress">
        {text(progress)}
      </Text>
    </Stack>
  );
}

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm" bg="gray.0">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} data-testid={`import-${label.toLowerCase()}`}>
        {count.format(value)}
      </Text>
    </Paper>
  );
}

function ReportView({ report }: { report: ImportCheck }) {
  return (
    <Stack gap="sm" data-testid="import-report" aria-live="polite">
      <SimpleGrid cols={3} maw={560}>
        <Stat label="Rows" value={report.rowsTotal} />
        <Stat label="Valid" value={report.rowsValid} color="teal.8" />
        <Stat
          label="Rejected"
          value={report.rowsRejected}
          {...(report.rowsRejected > 0 ? { color: 'red.8' } : {})}
        />
      </SimpleGrid>
      {report.rowsValid === 0 ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="No row can be imported">
          Correct the rows listed below, save the file and check it again.
        </Alert>
      ) : report.rowsRejected === 0 ? (
        <Alert color="teal" icon={<IconCircleCheck size={18} />} title="Every row is valid">
          {plural(report.rowsValid, 'row')} can be imported.
        </Alert>
      ) : null}
      {report.problemsTotal > 0 && <ProblemsTable report={report} />}
    </Stack>
  );
}

/** The rejected rows, a page at a time (a large file can have millions). */
function ProblemsTable({ report }: { report: ImportCheck }) {
  const pages = Math.ceil(report.problemsTotal / IMPORT_PROBLEM_PAGE);
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<ImportProblemView[]>(report.problems);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const requestId = useRef(0);

  useEffect(() => {
    const id = ++requestId.current;
    if (page === 1) {
      setRows(report.problems);
      setError(null);
      return;
    }
    setLoading(true);
    call('import.problems', {
      token: report.token,
      offset: (page - 1) * IMPORT_PROBLEM_PAGE,
      limit: IMPORT_PROBLEM_PAGE,
    })
      .then((p) => {
        if (id !== requestId.current) return;
        setRows(p.problems);
        setError(null);
      })
      .catch((err: unknown) => id === requestId.current && setError(messageOf(err)))
      .finally(() => id === requestId.current && setLoading(false));
  }, [page, report]);

  const first = (page - 1) * IMPORT_PROBLEM_PAGE + 1;
  const last = Math.min(report.problemsTotal, page * IMPORT_PROBLEM_PAGE);
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={4} fz="sm">
            Rejected rows
          </Title>
          <Text size="xs" c="dimmed">
            {report.rowsRejected === 1
              ? 'One row will be skipped'
              : `${count.format(report.rowsRejected)} rows will be skipped`}
            {report.problemsTotal !== report.rowsRejected &&
              ` (${plural(report.problemsTotal, 'problem')})`}
            . Line 1 is the row of column names.
          </Text>
        </div>
        {pages > 1 && (
          <Text size="xs" c="dimmed">
            Problems {count.format(first)}–{count.format(last)} of{' '}
            {count.format(report.problemsTotal)}
          </Text>
        )}
      </Group>
      <ErrorAlert>{error}</ErrorAlert>
      <Table
        striped
        withTableBorder
        aria-label="Rejected rows"
        style={{ opacity: loading ? 0.6 : 1 }}
        aria-busy={loading}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>Line</Table.Th>
            <Table.Th w={220}>Field</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p, i) => (
            <Table.Tr key={`${p.line}-${p.field ?? ''}-${i}`}>
              <Table.Td ff="monospace">{p.line}</Table.Td>
              <Table.Td>
                {p.field ? (
                  <>
                    {FIELD_BY_KEY[p.field].label}{' '}
                    <Text span size="xs" c="dimmed" ff="monospace">
                      {p.field}
                    </Text>
                  </>
                ) : (
                  <Text span c="dimmed" inherit>
                    Whole row
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{p.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          size="sm"
          aria-label="Pages of rejected rows"
          getControlProps={(control) => ({
            'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
          })}
          getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
        />
      )}
    </Stack>
  );
}

function OutcomeView({
  outcome,
  onView,
  onAnother,
}: {
  outcome: ImportOutcome;
  onView(): void;
  onAnother(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // The outcome is taller than the progress bar it replaces: keep all of it in view. (Braces:
  // Chromium's scrollIntoView now answers a promise, which React would take for a clean-up.)
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <Stack gap="sm" data-testid="import-outcome" ref={ref}>
      <Progress value={100} color="teal" size="lg" aria-label="Import progress" />
      <Alert
        color="teal"
        icon={<IconCircleCheck size={20} />}
        title={`Imported ${plural(outcome.imported, 'account')} from ${outcome.fileName}`}
      >
        <Stack gap={4}>
          {outcome.firstAccountNumber && (
            <Text size="sm">
              {outcome.firstAccountNumber === outcome.lastAccountNumber ? (
                <>
                  New account number <b>{outcome.firstAccountNumber}</b>.
                </>
              ) : (
                <>
                  New account numbers <b>{outcome.firstAccountNumber}</b> to{' '}
                  <b>{outcome.lastAccountNumber}</b>.
                </>
              )}
            </Text>
          )}
          {outcome.skipped > 0 && (
            <Text size="sm">
              {outcome.skipped === 1
                ? 'The rejected row was skipped.'
                : `The ${count.format(outcome.skipped)} rejected rows were skipped.`}
            </Text>
          )}
          <Text size="sm">
            Each account records its source as Import, with the file name and today&apos;s date.
          </Text>
        </Stack>
      </Alert>
      <Group>
        <Button leftSection={<IconUsers size={16} />} onClick={onView}>
          View accounts
        </Button>
        <Button variant="default" onClick={onAnother}>
          Import another file
        </Button>
      </Group>
    </Stack>
  );
}
