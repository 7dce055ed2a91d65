/**
 * Collection batches and their placements: the only writer of collection_batches and
 * collection_placements, and the reads of accounts that choosing and filing a batch needs.
 */
import type { Knex } from 'knex';
import type { BatchStatus } from '../../../shared/standing';
import { dbNow } from '../connect';
import { lockRows } from '../locks';
import { selectColumns, unpackRows } from '../engine/packed-rows';
import { bulkTable } from '../engine/bulk';
import { whereIdIn } from '../engine/id-list';
import type { Scope, Tx } from './scope';

export interface BatchFilters {
  agencyId: string;
  currency: string;
  minBalanceCents?: number | undefined;
  minDaysPastDue?: number | undefined;
  region?: string | undefined;
}

export type BatchRow = Record<string, unknown>;
export type AccountColumns = Record<string, unknown> & { id: string };

/** Accounts read and written per statement: few round trips, well under any bound-value limit. */
export const BATCH_CHUNK = 2000;

export class CollectionBatchStore {
  constructor(private readonly db: Knex) {}

  /**
   * Accounts a batch with these filters would place (bad standing, not placed, no hold), or with
   * `held`, the ones it leaves out only because of a collection hold.
   */
  private candidates(q: Scope, f: BatchFilters, held = false): Knex.QueryBuilder {
    const holds = q('account_holds as h').whereRaw('h.account_id = a.id');
    const query = q('accounts as a')
      .where('a.standing', 'bad_standing')
      .andWhere('a.currency', f.currency)
      .whereNotExists(
        q('collection_placements as p').whereRaw('p.account_id = a.id').andWhere('p.active', true),
      );
    if (held) query.whereExists(holds);
    else query.whereNotExists(holds);
    if (f.minBalanceCents !== undefined) query.andWhere('a.balance_cents', '>=', f.minBalanceCents);
    if (f.minDaysPastDue !== undefined) query.andWhere('a.days_past_due', '>=', f.minDaysPastDue);
    if (f.region) query.andWhere('a.region', f.region);
    return query;
  }

  /** How many accounts a batch would place, their balance, the largest 20, and those held. */
  async preview(f: BatchFilters) {
    const db = this.db;
    const [totals] = (await this.candidates(db, f).select(
      db.raw('count(*) as n'),
      db.raw('coalesce(sum(a.balance_cents), 0) as total'),
    )) as { n: number | string; total: number | string }[];
    const sample: AccountColumns[] = await this.candidates(db, f)
      .orderBy('a.balance_cents', 'desc')
      .limit(20)
      .select('a.*');
    const [held] = (await this.candidates(db, f, true).select(db.raw('count(*) as n'))) as {
      n: number | string;
    }[];
    return {
      count: Number(totals?.n ?? 0),
      totalCents: Number(totals?.total ?? 0),
      sample,
      held: Number(held?.n ?? 0),
    };
  }

  /** The ids a batch places now, in id order, read in the batch's transaction. */
  async candidateIds(trx: Tx, f: BatchFilters): Promise<string[]> {
    const rows = await this.candidates(trx, f).orderBy('a.id').select('a.id');
    return rows.map((r: { id: string }) => r.id);
  }

  /**
   * The named accounts' `columns`, in id order, a chunk at a time, each account an array of its
   * cells in the order of `columns`. Only those columns, packed on SQLite (packed-rows.ts): a
   * whole account row costs the driver a microsecond a column.
   */
  async *accountCells(
    trx: Tx,
    ids: readonly string[],
    columns: readonly string[],
  ): AsyncGenerator<unknown[][]> {
    for (let i = 0; i < ids.length; i += BATCH_CHUNK) {
      const chunk = ids.slice(i, i + BATCH_CHUNK);
      const query = whereIdIn(trx, selectColumns(trx, trx('accounts'), columns), 'id', chunk);
      yield unpackRows(trx, await query.orderBy('id'), columns);
    }
  }

  /**
   * Inserts a sent batch under the next batch number; its total and its disclosure record are set
   * once placed (setFiled), in the same transaction.
   */
  async insertSent(
    trx: Tx,
    b: { id: string; filters: BatchFilters; createdBy: string; count: number },
  ): Promise<void> {
    const rows = await trx('counters')
      .where({ name: 'collection_batch' })
      .increment('value', 1)
      .returning('value');
    const n = Number((rows as { value: number | string }[])[0]?.value);
    await trx('collection_batches').insert({
      id: b.id,
      number: `B-${String(n).padStart(5, '0')}`,
      agency_id: b.filters.agencyId,
      status: 'sent',
      currency: b.filters.currency,
      account_count: b.count,
      total_cents: 0,
      filters: JSON.stringify(b.filters),
      disclosure_seq: null,
      created_by: b.createdBy,
      sent_at: dbNow(trx),
    });
  }

  async setFiled(trx: Tx, id: string, b: { totalCents: number; seq: number }): Promise<void> {
    await trx('collection_batches')
      .where({ id })
      .update({ total_cents: b.totalCents, disclosure_seq: b.seq });
  }

  /** A writer of a batch's placements: [account id, balance placed, itemisation date] rows. */
  placementWriter(trx: Tx, batchId: string) {
    return bulkTable(
      trx,
      'collection_placements',
      ['account_id', 'balance_placed_cents', 'itemisation_date'],
      { batch_id: batchId },
    );
  }

  /** The batch's row, locked until the transaction ends, so two changes of it take turns. */
  async locked(
    trx: Tx,
    batchId: string,
  ): Promise<{ number: string; status: BatchStatus } | undefined> {
    await lockRows(trx, 'collection_batches', { id: batchId });
    return trx('collection_batches').where({ id: batchId }).first('number', 'status');
  }

  async endPlacements(trx: Tx, batchId: string): Promise<void> {
    await trx('collection_placements').where({ batch_id: batchId }).update({ active: false });
  }

  async markRecalled(trx: Tx, id: string, staffId: string, reason: string): Promise<void> {
    await trx('collection_batches')
      .where({ id })
      .update({
        status: 'recalled',
        recalled_by: staffId,
        recalled_at: dbNow(trx),
        recall_reason: reason,
      });
  }

  async markNeverSent(trx: Tx, id: string): Promise<void> {
    await trx('collection_batches').where({ id }).update({ status: 'never_sent' });
  }

  /** Sent batches whose disclosure record was abandoned: their file never reached the agency. */
  async sentButAbandoned(): Promise<string[]> {
    const rows = await this.db('collection_batches as b')
      .where('b.status', 'sent')
      .whereExists(
        this.db('disclosure_log as f')
          .whereRaw('f.ref_seq = b.disclosure_seq')
          .andWhere('f.kind', 'abandoned'),
      )
      .orderBy('b.sent_at')
      .select('b.id');
    return (rows as { id: string }[]).map((r) => r.id);
  }

  /** The newest batches (or one), with their agency's and creator's names. */
  list(limit: number): Promise<BatchRow[]> {
    return this.withNames().orderBy('b.sent_at', 'desc').limit(limit);
  }

  get(id: string): Promise<BatchRow | undefined> {
    return this.withNames().where('b.id', id).first();
  }

  private withNames() {
    return this.db('collection_batches as b')
      .join('recipients as r', 'r.id', 'b.agency_id')
      .join('staff as s', 's.id', 'b.created_by')
      .select('b.*', 'r.name as agency_name', 's.display_name as creator');
  }

  /** Accounts and balances by standing and currency; batches sent since `since`, by agency. */
  async dashboard(since: string) {
    const db = this.db;
    const byStanding = (await db('accounts')
      .groupBy('standing', 'currency')
      .select(
        'standing',
        'currency',
        db.raw('count(*) as n'),
        db.raw('coalesce(sum(balance_cents), 0) as total'),
      )) as Record<string, string | number>[];
    const batches = (await db('collection_batches as b')
      .join('recipients as r', 'r.id', 'b.agency_id')
      .where('b.sent_at', '>=', since)
      .groupBy('r.name', 'b.currency')
      .select(
        'r.name as agency',
        'b.currency',
        db.raw('count(*) as batches'),
        db.raw('coalesce(sum(b.account_count), 0) as accounts'),
        db.raw('coalesce(sum(b.total_cents), 0) as total'),
      )) as Record<string, string | number>[];
    return { byStanding, batches };
  }

  async agency(
    id: string,
  ): Promise<{ type: string; active: unknown; name: string; contact: string } | undefined> {
    return this.db('recipients').where({ id }).first('type', 'active', 'name', 'contact');
  }

  /**
   * Every account a batch placed (still placed or not), by account number, with the balance
   * placed: the rows of its placement summary.
   */
  async placementRows(batchId: string): Promise<Record<string, unknown>[]> {
    return this.db('collection_placements as p')
      .join('accounts as a', 'a.id', 'p.account_id')
      .where('p.batch_id', batchId)
      .orderBy('a.account_number')
      .select('a.*', 'p.balance_placed_cents', 'p.active as placement_active');
  }
}
