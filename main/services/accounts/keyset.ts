import { AppError } from '../../../shared/errors';
import type { SortKey } from '../../../shared/catalogue';

/** The column each sort key orders by; `id` (UUIDv7, time-ordered) breaks ties and means "created". */
export const SORT_COLUMNS: Record<SortKey, string> = {
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

export function decodeCursor(cursor: string): [CursorValue, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string'
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
