import { AppError } from '../../../../shared/errors';
import type { SortKey } from '../../../../shared/catalogue';

/**
 * The column each sort key orders by; `key` (the account's integer key inside the database, given
 * in order of creation: migration 0027) breaks ties and means "created".
 */
export const SORT_COLUMNS: Record<Exclude<SortKey, 'match'>, string> = {
  name: 'name_key',
  accountNumber: 'account_number',
  email: 'email_key',
  balanceCents: 'balance_cents',
  standing: 'standing',
  createdAt: 'key',
};

export type CursorValue = string | number;

/** A list position: the last row's sort value and key. */
export function encodeCursor(value: CursorValue, key: number): string {
  return Buffer.from(JSON.stringify([value, key]), 'utf8').toString('base64url');
}

/** Sort columns that hold numbers; every other column's cursor value is text. */
const NUMERIC_SORT_COLUMNS = new Set(['balance_cents', 'key']);

/**
 * A cursor comes back from the caller and can be forged: its key must be a positive whole number
 * and its value of the sort column's type, or PostgreSQL would fail on the cast where SQLite
 * compares.
 */
export function decodeCursor(cursor: string, column?: string): [CursorValue, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valueOk = (v: unknown) =>
      column === undefined
        ? typeof v === 'string' || typeof v === 'number'
        : NUMERIC_SORT_COLUMNS.has(column)
          ? Number.isSafeInteger(v)
          : typeof v === 'string';
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      valueOk(parsed[0]) &&
      Number.isSafeInteger(parsed[1]) &&
      (parsed[1] as number) > 0
    ) {
      return [parsed[0], parsed[1] as number];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'The list position is not valid; start again from the top.', {
    fieldErrors: { cursor: 'Not a position this list gave out.' },
  });
}
