/**
 * What the import screen and main say to each other about importing accounts from a CSV file.
 * The renderer never holds a path: main asks the file picker, keeps the path, and answers with a
 * token that stands for the chosen file.
 */
import { FIELDS, type FieldKey } from './catalogue';

/** A file the user chose in main's file picker. */
export interface ImportFileChoice {
  token: string;
  fileName: string;
  sizeBytes: number;
}

/** One problem of a rejected row: where, which field (null: the row as a whole) and why. */
export interface ImportProblemView {
  line: number;
  field: FieldKey | null;
  reason: string;
}

/** The checking pass over a chosen file: counts, and the first page of rejected rows. */
export interface ImportCheck {
  token: string;
  fileName: string;
  sizeBytes: number;
  /** The file's columns, in order. */
  columns: FieldKey[];
  rowsTotal: number;
  rowsValid: number;
  rowsRejected: number;
  /** Problems in the whole file (a rejected row has one or more). */
  problemsTotal: number;
  /** The first problems, in file order; the rest are read a page at a time. */
  problems: ImportProblemView[];
  /** Earlier imports of this very file (the same SHA-256): importing it again is refused. */
  earlierImports: EarlierImport[];
}

/** A finished import of a file with the same content. */
export interface EarlierImport {
  importId: string;
  fileName: string;
  finishedAt: string;
  rowsImported: number;
}

export interface ImportProblemPage {
  offset: number;
  total: number;
  problems: ImportProblemView[];
}

export interface ImportOutcome {
  importId: string;
  fileName: string;
  imported: number;
  /** Rejected rows left out of the import. */
  skipped: number;
  /**
   * Account numbers given to rows that had none, as the importer's role may see them (absent
   * when every row had its own number, or when the role may not see account numbers).
   */
  firstAccountNumber?: string | null;
  lastAccountNumber?: string | null;
  milliseconds: number;
}

/** Problems answered with a check, and the most one page may hold. */
export const IMPORT_PROBLEM_PAGE = 100;
export const IMPORT_PROBLEM_PAGE_MAX = 500;

/** Columns an import file may have: every field staff can set, and the account number. */
export const IMPORTABLE_FIELD_KEYS: readonly FieldKey[] = FIELDS.filter(
  (f) => !f.system || f.key === 'accountNumber',
).map((f) => f.key);
