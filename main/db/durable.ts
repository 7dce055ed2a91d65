/**
 * Durable transactions: a commit that is on disk when it returns, even though the database runs
 * with cheaper settings elsewhere. An export's record must survive a power cut before its file
 * gets its final name ("no file without its record"); ordinary edits need not pay for a sync.
 *
 * - SQLite runs WAL with `synchronous = NORMAL`, where a commit reaches the WAL but is not synced
 *   until the next checkpoint. `synchronous = FULL` syncs the WAL at every commit, but SQLite
 *   refuses to change it inside a transaction, so it is set on the (single, pooled) connection
 *   before the transaction begins and set back once no durable transaction is open.
 * - PostgreSQL: `SET LOCAL synchronous_commit = on` inside the transaction, so the commit waits
 *   for its WAL flush even where the server runs with `synchronous_commit = off`.
 */
import type { Knex } from 'knex';
import { isSqlite } from './connect';

interface SqliteDurability {
  /** Durable transactions open or about to begin on this database. */
  open: number;
  /** The statement that set `synchronous = FULL`, which every one of them waits for. */
  ready: Promise<unknown>;
}

const sqliteState = new WeakMap<Knex, SqliteDurability>();

async function enter(db: Knex): Promise<void> {
  let state = sqliteState.get(db);
  if (!state) {
    state = { open: 0, ready: Promise.resolve() };
    sqliteState.set(db, state);
  }
  // The pool hands its one connection out in order, so a transaction that begins after this
  // statement commits with FULL; the setting stays until the last durable transaction ends.
  if (state.open++ === 0) state.ready = db.raw('PRAGMA synchronous = FULL');
  await state.ready;
}

async function leave(db: Knex): Promise<void> {
  const state = sqliteState.get(db)!;
  if (--state.open === 0) await db.raw('PRAGMA synchronous = NORMAL');
}

/** A transaction begun with `startDurableTransaction`: commit it or roll it back, once. */
export interface DurableTransaction {
  trx: Knex.Transaction;
  /** Commits; returns once the commit is on disk. */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Begins a transaction whose commit is forced to disk (see above), for callers that commit in
 * the middle of other work (a batch send commits between writing and publishing its file).
 */
export async function startDurableTransaction(db: Knex): Promise<DurableTransaction> {
  const sqlite = isSqlite(db);
  if (sqlite) await enter(db);
  let trx: Knex.Transaction;
  try {
    trx = await db.transaction();
    if (!sqlite) await trx.raw('SET LOCAL synchronous_commit = on');
  } catch (err) {
    if (sqlite) await leave(db);
    throw err;
  }
  let ended = false;
  const end = async (how: 'commit' | 'rollback'): Promise<void> => {
    if (ended) return;
    ended = true;
    try {
      await (how === 'commit' ? trx.commit() : trx.rollback());
    } finally {
      if (sqlite) await leave(db);
    }
  };
  return { trx, commit: () => end('commit'), rollback: () => end('rollback') };
}

/** `db.transaction(fn)` whose commit is on disk when it resolves. */
export async function durableTransaction<T>(
  db: Knex,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const d = await startDurableTransaction(db);
  let result: T;
  try {
    result = await fn(d.trx);
  } catch (err) {
    await d.rollback().catch(() => undefined);
    throw err;
  }
  await d.commit();
  return result;
}
