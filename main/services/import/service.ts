/**
 * Import of customer accounts from a CSV file whose first row names Custodian's field keys.
 *
 * Two steps, so that nothing is written until someone has seen what would be:
 * 1. `validateImportFile` reads the whole file and checks every row against the shared rules;
 *    its report lists every rejected row (line, field, reason; never a value).
 * 2. `importAccounts` reads the file again, checks every row again, and writes the valid rows
 *    in one transaction (in batches inside it): all of them or, on any failure, none. Passing
 *    the SHA-256 from step 1 makes it refuse a file that changed in between.
 *
 * Every imported account records its provenance (policy P1): source `import`, the import date,
 * and the import (file name, SHA-256, counts, who and when) in the `imports` table.
 */
import path from 'node:path';
import type { FieldKey } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { containsCardNumber } from '../../../shared/rules';
import type { FieldValue } from '../../../shared/types';
import type { Db } from '../../db/handle';
import { AccountLoad, LOADED_FIELDS } from '../../db/stores/imports';
import {
  DERIVED_COLUMNS,
  type KEYED_FIELDS,
  accountNumber,
  accountNumberValue,
  valuesToColumns,
} from '../../db/stores/accounts/account-row';
import {
  CsvSyntaxError,
  readCsvFile,
  type CsvFile,
  type CsvReadProgress,
  type CsvRecord,
} from './csv';
import { IdSource } from '../../db/engine/ids';
import {
  IMPORT_DEFAULTS,
  RowValidator,
  checkHeader,
  type RowProblem,
  type RowValues,
} from './rules';

export interface ImportProblem {
  /** The line of the file the row starts on (the first row, the header, is line 1). */
  line: number;
  /** The field key, or null for a problem with the row as a whole. */
  field: FieldKey | null;
  reason: string;
}

export interface ImportReport {
  fileName: string;
  sha256: string;
  bytes: number;
  /** The columns of the file, in order. */
  columns: FieldKey[];
  /** Data rows (the header and empty lines not counted). */
  rowsTotal: number;
  rowsValid: number;
  rowsRejected: number;
  /** Every problem of every rejected row, in file order. */
  problems: ImportProblem[];
}

export interface ImportProgress {
  bytesRead: number;
  bytesTotal: number;
  /** Data rows read so far. */
  rows: number;
}

export interface ImportOptions {
  /** The staff member importing (null from the command line). */
  staffId?: string | null;
  /** The SHA-256 the file had when it was validated: a changed file is refused. */
  expectedSha256?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Data rows the file holds, if known (from the validation): large loads are done differently. */
  expectedRows?: number;
}

export interface ImportResult {
  importId: string;
  report: ImportReport;
  imported: number;
  /** Numbers given to accounts whose row had none (null when every row had one). */
  firstAccountNumber: string | null;
  lastAccountNumber: string | null;
  milliseconds: number;
}

/** The file cannot be imported at all (not CSV, no usable header, nothing in it). */
export class ImportFileError extends AppError {
  constructor(message: string) {
    super('VALIDATION', message);
  }
}

/** Rows checked between two turns of the event loop. */
const SLICE_ROWS = 256;

/** A row read and checked: its values (one per column) and account number, or its problems. */
type CheckedRow =
  | { line: number; values: RowValues; number: string | null; problems?: undefined }
  | { line: number; problems: RowProblem[]; values?: undefined };
type ValidRow = Extract<CheckedRow, { values: RowValues }>;

/**
 * Reads a file once: the header, then every row checked against the rules, with account
 * numbers given twice in the file refused after their first appearance.
 */
const CARD_FILE_NAME_MESSAGE =
  "The file's name looks like it holds a full payment card number, and Custodian never stores card numbers. Rename the file and choose it again.";

class RowReader {
  readonly file: CsvFile;
  readonly fileName: string;
  private validator: RowValidator | null = null;
  private readonly seenNumbers = new Map<string, number>();
  private bytes: CsvReadProgress;
  rows = 0;

  constructor(
    filePath: string,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {
    this.fileName = path.basename(filePath);
    // The name is recorded with the import (and shown back in messages): never a card number.
    if (containsCardNumber(this.fileName)) throw new ImportFileError(CARD_FILE_NAME_MESSAGE);
    try {
      this.file = readCsvFile(filePath, (p) => (this.bytes = p));
    } catch (err) {
      throw fileSystemError(err, this.fileName);
    }
    this.bytes = { bytesRead: 0, bytesTotal: this.file.bytesTotal };
  }

  get columns(): FieldKey[] {
    return this.validator ? this.validator.header.columns.map((f) => f.key) : [];
  }

  async *chunks(): AsyncGenerator<CheckedRow[]> {
    try {
      for await (const batch of this.file.batches) {
        let i = 0;
        if (!this.validator) {
          const header = checkHeader(batch[0]!.cells);
          if ('problem' in header) throw new ImportFileError(header.problem);
          this.validator = new RowValidator(header);
          i = 1;
        }
        // In slices, giving way between them: the database driver needs this thread to start
        // each queued statement, so a long stretch of checking would leave the database idle.
        while (i < batch.length) {
          const end = Math.min(batch.length, i + SLICE_ROWS);
          const out: CheckedRow[] = new Array(end - i);
          for (let k = 0; i < end; i++, k++) out[k] = this.check(batch[i]!);
          this.rows += out.length;
          this.onProgress?.({ ...this.bytes, rows: this.rows });
          yield out;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw new ImportFileError(err.message);
      if (err instanceof AppError) throw err;
      throw fileSystemError(err, this.fileName);
    }
    if (!this.validator) {
      throw new ImportFileError(
        'The file is empty: its first row must name the columns, e.g. firstName,lastName,email.',
      );
    }
  }

  private check(record: CsvRecord): CheckedRow {
    const validator = this.validator!;
    const values: RowValues = new Array<FieldValue>(validator.width);
    const problems = validator.check(record.cells, values);
    if (problems) return { line: record.line, problems };
    const number = validator.value(values, 'accountNumber') as string | null;
    if (number !== null) {
      const earlier = this.seenNumbers.get(number);
      if (earlier !== undefined) {
        return {
          line: record.line,
          problems: [
            {
              field: 'accountNumber',
              reason: `This account number is already on line ${earlier} of this file.`,
            },
          ],
        };
      }
      this.seenNumbers.set(number, record.line);
    }
    return { line: record.line, values, number };
  }

  /** The checked header; only once the first chunk has been read. */
  get rowValidator(): RowValidator {
    if (!this.validator) throw new Error('the header has not been read yet');
    return this.validator;
  }
}

/** A file that cannot be read, in words that name the file but nothing in it. */
function fileSystemError(err: unknown, fileName: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new ImportFileError(`There is no file ${fileName}.`);
    case 'EACCES':
    case 'EPERM':
      return new ImportFileError(`No permission to read ${fileName}.`);
    case 'EISDIR':
      return new ImportFileError(`${fileName} is a folder, not a file.`);
    default:
      return err;
  }
}

/** Step 1: checks every row of the file; writes nothing. */
export async function validateImportFile(
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const reader = new RowReader(filePath, onProgress);
  const problems: ImportProblem[] = [];
  let valid = 0;
  let rejected = 0;
  for await (const rows of reader.chunks()) {
    for (const row of rows) {
      if (row.values) {
        valid++;
        continue;
      }
      rejected++;
      for (const p of row.problems) problems.push({ line: row.line, ...p });
    }
  }
  return {
    fileName: reader.fileName,
    sha256: reader.file.sha256(),
    bytes: reader.file.bytesTotal,
    columns: reader.columns,
    rowsTotal: valid + rejected,
    rowsValid: valid,
    rowsRejected: rejected,
    problems,
  };
}

/** Builds account and provenance rows (in the layout of LOAD_ACCOUNT_COLUMNS, main/db/stores/imports.ts) from checked rows of one file. */
class RowBuilder {
  private readonly ids = new IdSource();
  private readonly suppliedJson = new Map<string, string>();
  /** For each written field, its column in the file (-1: not in the file) and default. */
  private readonly sources: { at: number; fallback: FieldValue }[];
  private readonly keyedAt: Record<(typeof KEYED_FIELDS)[number], number>;
  private readonly numberAt: number;

  constructor(private readonly validator: RowValidator) {
    this.sources = LOADED_FIELDS.map((f) => ({
      at: validator.columnOf(f.key),
      fallback: IMPORT_DEFAULTS[f.key] ?? null,
    }));
    this.keyedAt = {
      firstName: validator.columnOf('firstName'),
      lastName: validator.columnOf('lastName'),
      email: validator.columnOf('email'),
      phone: validator.columnOf('phone'),
    };
    this.numberAt = validator.columnOf('accountNumber');
  }

  account(id: string, number: string, values: RowValues): unknown[] {
    const row: unknown[] = [id, number];
    for (const { at, fallback } of this.sources) {
      row.push(at < 0 ? fallback : (values[at] ?? fallback));
    }
    const k = this.keyedAt;
    const keyed = {
      firstName: k.firstName < 0 ? null : (values[k.firstName] ?? null),
      lastName: k.lastName < 0 ? null : (values[k.lastName] ?? null),
      email: k.email < 0 ? null : (values[k.email] ?? null),
      phone: k.phone < 0 ? null : (values[k.phone] ?? null),
    };
    const derived = valuesToColumns(keyed, keyed as Record<FieldKey, FieldValue>);
    for (const c of DERIVED_COLUMNS) row.push(derived[c] ?? null);
    return row;
  }

  /** The provenance record: the fields the file supplied (non-blank), cached per combination. */
  provenance(accountId: string, values: RowValues): unknown[] {
    let signature = '';
    for (let i = 0; i < values.length; i++) {
      signature += i !== this.numberAt && values[i] !== null ? '1' : '0';
    }
    let fields = this.suppliedJson.get(signature);
    if (fields === undefined) {
      const columns = this.validator.header.columns;
      fields = JSON.stringify(
        columns.filter((_, i) => signature.charCodeAt(i) === 49).map((f) => f.key),
      );
      this.suppliedJson.set(signature, fields);
    }
    return [this.ids.next(), accountId, fields];
  }

  nextId(): string {
    return this.ids.next();
  }
}

/**
 * Step 2: checks every row again and writes the valid ones, all in one transaction. Rejected
 * rows are skipped (step 1 reported them); an account number already in use fails the whole
 * import, as does any other failure: then nothing is written.
 */
export async function importAccounts(
  db: Db,
  filePath: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const staffId = options.staffId ?? null;
  const reader = new RowReader(filePath, options.onProgress);
  const problems: ImportProblem[] = [];
  let imported = 0;
  let firstGenerated: string | null = null;
  let lastGenerated: string | null = null;

  const importId = await db.transaction(async (trx) => {
    const expectedRows = options.expectedRows ?? Math.round(reader.file.bytesTotal / 160);
    const load = await AccountLoad.open(trx, { fileName: reader.fileName, staffId, expectedRows });
    const { counterAtStart } = load;
    let builder: RowBuilder | null = null;
    let nextNumber = counterAtStart + 1;
    /** The console's own numbers (C-1000001 ...) the file gives, as counter values. */
    const givenOwn = new Set<number>();
    let highestOwnNumber = 0;
    // Rows are written in batches, one after the other, while the next batch is read, checked
    // and built: at most one batch waits while another is being written.
    let accountRows: unknown[][] = [];
    let provenanceRows: unknown[][] = [];
    const flush = async () => {
      if (accountRows.length === 0) return;
      const [a, p] = [accountRows, provenanceRows];
      accountRows = [];
      provenanceRows = [];
      await load.queue(a, p);
    };
    try {
      for await (const rows of reader.chunks()) {
        const valid: ValidRow[] = [];
        for (const row of rows) {
          if (row.values) valid.push(row);
          else for (const p of row.problems) problems.push({ line: row.line, ...p });
        }
        if (valid.length === 0) continue;
        builder ??= new RowBuilder(reader.rowValidator);
        const given = valid.filter((r) => r.number !== null);
        if (given.length > 0) {
          for (const r of given) {
            const value = accountNumberValue(r.number!);
            if (value === null) continue;
            // Already given to a row of this file that had no number.
            if (value > counterAtStart && value < nextNumber) {
              throw new ImportFileError(
                `The account number on line ${r.line} was already given to an earlier row of this file that had none, so nothing was imported. Give every row a number, or none.`,
              );
            }
            givenOwn.add(value);
            highestOwnNumber = Math.max(highestOwnNumber, value);
          }
          await refuseNumbersInUse(load, given);
        }
        for (const row of valid) {
          let number = row.number;
          if (number === null) {
            while (givenOwn.has(nextNumber)) nextNumber++;
            number = accountNumber(nextNumber++);
            firstGenerated ??= number;
            lastGenerated = number;
          }
          const id = builder.nextId();
          accountRows.push(builder.account(id, number, row.values));
          provenanceRows.push(builder.provenance(id, row.values));
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
      counter: Math.max(nextNumber - 1, highestOwnNumber, counterAtStart),
    });
    return load.importId;
  });

  return {
    importId,
    report: {
      fileName: reader.fileName,
      sha256: reader.file.sha256(),
      bytes: reader.file.bytesTotal,
      columns: reader.columns,
      rowsTotal: reader.rows,
      rowsValid: imported,
      rowsRejected: reader.rows - imported,
      problems,
    },
    imported,
    firstAccountNumber: firstGenerated,
    lastAccountNumber: lastGenerated,
    milliseconds: performance.now() - started,
  };
}

/** Fails the import, naming the line, when a given account number is already in use. */
async function refuseNumbersInUse(load: AccountLoad, rows: readonly ValidRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const slice = rows.slice(i, i + 500);
    const inUse = await load.numbersInUse(slice.map((r) => r.number!));
    const clash = slice.find((r) => inUse.has(r.number!));
    if (clash) {
      throw new ImportFileError(
        `The account number on line ${clash.line} is already in use by an account in the database, so nothing was imported. Remove that row, or the accountNumber value, and import again.`,
      );
    }
  }
}

/** Rows written to the database at a time. */
const WRITE_ROWS = 8192;
