/**
 * What the import screen and main say to each other about importing accounts from a CSV file.
 * The renderer never holds a path: main asks the file picker, keeps the path, and answers with a
 * token that stands for the chosen file.
 */
import { z } from 'zod';
import { FIELDS, type FieldKey } from './catalogue';
import type { VisibleAccess, VisibleFields } from './types';

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
  /** The first valid rows as they will be stored, as the importer's role may see them. */
  preview: ImportPreview;
}

/**
 * The first valid rows of a checked file as they will be stored (mapped, names split, dates
 * converted, values normalised, defaults filled in), projected by the importer's role exactly as
 * accounts.get would: a masked field shows its mask, a hidden one is left out and named.
 */
export interface ImportPreview {
  /** The fields shown, in the catalogue's order. */
  fields: FieldKey[];
  /** The role's access to each field shown (a masked field's values are its mask). */
  access: VisibleAccess;
  /** Fields the rows will have that the role may not read: not shown. */
  hidden: FieldKey[];
  rows: { line: number; values: VisibleFields }[];
}

/** Valid rows shown in an import's preview. */
export const IMPORT_PREVIEW_ROWS = 5;

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
  /**
   * How the column's dates are written, read from its sampled values (absent: no sampled value
   * looks like a date). Offered when the column is imported as a date field.
   */
  date?: DateOrderSuggestion;
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

/**
 * How a file writes its dates: the order of day, month and year in a date of numbers
 * (03/04/1985 is 3 April in DMY and March 4 in MDY), or Excel's day numbers (SERIAL: 31140 is
 * 1985-04-03). Whatever the order, a date that starts with a four-digit year (1985-04-03,
 * 1985/4/3) or names its month ("3 Apr 1985", "Apr 3, 1985") can be read only one way and is
 * always accepted.
 */
export const DATE_ORDERS = ['DMY', 'MDY', 'YMD', 'SERIAL'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export const DATE_ORDER_LABELS: Record<DateOrder, string> = {
  DMY: 'day/month/year (03/04/1985 is 3 April 1985)',
  MDY: 'month/day/year (03/04/1985 is March 4, 1985)',
  YMD: 'year/month/day (1985/04/03)',
  SERIAL: 'Excel day numbers (31140 is 1985-04-03)',
};

/**
 * Why a column's date order was suggested, or why none was: `values` a sampled value decided it
 * (a first part over 12 is a day), `unambiguous` every sampled date reads one way only (the
 * order does not matter), `undecided` every sampled date reads both ways (03/04/1985),
 * `conflict` some read only day-first and others only month-first, `saved` as confirmed for
 * this header last time. With `undecided` or `conflict` the user must choose.
 */
export type DateOrderReason = 'values' | 'unambiguous' | 'undecided' | 'conflict' | 'saved';

export interface DateOrderSuggestion {
  order: DateOrder | null;
  reason: DateOrderReason;
}

/** The importable fields that hold a date. */
export const IMPORTABLE_DATE_KEYS = FIELDS.filter(
  (f) => f.type === 'date' && IMPORTABLE_FIELD_KEYS.includes(f.key),
).map((f) => f.key);

export const dateOrderSchema = z.enum(DATE_ORDERS, {
  error: `A date format is one of ${DATE_ORDERS.join(', ')}.`,
});

/**
 * How each imported date field's column writes its dates, as the user confirmed it. A date field
 * without one is read as YYYY-MM-DD only: an order is never guessed.
 */
export const dateFormatsSchema = z.partialRecord(
  z.enum(IMPORTABLE_DATE_KEYS as [FieldKey, ...FieldKey[]], {
    error: `Date formats are given for the date fields ${IMPORTABLE_DATE_KEYS.join(', ')} only.`,
  }),
  dateOrderSchema,
);
export type DateFormats = Partial<Record<FieldKey, DateOrder>>;
