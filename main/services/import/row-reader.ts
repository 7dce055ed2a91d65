/**
 * Reads an import file once: the header, then every row checked against the rules, with account
 * numbers given twice in the file refused after their first appearance; reports progress as it
 * goes.
 */
import path from 'node:path';
import type { FieldKey } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { containsCardNumber } from '../../../shared/rules';
import type { FieldValue } from '../../../shared/types';
import {
  CsvSyntaxError,
  readCsvFile,
  type CsvFile,
  type CsvReadProgress,
  type CsvRecord,
} from './csv';
import { ImportFileError, fileSystemError } from './file-errors';
import type { ImportProgress } from './report';
import type { ColumnTarget, DateFormats } from '../../../shared/import';
import { ColumnMapping, mappingProblem, shownHeader } from './mapping';
import {
  RowValidator,
  checkHeader,
  type DateReading,
  type RowProblem,
  type RowValues,
} from './rules';

/** Rows checked between two turns of the event loop. */
const SLICE_ROWS = 256;

const CARD_FILE_NAME_MESSAGE =
  "The file's name looks like it holds a full payment card number, and Custodian never stores card numbers. Rename the file and choose it again.";

/** A row read and checked: its values (one per column) and account number, or its problems. */
export type CheckedRow =
  | { line: number; values: RowValues; number: string | null; problems?: undefined }
  | { line: number; problems: RowProblem[]; values?: undefined };
export type ValidRow = Extract<CheckedRow, { values: RowValues }>;

export class RowReader {
  readonly file: CsvFile;
  readonly fileName: string;
  private validator: RowValidator | null = null;
  /** The file's columns as fields (null: the header names the fields itself). */
  private mapping: ColumnMapping | null = null;
  private readonly seenNumbers = new Map<string, number>();
  private bytes: CsvReadProgress;
  rows = 0;

  constructor(
    filePath: string,
    private readonly onProgress?: (p: ImportProgress) => void,
    /** What each column becomes (absent: the header names Custodian's field keys). */
    private readonly targets?: readonly ColumnTarget[],
    /** How each date field's column writes its dates (absent: YYYY-MM-DD only). */
    private readonly dateFormats: DateFormats = {},
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

  /** The columns the mapping leaves out, as shown back. */
  get ignoredColumns(): string[] {
    return this.mapping?.ignored ?? [];
  }

  /** The header checked as field keys, through the mapping when there is one. */
  private readHeader(cells: readonly string[]): RowValidator {
    let names: readonly string[] = cells;
    let sources = cells.map((_, i) => i);
    if (this.targets) {
      const problem = mappingProblem(cells, this.targets);
      if (problem) throw new ImportFileError(problem);
      const mapping = new ColumnMapping(cells, this.targets);
      if (!mapping.identity) this.mapping = mapping;
      names = mapping.keys;
      sources = mapping.sources;
    }
    const header = checkHeader(names);
    if ('problem' in header) throw new ImportFileError(header.problem);
    const dates: Partial<Record<FieldKey, DateReading>> = {};
    header.columns.forEach((f, i) => {
      const order = this.dateFormats[f.key];
      if (order === undefined) return;
      const from = sources[i]!;
      dates[f.key] = {
        order,
        column: `Column ${from + 1} (${shownHeader(cells[from]!, from + 1)})`,
      };
    });
    return new RowValidator(header, dates);
  }

  async *chunks(): AsyncGenerator<CheckedRow[]> {
    try {
      for await (const batch of this.file.batches) {
        let i = 0;
        if (!this.validator) {
          this.validator = this.readHeader(batch[0]!.cells);
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
    const mapping = this.mapping;
    if (mapping && record.cells.length !== mapping.width) {
      const n = record.cells.length;
      const reason = `This row has ${n} value${n === 1 ? '' : 's'}; the first row names ${mapping.width} column${mapping.width === 1 ? '' : 's'}.`;
      return { line: record.line, problems: [{ field: null, reason }] };
    }
    const problems = validator.check(mapping ? mapping.map(record.cells) : record.cells, values);
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
