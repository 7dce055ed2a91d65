/**
 * The layout of an account row, defined once: the catalogue's columns, the search-key columns
 * derived from them, and the human account number. The accounts store, the import's and the
 * seeder's bulk writes all read it from here.
 */
import { FIELDS, type FieldDef, type FieldKey } from '../../../../shared/catalogue';
import type { FieldValue } from '../../../../shared/types';
import { phoneDigits } from '../../../../shared/rules';
import { searchKey } from '../../../../shared/search';

export type AccountRecord = Record<string, unknown> & {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

/**
 * A field's value from its column as stored: money and integers as numbers (bigint money comes
 * back from pg as text), the rest as text, NULL as null.
 */
export function fieldValue(field: FieldDef<FieldKey>, raw: unknown): FieldValue {
  if (raw === null || raw === undefined) return null;
  return field.type === 'money' || field.type === 'integer' ? Number(raw) : String(raw);
}

/** Reads the catalogue fields out of a database row. */
export function rowToValues(row: AccountRecord): Record<FieldKey, FieldValue> {
  const out = {} as Record<FieldKey, FieldValue>;
  for (const field of FIELDS) out[field.key] = fieldValue(field, row[field.column]);
  return out;
}

const KEY_LENGTH = 200;

/** A search key cut to the column's length in code points, never inside a surrogate pair. */
export function cutKey(key: string): string {
  return key.length <= KEY_LENGTH ? key : [...key].slice(0, KEY_LENGTH).join('');
}

/** Columns for a set of field values, plus the derived search keys those values feed. */
export function valuesToColumns(
  values: Partial<Record<FieldKey, FieldValue>>,
  merged: Record<FieldKey, FieldValue>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    if (field.key in values) out[field.column] = values[field.key] ?? null;
  }
  if ('firstName' in values || 'lastName' in values) {
    const first = searchKey(String(merged.firstName ?? ''));
    const last = searchKey(String(merged.lastName ?? ''));
    // NFKD can lengthen text (⒯ becomes "(t)"): keys are cut to fit their columns.
    out.name_key = cutKey(`${last} ${first}`);
    out.first_key = cutKey(`${first} ${last}`);
  }
  if ('email' in values) {
    out.email_key = merged.email ? cutKey(searchKey(String(merged.email))) : '';
  }
  if ('phone' in values) {
    const digits = merged.phone ? phoneDigits(String(merged.phone)) : '';
    out.phone_digits = digits || null;
    out.phone_digits_rev = digits ? [...digits].reverse().join('') : null;
  }
  return out;
}

/** The fields that feed the derived search keys (valuesToColumns computes those keys). */
export const KEYED_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
] as const satisfies FieldKey[];

/** Search-key columns that valuesToColumns derives from the keyed fields. */
export const DERIVED_COLUMNS: readonly string[] = (() => {
  const sample = Object.fromEntries(KEYED_FIELDS.map((k) => [k, 'x'])) as Record<
    FieldKey,
    FieldValue
  >;
  const fieldColumns = new Set<string>(FIELDS.map((f) => f.column));
  return Object.keys(valuesToColumns(sample, sample)).filter((c) => !fieldColumns.has(c));
})();

/** Account numbers are C- followed by this base plus the counter's value. */
export const ACCOUNT_NUMBER_BASE = 1_000_000;

/** The account number of the counter's value `n`. */
export function accountNumber(n: number): string {
  return `C-${ACCOUNT_NUMBER_BASE + n}`;
}

/** The console's own account numbers (C-1000001 ...): the counter must stay ahead of them. */
const OWN_NUMBER = /^C-(\d{7,12})$/;

/** The counter's value of one of the console's own account numbers (null: another form). */
export function accountNumberValue(number: string): number | null {
  const own = OWN_NUMBER.exec(number);
  return own ? Number(own[1]) - ACCOUNT_NUMBER_BASE : null;
}

/**
 * An email's domain as SQL, from its search key (`emailKey`, an SQL reference to email_key):
 * what follows the @ (an email key holds one: emails are checked on every way in). Migration
 * 0020 indexes exactly this text, and the domain search (list-query.ts) compares it.
 */
export function emailDomainSql(sqlite: boolean, emailKey: string): string {
  return sqlite
    ? `substr(${emailKey}, instr(${emailKey}, '@') + 1)`
    : `split_part(${emailKey}, '@', 2)`;
}
