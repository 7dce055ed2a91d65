/** What an import reports: the problems of rejected rows, progress, and the outcome. */
import type { FieldKey } from '../../../shared/catalogue';
import type { ColumnTarget, DateFormats, EarlierImport } from '../../../shared/import';
import type { PreviewRow } from './preview';

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
  /** The fields imported, in order (through the mapping, when there is one). */
  columns: FieldKey[];
  /** Columns of the file the mapping leaves out, as shown back ("column 4 (Fax)"). */
  ignoredColumns: string[];
  /** Data rows (the header and empty lines not counted). */
  rowsTotal: number;
  rowsValid: number;
  rowsRejected: number;
  /** Every problem of every rejected row, in file order. */
  problems: ImportProblem[];
  /**
   * Lines of rows the rules accept but the check refused (an account number the database already
   * holds, a row repeating an earlier one): the writing step leaves them out too.
   */
  refusedLines: number[];
  /** Earlier imports of this very file (null: the check did not ask the database). */
  earlierImports: EarlierImport[] | null;
  /**
   * The first valid rows as they will be stored, unprojected: project them by the reader's access
   * (preview.ts) before they leave main.
   */
  preview: PreviewRow[];
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
  /** What each column of the file becomes (absent: the header names the field keys). */
  mapping?: readonly ColumnTarget[];
  /** How each date field's column writes its dates (absent: YYYY-MM-DD only). */
  dateFormats?: DateFormats;
  /** Lines the check refused (ImportReport.refusedLines): left out like rejected rows. */
  skipLines?: ReadonlySet<number>;
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
