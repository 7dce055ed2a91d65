import { AppError } from '../../../../shared/errors';
import type { SortKey } from '../../../../shared/catalogue';

/** The column each sort key orders by; `id` (UUIDv7, time-ordered) breaks ties and means "created". */
export const SORT_COLUMNS: Record<Exclude<SortKey, 'match'>, string> = {
  name: 'name_key',
  accountNumber: 'account_number',
  email: 'email_key',
  balanceCents: 'balance_cents',
  standing: 'standing',
  createdAt: 'id',
};

export type CursorValue = string | number;

export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

/** Sort columns that hold numbers; every other column's cursor value is text. */
const NUMERIC_SORT_COLUMNS = new Set(['balance_cents']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A cursor comes back from the caller and can be forged: its id must be a record id and its
 * value of the sort column's type, or PostgreSQL would fail on the cast where SQLite compares.
 */
export function decodeCursor(cursor: string, column?: string): [CursorValue, string] {
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
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'The list position is not valid; start again from the top.', {
    fieldErrors: { cursor: 'Not a position this list gave out.' },
  });
}
