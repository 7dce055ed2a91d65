/**
 * Row locks for a check that reads several rows and then writes (the last administrator, an
 * approval, a hold): without one, two transactions on PostgreSQL can each count the other's row
 * as still there and both write. SQLite has one writer at a time.
 */
import type { Knex } from 'knex';
import { isSqlite } from './connect';

/**
 * Locks the rows of `table` that `where` selects until the transaction ends; another transaction
 * locking any of them waits, and then reads them as committed (a row that no longer matches
 * drops out). On SQLite it takes the database's write lock at once (a write that changes no
 * row), so that the reads that follow see the last commit and no other writer can come between.
 * Call it before reading what the check reads.
 */
export async function lockRows(
  trx: Knex.Transaction,
  table: string,
  where: Record<string, unknown>,
): Promise<void> {
  if (isSqlite(trx)) {
    await trx.raw('UPDATE ?? SET rowid = rowid WHERE 1 = 0', [table]);
    return;
  }
  await trx(table).where(where).orderBy(primaryKey(table)).forUpdate().select(trx.raw('1'));
}

/** Rows are locked in key order, so two transactions locking overlapping sets never deadlock. */
function primaryKey(table: string): string {
  return table === 'counters' ? 'name' : 'id';
}
