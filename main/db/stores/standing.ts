/**
 * The standing and holds store: the only writer of an account's standing, balance and days past
 * due (with `standing_events`), and of `account_holds` and `hold_events`. Collection batches
 * move many accounts at once: placed chunk by chunk (`openStandingMover`) and recorded in one
 * statement (`recordPlacementEvents`), taken back in the database (`returnBatchAccounts`).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Standing } from '../../../shared/catalogue';
import type { HoldKind, StandingReason } from '../../../shared/standing';
import { AppError } from '../../../shared/errors';
import { settledInTurn } from '../../settled';
import { dbNow, isSqlite, toIso } from '../connect';
import { whereIdIn } from '../engine/id-list';
import { lockRows } from '../locks';
import { appendSelectedToFeed, appendToFeed, feedSeq, feedUpsertSql } from './sync-feed';

/** The columns of an account a transition reads (`AccountFacts`). */
export const ACCOUNT_FACT_COLUMNS = [
  'id',
  'account_number',
  'standing',
  'balance_cents',
  'days_past_due',
  'version',
] as const;

export interface AccountFacts {
  id: string;
  account_number: string;
  standing: Standing;
  balance_cents: number | string;
  days_past_due: number;
  version: number;
}

/** One change of standing as written. */
export interface StandingChange {
  to: Standing;
  reason: StandingReason;
  note: string | null;
  balanceCents: number;
  daysPastDue: number;
  /** When a change replayed from a workstation's outbox was made there (absent: online). */
  madeOfflineAt?: string | null;
}

/** A standing event with who made it and whether its batch ever left. */
export interface StandingEventRow {
  id: string;
  accountId: string;
  from: Standing;
  to: Standing;
  reason: StandingReason;
  note: string | null;
  balanceCents: number;
  daysPastDue: number;
  by: string | null;
  batchId: string | null;
  batchNeverSent: boolean;
  at: string;
  madeOfflineAt: string | null;
}

export interface HoldRow {
  kind: HoldKind;
  since: string;
  note: string;
  setBy: string | null;
  setAt: string;
}

/**
 * An account's facts from a row of cells read with ACCOUNT_FACT_COLUMNS first, in that order
 * (a batch reads 100,000 accounts as arrays: objects keyed by column cost a third of a second).
 */
export function factsFromCells(cells: readonly unknown[]): AccountFacts {
  return {
    id: cells[0] as string,
    account_number: cells[1] as string,
    standing: cells[2] as Standing,
    balance_cents: cells[3] as number | string,
    days_past_due: Number(cells[4]),
    version: Number(cells[5]),
  };
}

/** The facts of the accounts among `ids` (at most a few hundred at a time) that exist. */
export async function accountFacts(db: Knex, ids: readonly string[]): Promise<AccountFacts[]> {
  return db('accounts').whereIn('id', ids).select(ACCOUNT_FACT_COLUMNS);
}

/** Up to `limit` ids of accounts in `standing` at least `minDaysPastDue` days past due. */
export async function idsInStanding(
  db: Knex,
  standing: Standing,
  minDaysPastDue: number,
  limit: number,
): Promise<string[]> {
  const rows = await db('accounts')
    .where({ standing })
    .andWhere('days_past_due', '>=', minDaysPastDue)
    .orderBy('id')
    .limit(limit)
    .select('id');
  return rows.map((r: { id: string }) => r.id);
}

/**
 * Writes one transition if the account is still in the standing `row` was read in: its
 * standing, balance and days, and its event. Answers the event's id, or null when it changed.
 */
export async function writeTransition(
  trx: Knex.Transaction,
  staffId: string | null,
  row: AccountFacts,
  change: StandingChange,
  batchId: string | null,
): Promise<string | null> {
  const updated = await trx('accounts')
    .where({ id: row.id, standing: row.standing })
    .update({
      standing: change.to,
      balance_cents: change.balanceCents,
      days_past_due: change.daysPastDue,
      updated_at: dbNow(trx),
      updated_by: staffId,
      version: trx.raw('version + 1'),
    });
  if (updated !== 1) return null;
  await appendToFeed(trx, [row.id]);
  const id = uuidv7();
  await trx('standing_events').insert({
    id,
    account_id: row.id,
    from_standing: row.standing,
    to_standing: change.to,
    reason: change.reason,
    note: change.note,
    balance_cents: change.balanceCents,
    days_past_due: change.daysPastDue,
    staff_id: staffId,
    batch_id: batchId,
    at: dbNow(trx),
    made_offline_at: change.madeOfflineAt ?? null,
  });
  return id;
}

/** A change of standing a collection batch makes of its accounts. */
export interface BatchChange {
  batchId: string;
  from: Standing;
  to: Standing;
  reason: StandingReason;
  note: string | null;
  staffId: string | null;
}

/** The database clock's time, read once: a batch's moves and events all carry it. */
async function batchTime(trx: Knex.Transaction): Promise<string> {
  const { at } = (await trx.first(trx.raw('? as ??', [dbNow(trx), 'at']))) as { at: string };
  return at;
}

/** Moves a batch's accounts chunk by chunk (openStandingMover). */
export interface StandingMover {
  /** The time every move and event of the batch carries (the database clock's, read once). */
  readonly at: string;
  move(rows: readonly AccountFacts[]): Promise<void>;
}

/**
 * Moves sets of accounts, all in the standing `from`, each set in two statements sent together
 * (its accounts' update and their feed rows): a batch places up to a hundred thousand accounts
 * inside one transaction, chunk by chunk as it reads them. Their events are written afterwards,
 * in one statement (`recordPlacementEvents`).
 */
export async function openStandingMover(
  trx: Knex.Transaction,
  change: BatchChange,
): Promise<StandingMover> {
  const at = await batchTime(trx);
  return {
    at,
    async move(rows) {
      if (rows.length === 0) return;
      const accountIds = rows.map((r) => r.id);
      const update = whereIdIn(trx, trx('accounts'), 'id', accountIds)
        // Never a condition the planner may start from: PostgreSQL's statistics taken before a
        // batch was sent say no account is in collection, and the recall's updates, planned to
        // scan the standing index for 'in_collection', read all 100,000 for each chunk (a recall
        // took 108 s). The ids decide which rows; the standing only checks them.
        .andWhereRaw('(?? = ?) is true', ['standing', change.from])
        .update(movedColumns(trx, change, at));
      // Sent together on SQLite: the database works through both while the main thread makes the
      // next chunk (a batch's main thread and the database's took turns, each idle half the
      // time). A conflict found by the update fails the move after the feed's write has settled.
      const [moved] = await settledInTurn(isSqlite(trx), [
        () => update,
        () => appendToFeed(trx, accountIds),
      ]);
      if (moved !== rows.length) {
        throw new AppError(
          'CONFLICT',
          'Some accounts changed while this was being saved; nothing was changed.',
        );
      }
    },
  };
}

function movedColumns(trx: Knex.Transaction, change: BatchChange, at: string) {
  return {
    standing: change.to,
    updated_at: at,
    updated_by: change.staffId,
    version: trx.raw('version + 1'),
  };
}

/** The accounts a batch has placed and not yet taken back (its active placements). */
function placedBy(trx: Knex.Transaction, batchId: string): Knex.QueryBuilder {
  return trx('collection_placements')
    .where({ batch_id: batchId, active: true })
    .select('account_id');
}

/**
 * The columns of standing_events a batch writes, and the SELECT list that fills them from rows
 * `a` (an account's id, balance and days). Each event's id is one new UUIDv7's first 24
 * characters and the row's number in 12 hex digits: unique, and in time order with every other
 * event, made by the database with no value per row from here.
 */
function batchEventsInsert(trx: Knex.Transaction, change: BatchChange, at: string) {
  const id = isSqlite(trx)
    ? `? || printf('%012x', row_number() over (order by a.id))`
    : `(?::text || lpad(to_hex(row_number() over (order by a.id)), 12, '0'))::uuid`;
  return {
    sql:
      `insert into standing_events (id, account_id, balance_cents, days_past_due, from_standing,` +
      ` to_standing, reason, note, staff_id, batch_id, at)` +
      ` select ${id}, a.id, a.balance_cents, a.days_past_due, ?, ?, ?, ?, ?, ?, ?`,
    bindings: [
      uuidv7().slice(0, 24),
      change.from,
      change.to,
      change.reason,
      change.note,
      change.staffId,
      change.batchId,
      at,
    ],
  };
}

/**
 * After a batch's accounts are placed and moved: one event per account it placed, each with the
 * account's balance and days past due and the moves' time `at`, written by one statement.
 * Answers how many.
 */
export async function recordPlacementEvents(
  trx: Knex.Transaction,
  change: BatchChange,
  at: string,
): Promise<number> {
  const events = batchEventsInsert(trx, change, at);
  const r: unknown = await trx.raw(
    `${events.sql} from accounts as a where a.id in ? and (a.standing = ?) is true`,
    [...events.bindings, placedBy(trx, change.batchId), change.to],
  );
  return await changedRows(trx, r);
}

/**
 * Takes back a batch's placed accounts still in `change.from` (a recall, or a batch never sent):
 * each moved to `change.to`, with its event and its feed row; an account whose standing changed
 * meanwhile (settled, written off) stays as it is. Set by set, in the database: no account's
 * values come here. Answers how many moved.
 */
export async function returnBatchAccounts(
  trx: Knex.Transaction,
  change: BatchChange,
): Promise<number> {
  const at = await batchTime(trx);
  const events = batchEventsInsert(trx, change, at);
  if (!isSqlite(trx)) {
    // One statement: the accounts it updates (each row locked and checked again if another
    // transaction changed it meanwhile) are exactly those its events and feed rows name.
    const r: unknown = await trx.raw(
      `with a as (update accounts set standing = ?, updated_at = ?, updated_by = ?,
                  version = version + 1
                  where id in ? and (standing = ?) is true
                  returning id, balance_cents, days_past_due),
            e as (${events.sql} from a)
       ${feedUpsertSql('(select id from a)')}`,
      [
        change.to,
        at,
        change.staffId,
        placedBy(trx, change.batchId),
        change.from,
        ...events.bindings,
        await feedSeq(trx),
      ],
    );
    return await changedRows(trx, r);
  }
  // SQLite has one writer, and this transaction is it: the three statements see the same
  // accounts in `from`. The events and feed rows are written before the accounts move.
  const moving = () =>
    trx('accounts as a')
      .whereIn('a.id', placedBy(trx, change.batchId))
      .andWhere('a.standing', change.from);
  const written = await changedRows(
    trx,
    await trx.raw(`${events.sql} from ? as a`, [
      ...events.bindings,
      moving().select('a.id', 'a.balance_cents', 'a.days_past_due'),
    ]),
  );
  await appendSelectedToFeed(trx, moving().select('a.id'));
  const moved = await moving().update(movedColumns(trx, change, at));
  if (moved !== written) throw new Error(`a batch moved ${moved} accounts but recorded ${written}`);
  return moved;
}

/**
 * The number of rows the raw INSERT or UPDATE just run changed. knex runs a raw statement on
 * SQLite as a query, which reports no count: SQLite's changes() does (the statement before it on
 * this transaction's one connection, awaited in turn).
 */
async function changedRows(trx: Knex.Transaction, result: unknown): Promise<number> {
  if (!isSqlite(trx)) return Number((result as { rowCount: number }).rowCount);
  const row = (await trx.first(trx.raw('changes() as n'))) as { n: number };
  return Number(row.n);
}

/** An account's standing events, oldest first. */
export async function standingTimeline(db: Knex, accountId: string): Promise<StandingEventRow[]> {
  const rows = await db('standing_events as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .leftJoin('collection_batches as b', 'b.id', 'e.batch_id')
    .where('e.account_id', accountId)
    .orderBy('e.id')
    .select('e.*', 's.display_name', 'b.status as batch_status');
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    from: r.from_standing,
    to: r.to_standing,
    reason: r.reason,
    note: r.note,
    balanceCents: Number(r.balance_cents),
    daysPastDue: Number(r.days_past_due),
    by: r.display_name ?? null,
    batchId: r.batch_id,
    batchNeverSent: r.batch_status === 'never_sent',
    at: toIso(r.at),
    madeOfflineAt: r.made_offline_at ? String(r.made_offline_at) : null,
  }));
}

/** An account's holds, by kind. */
export async function holdsOf(db: Knex, accountId: string): Promise<HoldRow[]> {
  const rows = await db('account_holds as h')
    .leftJoin('staff as s', 's.id', 'h.set_by')
    .where('h.account_id', accountId)
    .orderBy('h.kind')
    .select('h.*', 's.display_name');
  return rows.map((r) => ({
    kind: r.kind,
    since: r.since,
    note: r.note,
    setBy: r.display_name ?? null,
    setAt: toIso(r.set_at),
  }));
}

/** Sets (or replaces) a hold, recording it; answers false when there is no such account. */
export async function setHold(
  db: Knex,
  h: {
    accountId: string;
    kind: HoldKind;
    since: string;
    note: string;
    staffId: string;
    madeOfflineAt: string | null;
  },
): Promise<boolean> {
  return db.transaction(async (trx) => {
    // The same hold set twice at once: the second waits for the first and replaces it, rather
    // than both finding none and one failing on the key (main/db/locks.ts).
    await lockRows(trx, 'accounts', { id: h.accountId });
    const exists = await trx('accounts').where({ id: h.accountId }).first('id');
    if (!exists) return false;
    await trx('account_holds').where({ account_id: h.accountId, kind: h.kind }).del();
    await trx('account_holds').insert({
      account_id: h.accountId,
      kind: h.kind,
      since: h.since,
      note: h.note,
      set_by: h.staffId,
      set_at: dbNow(trx),
    });
    await trx('hold_events').insert({
      id: uuidv7(),
      account_id: h.accountId,
      kind: h.kind,
      event: 'set',
      since: h.since,
      note: h.note,
      staff_id: h.staffId,
      at: dbNow(trx),
      made_offline_at: h.madeOfflineAt,
    });
    await appendToFeed(trx, [h.accountId]);
    return true;
  });
}

/**
 * Clears a hold, recording it; answers false when the account has none of that kind. `refuse`
 * is thrown inside the transaction then, so nothing is recorded.
 */
export async function clearHold(
  db: Knex,
  h: {
    accountId: string;
    kind: HoldKind;
    note: string;
    staffId: string;
    madeOfflineAt: string | null;
  },
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('account_holds').where({ account_id: h.accountId, kind: h.kind }).del();
    if (n === 0) return false;
    await trx('hold_events').insert({
      id: uuidv7(),
      account_id: h.accountId,
      kind: h.kind,
      event: 'cleared',
      since: null,
      note: h.note,
      staff_id: h.staffId,
      at: dbNow(trx),
      made_offline_at: h.madeOfflineAt,
    });
    await appendToFeed(trx, [h.accountId]);
    return true;
  });
}
