/**
 * What the import screen and main say to each other about importing accounts from a CSV file.
 * The renderer never holds a path: main asks the file picker, keeps the path, and answers with a
 * token that stands for the chosen file.
 */
import { z } from 'zod';
import { FIELDS, type FieldKey } from './catalogue';

/** A file the user chose in main's file picker. */
export interface ImportFileChoice {
  token: string;
  fileName: string;
  sizeBytes: number;
  /** Its columns and the mapping suggested for them. */
  mapping: ImportMappingProposal;
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
  /** The fields imported, in the order the mapping gives them. */
  columns: FieldKey[];
  /** Columns of the file the mapping leaves out ("column 4 (Fax)"): reported, never dropped silently. */
  ignoredColumns: string[];
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

/**
 * A column that holds a whole name ("Ada Lovelace", "Lovelace, Ada"): split into firstName and
 * lastName by the rule in main/services/import/mapping.ts (splitName).
 */
export const FULL_NAME = 'fullName';

/** What one column of the file becomes: a field, a whole name to split, or nothing (null). */
export type ColumnTarget = FieldKey | typeof FULL_NAME | null;

/** The most columns a mapping may name (a file with more is refused when it is checked). */
export const MAX_IMPORT_COLUMNS = 200;

/** Why a column's target was suggested. */
export type SuggestionReason =
  'field key' | 'header name' | 'values' | 'saved' | 'duplicate' | 'unknown';

/** One column of the chosen file, with the target suggested for it. */
export interface ImportColumnSuggestion {
  /** 1-based position in the file. */
  column: number;
  /** The header cell as shown (shortened, control characters replaced). */
  header: string;
  target: ColumnTarget;
  reason: SuggestionReason;
}

/** The chosen file's columns and a suggested mapping, for the user to confirm or edit. */
export interface ImportMappingProposal {
  columns: ImportColumnSuggestion[];
  /** The suggestion is the mapping saved for this very header at an earlier check. */
  saved: boolean;
  /** Why the header could not be read (the check says so again), or null. */
  problem: string | null;
}

/** One column's target as the import screen sends it (checked again against the file in main). */
export const columnTargetSchema = z.union(
  [
    z.enum(IMPORTABLE_FIELD_KEYS as readonly [FieldKey, ...FieldKey[]]),
    z.literal(FULL_NAME),
    z.null(),
  ],
  {
    error: `A column is imported as one of the fields ${IMPORTABLE_FIELD_KEYS.join(', ')}, as ${FULL_NAME}, or not at all (null).`,
  },
);

/** What each column of the file becomes, in the file's order. */
export const importMappingSchema = z
  .array(columnTargetSchema)
  .min(1, 'The mapping names no column.')
  .max(MAX_IMPORT_COLUMNS, `A file may have at most ${MAX_IMPORT_COLUMNS} columns.`);
