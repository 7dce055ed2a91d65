import { useState } from 'react';
import type {
  ColumnTarget,
  DateOrder,
  ImportCheck,
  ImportFileChoice,
  ImportOutcome,
} from '../../../shared/import';
import { dateFormatsOf, undecidedDates } from './dates';
import type { ApiError } from '../api';
import { useAction } from '../data';
import { withJobProgress, type JobProgress } from '../jobs';

export type Stage = 'choosing' | 'checking' | 'importing';

/**
 * The import's steps as state: the file chosen, what its columns become, its check, the import. Each refusal is
 * kept with the step it belongs to; a new step forgets the last refusal.
 */
export function useImportFlow() {
  const [file, setFile] = useState<ImportFileChoice | null>(null);
  const [report, setReport] = useState<ImportCheck | null>(null);
  /** What each column of the file becomes: the suggestion, as the user edits it. */
  const [targets, setTargets] = useState<ColumnTarget[]>([]);
  /** How each column writes its dates (null: not chosen), as suggested and then chosen. */
  const [dates, setDates] = useState<(DateOrder | null)[]>([]);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<{ stage: Stage; message: string } | null>(null);
  /** Each check's report starts on its first page. */
  const [checks, setChecks] = useState(0);
  const refusedIn = (stage: Stage) => ({
    onRefused: (err: ApiError) => setError({ stage, message: err.message }),
  });
  const chooseFile = useAction('import.chooseFile', refusedIn('choosing'));
  const checkFile = useAction('import.check', refusedIn('checking'));
  // main asks for a new check after any failure (the file may have changed).
  const runImport = useAction('import.run', {
    onRefused: (err) => {
      setReport(null);
      setError({ stage: 'importing', message: err.message });
    },
  });
  const busy: Stage | null = chooseFile.busy
    ? 'choosing'
    : checkFile.busy
      ? 'checking'
      : runImport.busy
        ? 'importing'
        : null;

  function reset() {
    setFile(null);
    setReport(null);
    setTargets([]);
    setDates([]);
    setOutcome(null);
    setProgress(null);
    setError(null);
  }

  async function choose() {
    setError(null);
    const chosen = await chooseFile.run({});
    // Cancelled (or refused): whatever was chosen before stays chosen.
    if (!chosen) return;
    reset();
    setFile(chosen);
    setTargets(chosen.mapping.columns.map((c) => c.target));
    setDates(chosen.mapping.columns.map((c) => c.date?.order ?? null));
  }

  /** A column's new target; a check made with the old mapping no longer holds. */
  function retarget(column: number, target: ColumnTarget) {
    setTargets((now) => now.map((t, i) => (i === column ? target : t)));
    setReport(null);
    setError(null);
  }

  /** A column's date format; a check made with the old one no longer holds. */
  function redate(column: number, order: DateOrder | null) {
    setDates((now) => now.map((d, i) => (i === column ? order : d)));
    setReport(null);
    setError(null);
  }

  /** Date columns whose order the user must still choose (their values read both ways). */
  const datesToChoose = file ? undecidedDates(file.mapping.columns, targets, dates) : [];

  async function check() {
    if (!file || datesToChoose.length > 0) return;
    setError(null);
    setReport(null);
    setProgress({ done: 0, total: file.sizeBytes });
    const result = await withJobProgress(
      (jobId) =>
        checkFile.run({
          token: file.token,
          jobId,
          // No columns could be read: the check says why the file cannot be used.
          ...(targets.length > 0
            ? { mapping: targets, dateFormats: dateFormatsOf(targets, dates) }
            : {}),
        }),
      setProgress,
    );
    setProgress(null);
    if (!result) return;
    setFile({ ...file, sizeBytes: result.sizeBytes });
    setReport(result);
    setChecks((n) => n + 1);
  }

  async function run() {
    if (!file || !report) return;
    setError(null);
    setProgress({ done: 0, total: report.rowsTotal });
    const result = await withJobProgress(
      (jobId) => runImport.run({ token: file.token, accept: true, jobId }),
      setProgress,
    );
    setProgress(null);
    if (result) setOutcome(result);
  }

  return {
    file,
    report,
    outcome,
    progress,
    error,
    checks,
    busy,
    targets,
    retarget,
    dates,
    redate,
    datesToChoose,
    reset,
    choose,
    check,
    run,
  };
}

export type ImportFlow = ReturnType<typeof useImportFlow>;
