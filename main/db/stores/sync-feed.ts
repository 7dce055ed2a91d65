/**
 * The change feed (migration 0019): every store that changes an account, its standing or a hold
 * calls `appendToFeed` in the same transaction; `SyncFeedStore` reads it for `sync.pull`.
 *
 * Ordering, so that a reader never skips a change a slower transaction commits later:
 * - SQLite has one writer at a time: a transaction takes the next value of the `sync_seq`
 *   counter, and transactions commit in the order they took it.
 * - PostgreSQL: a transaction's number is its own transaction id (pg_current_xact_id()), taken
 *   without any lock, and a reader reads only below the lowest transaction still in flight
 *   in this database (see FEED_BOUND). Every transaction of this database below that bound has
 *   committed or aborted, so whatever it wrote is visible to the read; a change above it waits
 *   for a later pull. No writer waits on another for the feed, so the feed adds no lock to any
 *   transaction's order.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import { idsSelect, idsWithNumberBindings } from '../engine/id-list';
import { SYNC_SEQ_COUNTER } from '../migrations/0019_sync_feed';
import { matrixRevisionColumn } from './visibility';
import type { AccountRecord } from './accounts/account-row';

/** Feed rows written per statement (its ids bound as one JSON value, id-list.ts). */
const CHUNK = 10_000;

/** One number per transaction: its changes share it, and are told apart by account id. */
const seqOf = new WeakMap<Knex.Transaction, Promise<number>>();

/** This transaction's feed number (taken at its first change of the feed). */
export function feedSeq(trx: Knex.Transaction): Promise<number> {
  let seq = seqOf.get(trx);
  if (!seq) {
    seq = (
      isSqlite(trx)
        ? trx('counters')
            .where({ name: SYNC_SEQ_COUNTER })
            .increment('value', 1)
            .returning('value')
            .then((rows) => Number((rows as { value: number | string }[])[0]?.value))
        : trx
            .raw(`select pg_current_xact_id()::text::bigint as seq`)
            .then((r: { rows: { seq: number | string }[] }) => Number(r.rows[0]?.seq))
    ).then((n) => {
      if (!Number.isSafeInteger(n)) throw new Error('the sync_seq counter is missing');
      return n;
    });
    seqOf.set(trx, seq);
  }
  return seq;
}

/**
 * The statement that moves the feed rows of the accounts `source` selects (its one column, their
 * ids; text, a subquery or a CTE's name) to a number, bound as its first value. `where true` lets
 * SQLite read the upsert's ON.
 */
export function feedUpsertSql(source: string): string {
  return `insert into sync_feed (account_id, seq) select ids.*, cast(? as bigint) from ${source} as ids where true on conflict (account_id) do update set seq = excluded.seq`;
}

/** Records that the accounts `ids` changed in `trx` (their feed rows move to its number). */
export async function appendToFeed(trx: Knex.Transaction, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const seq = await feedSeq(trx);
  // The ids as one JSON value (id-list.ts), bound after the number as feedUpsertSql takes them.
  const upsert = feedUpsertSql(`(${idsSelect(trx)})`);
  for (let i = 0; i < ids.length; i += CHUNK) {
    await trx.raw(upsert, idsWithNumberBindings(ids.slice(i, i + CHUNK), seq));
  }
}

/** As appendToFeed, for the accounts a query selects (one column, their ids), in one statement. */
export async function appendSelectedToFeed(
  trx: Knex.Transaction,
  ids: Knex.QueryBuilder,
): Promise<void> {
  await trx.raw(feedUpsertSql('?'), [await feedSeq(trx), ids]);
}

/**
 * After a copy into PostgreSQL (migrate-data): the copied rows carry the SQLite counter's
 * numbers, which may lie above the transaction ids PostgreSQL gives new changes, so a reader
 * past them would skip those. They take the copying transaction's number instead.
 */
export async function restampFeedAfterCopy(trx: Knex.Transaction): Promise<void> {
  if (isSqlite(trx)) return;
  await trx.raw(`update sync_feed set seq = pg_current_xact_id()::text::bigint`);
}

/** Where a pull resumes: after this feed position. */
export interface FeedPosition {
  seq: number;
  id: string;
}

/** One feed row read with its account (null: the account no longer exists). */
export interface FeedEntry {
  seq: number;
  accountId: string;
  row: AccountRecord | null;
}

export interface FeedPage {
  entries: FeedEntry[];
  /** Feed rows after this page that a reader may read now (the progress of a fill). */
  remaining: number;
  /**
   * Committed feed rows held back because an older transaction is still in flight (PostgreSQL):
   * a later pull answers them.
   */
  waiting: number;
  /** The matrix revision read in the same statement as the rows (null: no row was read). */
  revision: number | null;
}

const REVISION = 'sync_matrix_revision';

/**
 * The bound of a PostgreSQL read: the lowest transaction in flight at the statement's snapshot,
 * leaving out those known to run in another database (they cannot write this feed). Transaction
 * ids are cluster-wide, so without that a long write transaction in any other database on the
 * cluster (an idle session, a bulk load) would stall every workstation's sync until it ended.
 *
 * A transaction is left out only when pg_stat_activity shows it (its `backend_xid`) in another
 * database: one finished since the snapshot, or one whose session the server's role may not see
 * (another role, without pg_read_all_stats), stays a bound, so the read errs towards waiting.
 * No snapshot entry in flight: everything below the snapshot's xmax has ended.
 */
const FEED_BOUND = `(select coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))::text::bigint
   from pg_snapshot_xip(pg_current_snapshot()) as x
   where not exists (
     select 1 from pg_stat_activity a
      where a.backend_xid = xid(x)
        and a.datid <> (select oid from pg_database where datname = current_database())))`;

export class SyncFeedStore {
  constructor(private readonly db: Knex) {}

  /**
   * The highest number a reader may read up to, excluded (null: no bound, SQLite). A page, its
   * count and its held rows are read against one bound, taken first: each statement has a
   * snapshot of its own, and a bound taken in each moved when an older transaction ended between
   * them, so that a committed row was counted neither as remaining nor as waiting (a pull then
   * said nothing was held back). Every transaction of this database below the bound had ended
   * when it was taken, so the statements after it see all they wrote.
   */
  private async bound(): Promise<number | null> {
    if (isSqlite(this.db)) return null;
    const result = (await this.db.raw(`select ${FEED_BOUND} as bound`)) as {
      rows: { bound: number | string }[];
    };
    const bound = Number(result.rows[0]?.bound);
    if (!Number.isSafeInteger(bound)) throw new Error('the sync feed bound is not a number');
    return bound;
  }

  private after(
    q: Knex.QueryBuilder,
    since: FeedPosition | null,
    bound: number | null,
    side: 'below' | 'above' = 'below',
  ): Knex.QueryBuilder {
    // A row value, so that both engines walk the (seq, account_id) index from the position
    // rather than sort every row after an OR of the two conditions.
    if (since) void q.whereRaw('(f.seq, f.account_id) > (?, ?)', [since.seq, since.id]);
    if (bound !== null) void q.andWhere('f.seq', side === 'below' ? '<' : '>=', bound);
    return q;
  }

  /** Up to `limit` changed accounts after `since`, oldest change first, with the count left. */
  async page(since: FeedPosition | null, limit: number): Promise<FeedPage> {
    const bound = await this.bound();
    const rows = (await this.after(
      this.db('sync_feed as f')
        .leftJoin('accounts as a', 'a.id', 'f.account_id')
        .select(
          'a.*',
          'f.seq as sync_seq',
          'f.account_id as sync_account_id',
          this.db.raw('? as ??', [matrixRevisionColumn(this.db), REVISION]),
        ),
      since,
      bound,
    )
      .orderBy([
        { column: 'f.seq', order: 'asc' },
        { column: 'f.account_id', order: 'asc' },
      ])
      .limit(limit)) as (AccountRecord & Record<string, unknown>)[];
    const entries = rows.map((r) => ({
      seq: Number(r.sync_seq),
      accountId: String(r.sync_account_id),
      row: r.id === null || r.id === undefined ? null : r,
    }));
    const last = entries.at(-1);
    const position = last ? { seq: last.seq, id: last.accountId } : since;
    const counted = (await this.after(this.db('sync_feed as f'), position, bound)
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    const held =
      bound !== null
        ? ((await this.after(this.db('sync_feed as f'), position, bound, 'above')
            .count({ n: '*' })
            .first()) as { n: number | string } | undefined)
        : undefined;
    return {
      entries,
      remaining: Number(counted?.n ?? 0),
      waiting: Number(held?.n ?? 0),
      revision: rows.length > 0 ? Number(rows[0]![REVISION]) : null,
    };
  }
}
