/**
 * Step 2 of an import: reads and checks the file again and writes its valid rows, all in one
 * transaction, with the file's provenance (policy P1): once, on the import's row, which each
 * account it creates names.
 */
import type { Db } from '../../db/handle';
import { AccountLoad, loadTransaction } from '../../db/stores/imports';
import { ImportNumbering } from './account-numbers';
import { ImportFileError } from './file-errors';
import type { ImportOptions, ImportProblem, ImportResult } from './report';
import { RowBuilder } from './row-builder';
import { RowReader, type ValidRow } from './row-reader';

/** Rows written to the database at a time. */
const WRITE_ROWS = 8192;

/**
 * Checks every row again and writes the valid ones, all in one transaction. Rejected rows are
 * skipped (step 1 reported them), and so are the rows the check refused (`skipLines`); an account
 * number taken since the check fails the whole import, as does any other failure: then nothing is
 * written.
 */
export async function importAccounts(
  db: Db,
  filePath: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const staffId = options.staffId ?? null;
  const reader = new RowReader(filePath, options.onProgress, options.mapping, options.dateFormats);
  const problems: ImportProblem[] = [];
  // Rows the check refused (a number in use, a repeated row): left out as rejected rows are.
  const skip = options.skipLines ?? new Set<number>();
  let imported = 0;

  const expectedRows = options.expectedRows ?? Math.round(reader.file.bytesTotal / 160);
  const { importId, numbers } = await loadTransaction(db, expectedRows, async (trx) => {
    const load = await AccountLoad.open(trx, { fileName: reader.fileName, staffId, expectedRows });
    const numbers = new ImportNumbering(load, load.counterAtStart);
    let builder: RowBuilder | null = null;
    // Rows are written in batches, one after the other, while the next batch is read, checked
    // and built: at most one batch waits while another is being written.
    let accountRows: unknown[][] = [];
    const flush = async () => {
      if (accountRows.length === 0) return;
      const rows = accountRows;
      accountRows = [];
      await load.queue(rows);
    };
    try {
      for await (const rows of reader.chunks()) {
        const valid: ValidRow[] = [];
        for (const row of rows) {
          if (!row.values) for (const p of row.problems) problems.push({ line: row.line, ...p });
          else if (!skip.has(row.line)) valid.push(row);
        }
        if (valid.length === 0) continue;
        builder ??= new RowBuilder(reader.rowValidator);
        await numbers.claimGiven(valid);
        for (const row of valid) {
          accountRows.push(builder.account(builder.nextId(), numbers.numberOf(row), row.values));
        }
        imported += valid.length;
        if (accountRows.length >= WRITE_ROWS) await flush();
      }
      await flush();
      await load.drain(imported);
    } finally {
      await load.close();
    }

    const sha256 = reader.file.sha256();
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
      throw new ImportFileError(
        `${reader.fileName} changed after it was checked, so nothing was imported. Check it again and import the new version.`,
      );
    }
    if (imported === 0) {
      throw new ImportFileError(`${reader.fileName} has no valid rows, so nothing was imported.`);
    }
    await load.finish({
      sha256,
      rowsTotal: reader.rows,
      imported,
      counter: numbers.counter,
      fields: reader.columns.filter((key) => key !== 'accountNumber'),
    });
    return { importId: load.importId, numbers };
  });

  return {
    importId,
    report: {
      fileName: reader.fileName,
      sha256: reader.file.sha256(),
      bytes: reader.file.bytesTotal,
      columns: reader.columns,
      ignoredColumns: reader.ignoredColumns,
      rowsTotal: reader.rows,
      rowsValid: imported,
      rowsRejected: reader.rows - imported,
      problems,
      refusedLines: [...skip],
      earlierImports: null,
      preview: [],
    },
    imported,
    firstAccountNumber: numbers.first,
    lastAccountNumber: numbers.last,
    milliseconds: performance.now() - started,
  };
}
