import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { stringify } from 'csv-stringify/sync';
import type { CliRun, CommandContext } from '../command';
import { ImportLookups } from '../../db/stores/imports';
import { sqliteFileExists, withDatabase } from '../database';
import { withMigratedDatabase } from '../migrated';
import { keyAccess } from '../unlock';
import { CliError, EXIT_FAILED, EXIT_OK, UsageError } from '../errors';
import { valueOption } from '../options';
import { EXIT_INTERRUPTED, formatCount, progress, readFirstLine, type Io } from '../terminal';
import type { ImportProblem, ImportReport, ImportResult } from '../../services/import/service';
import type { ColumnTarget, DateFormats, DateOrder } from '../../../shared/import';
import {
  dateFormatHint,
  dateFormatOption,
  datesFromValues,
  everyDateField,
  mappingLine,
  previewForCli,
  previewLines,
  targetsOf,
} from './import-show';

/** Rejected rows listed on the terminal; --report FILE saves all of them. */
const SHOWN_PROBLEMS = 1000;

export const importCommand = (cli: CliRun): Command =>
  cli
    .subcommand('import', {
      summary:
        'Import customer accounts from a CSV file: every row is checked, nothing is written until you accept.',
      usage:
        'FILE [--map-columns] [--date-format DMY|MDY|YMD|SERIAL] [--dry-run | --yes] [--report REPORT.csv]',
      details: [
        "The first row of FILE names the columns with Custodian's field keys (firstName, lastName, email, phone, ...); firstName and lastName are required, accountNumber keeps existing numbers (otherwise new ones are given). Blank cells are left empty, or take the usual default (balance 0, currency USD).",
        'With --map-columns, the columns are mapped from their header names as the import screen suggests them ("First Name", "E-mail Address", "Zip", a single "Name" column split into first and last name, ...); the mapping is shown first, and columns it leaves out are named in the report.',
        'Dates are read as YYYY-MM-DD unless said otherwise. --date-format says how the file writes them: DMY (03/04/1985 is 3 April), MDY (03/04/1985 is March 4), YMD (1985/04/03) or SERIAL (Excel day numbers, 31140); dates that read one way only (1985-04-03, "3 Apr 1985") are accepted with any of them. With --map-columns and no --date-format, a date column\'s first rows decide it when they can (a first part over 12 is a day); when they cannot, nothing is checked until you say.',
        'First every row is checked with the rules the console applies, and each rejected row is listed by line, field and reason (never its content). Then, after you accept, the valid rows are written in one transaction: all of them, or nothing if anything fails. Each imported account records its provenance: source "import", the import date and the file.',
        'The check also refuses, by line, each row whose account number an account in the database already holds and each row that repeats an earlier row exactly; those rows are left out like rejected ones. A file imported before, unchanged, is not imported again. --dry-run checks against the database too, and changes nothing.',
        'Exit status: 0 imported (or, with --dry-run, every row is valid); 1 nothing imported (declined, the file refused or imported before, a row rejected in a dry run, or a failure); 2 wrong command line.',
      ],
    })
    .argument('[FILE]', 'The CSV file (UTF-8).')
    .option('--map-columns', 'Map the columns from their header names (shown before the check).')
    .addOption(
      valueOption(
        'date-format',
        'ORDER',
        'How the file writes dates: DMY, MDY, YMD or SERIAL (Excel day numbers).',
      ),
    )
    .option(
      '--dry-run',
      'Only check the file; write nothing, and show the first rows as they would be stored.',
    )
    .option('--yes', 'Import the valid rows without asking (needed when not at a terminal).')
    .addOption(
      valueOption(
        'report',
        'REPORT.csv',
        'Also save every rejected row (line, field, reason) to this CSV file.',
      ),
    )
    .action(cli.action(importFile));

async function importFile(ctx: CommandContext): Promise<number> {
  const { io, values, operand: given } = ctx;
  if (given === undefined || given === '') {
    throw new UsageError(
      `Name the CSV file to import, e.g. ${ctx.target.invocation} import accounts.csv`,
    );
  }
  if (values.dryRun === true && values.yes === true) {
    throw new UsageError('--dry-run and --yes contradict each other: choose one.');
  }
  const file = path.resolve(io.cwd, given);
  const reportFile =
    typeof values.report === 'string' ? path.resolve(io.cwd, values.report) : undefined;
  // Loaded on demand, like the seeder.
  const { validateImportFile, importedBefore } = await import('../../services/import/service');
  const dateOrder = dateFormatOption(values.dateFormat);
  const chosen =
    values.mapColumns === true ? await suggestedMapping(io, file, dateOrder) : undefined;
  const mapping = chosen?.targets;
  const dateFormats = chosen?.dateFormats ?? (dateOrder ? everyDateField(dateOrder) : undefined);
  // The preview is for someone deciding (a dry run, or the question at a terminal), never for a
  // script's log (--yes, or input piped in).
  const showPreview = values.dryRun === true || (values.yes !== true && io.stdin.isTTY === true);

  /** Step 1: checks every row, against the database when there is one; nothing is written. */
  const check = async (db: Knex | null): Promise<ImportReport | null> => {
    const size = statFile(file);
    const bar = progress(io.stderr, Math.max(1, Math.ceil(size / 1024)), 'KB checked');
    let report: ImportReport;
    try {
      report = await validateImportFile(
        file,
        (p) => bar.update(Math.ceil(p.bytesRead / 1024)),
        db ? new ImportLookups(db) : undefined,
        mapping,
        dateFormats,
      );
    } finally {
      bar.stop();
    }
    printReport(io, report);
    const hint = dateFormats ? null : dateFormatHint(report.problems);
    if (hint) io.stdout.write(`${hint}\n`);
    if (showPreview) {
      const lines = previewLines(await previewForCli(db, report.preview));
      if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
    }
    if (reportFile) saveReport(reportFile, report.problems);
    const earlier = report.earlierImports?.[0];
    if (earlier) {
      io.stderr.write(`${importedBefore(report.fileName, earlier)}\n`);
      return null;
    }
    if (report.rowsValid === 0) {
      io.stderr.write('Nothing was imported: the file has no valid rows.\n');
      return null;
    }
    return report;
  };

  if (values.dryRun === true) {
    // Against the database, without changing it (no migration either); without one, the file alone.
    const target = ctx.target;
    const alone = target.kind === 'sqlite' && !sqliteFileExists(target.file);
    if (alone)
      io.stderr.write(`There is no database at ${target.file} yet: the file was checked alone.\n`);
    const report = alone
      ? await check(null)
      : await withDatabase(target, { create: false, ...keyAccess(ctx) }, check);
    io.stdout.write('Dry run: nothing was written.\n');
    return report && report.rowsRejected === 0 ? EXIT_OK : EXIT_FAILED;
  }

  return withMigratedDatabase(ctx, async (db) => {
    const report = await check(db);
    if (!report) return EXIT_FAILED;
    if (values.yes !== true && !(await confirmed(io, report.rowsValid))) {
      io.stdout.write('Nothing was imported.\n');
      return EXIT_FAILED;
    }
    await writeValidRows(io, db, file, report, mapping, dateFormats);
    return EXIT_OK;
  });
}

/** Step 2: the valid rows, written in one transaction. */
async function writeValidRows(
  io: Io,
  db: Knex,
  file: string,
  report: ImportReport,
  mapping: ColumnTarget[] | undefined,
  dateFormats: DateFormats | undefined,
): Promise<void> {
  const { importAccounts } = await import('../../services/import/service');
  const bar = progress(io.stderr, report.rowsTotal, 'rows');
  // Ctrl-C: the transaction is never committed, so the database keeps nothing of it.
  const onInterrupt = () => {
    bar.stop();
    io.stderr.write('\nInterrupted: nothing was imported.\n');
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  let result: ImportResult;
  try {
    result = await importAccounts(db, file, {
      staffId: null,
      expectedSha256: report.sha256,
      expectedRows: report.rowsValid,
      skipLines: new Set(report.refusedLines),
      ...(mapping ? { mapping } : {}),
      ...(dateFormats ? { dateFormats } : {}),
      onProgress: (p) => bar.update(p.rows),
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    bar.stop();
  }

  const numbers =
    result.firstAccountNumber === null
      ? ''
      : ` New account numbers ${result.firstAccountNumber} to ${result.lastAccountNumber}.`;
  const rejected = result.report.rowsRejected;
  const skipped =
    rejected > 0
      ? ` ${formatCount(rejected)} rejected row${rejected === 1 ? ' was' : 's were'} left out.`
      : '';
  io.stdout.write(
    `Imported ${formatCount(result.imported)} account${result.imported === 1 ? '' : 's'} from ${result.report.fileName} (import ${result.importId}).${numbers}${skipped}\n` +
      `Time: ${(result.milliseconds / 1000).toFixed(1)} s.\n`,
  );
}

/** Asks at a terminal; elsewhere nobody can accept, so the import is refused (use --yes). */
async function confirmed(io: Io, rows: number): Promise<boolean> {
  if (!io.stdin.isTTY) {
    throw new CliError(
      'Nothing was imported: not at a terminal, so no one could accept. Run again with --yes to import the valid rows, or --dry-run to only check the file.',
    );
  }
  io.stderr.write(`Import ${formatCount(rows)} valid row${rows === 1 ? '' : 's'}? [y/N] `);
  const answer = (await readFirstLine(io.stdin))?.trim().toLowerCase() ?? '';
  return answer === 'y' || answer === 'yes';
}

function statFile(file: string): number {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new CliError(`${file} is not a file.`);
    return stat.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') throw new CliError(`There is no file ${file}.`);
    throw err;
  }
}

function problemLine(p: ImportProblem): string {
  return `  line ${p.line}, ${p.field ?? 'row'}: ${p.reason}`;
}

/** The counts and every rejected row (the first SHOWN_PROBLEMS problems on the terminal). */
function printReport(io: Io, report: ImportReport): void {
  const lines = [
    `Checked ${report.fileName}: ${formatCount(report.rowsTotal)} row${report.rowsTotal === 1 ? '' : 's'}, ${formatCount(report.rowsValid)} valid, ${formatCount(report.rowsRejected)} rejected.`,
  ];
  if (report.ignoredColumns.length > 0) {
    lines.push(`Not imported (no field chosen): ${report.ignoredColumns.join(', ')}.`);
  }
  if (report.problems.length > 0) {
    lines.push('Rejected rows (line, field: reason):');
    for (const p of report.problems.slice(0, SHOWN_PROBLEMS)) lines.push(problemLine(p));
    const more = report.problems.length - SHOWN_PROBLEMS;
    if (more > 0) {
      lines.push(`  ... and ${formatCount(more)} more problems: save them all with --report FILE.`);
    }
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}

function saveReport(file: string, problems: readonly ImportProblem[]): void {
  const rows = problems.map((p) => [p.line, p.field ?? '', p.reason]);
  fs.writeFileSync(file, stringify([['line', 'field', 'reason'], ...rows]), { mode: 0o600 });
}

/**
 * The mapping suggested from the header (and a sample of values), and how its date columns are
 * read (--date-format, else their values), shown before the check.
 */
async function suggestedMapping(
  io: Io,
  file: string,
  dateOrder: DateOrder | undefined,
): Promise<{ targets: ColumnTarget[]; dateFormats: DateFormats } | undefined> {
  const { readHead } = await import('../../services/import/file-head');
  const { suggestMapping } = await import('../../services/import/mapping-suggest');
  const head = await readHead(file, 20);
  if (!head) return undefined; // the check says why the file cannot be read
  const columns = suggestMapping(head.header, head.sample);
  const dateFormats = dateOrder ? everyDateField(dateOrder) : datesFromValues(columns);
  const lines = ['Columns (mapped from their header names):'];
  for (const c of columns) lines.push(mappingLine(c, dateFormats));
  io.stdout.write(`${lines.join('\n')}\n`);
  return { targets: targetsOf(columns), dateFormats };
}
