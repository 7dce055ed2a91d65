import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { FIELDS, type Standing } from '../../../shared/catalogue';
import { COLLECTION_FIELDS, type ExportFormat } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import { BATCH_STATUS_LABELS, type BatchStatus } from '../../../shared/standing';
import type {
  BatchPreview,
  CollectionBatch,
  DashboardSummary,
  DisclosureOutcome,
} from '../../../shared/types';
import { canRead, type AccessMap } from '../../../shared/visibility';
import { dbNow, toIso } from '../../db/connect';
import { lockRows } from '../../db/locks';
import { selectColumns, unpackRows } from '../../db/engine/packed-rows';
import { projectFields, visibleAccess } from '../../policy/visibility';
import type { Actor } from '../accounts/service';
import { rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import type { Clock } from '../clock';
import type { DisclosureService } from '../disclosures/service';
import type { ExportRow } from '../exports/writer';
import { bulkTable } from '../../db/engine/bulk';
import type { Session } from '../session';
import { ACCOUNT_FACT_COLUMNS, type AccountFacts, type StandingService } from './standing';

export interface BatchFilters {
  agencyId: string;
  currency: string;
  minBalanceCents?: number | undefined;
  minDaysPastDue?: number | undefined;
  region?: string | undefined;
}

/** Columns a placement file carries beyond the collection field set (DESIGN.md section 5). */
const PLACEMENT_COLUMNS = ['balancePlacedCents', 'itemisationDate'] as const;
/** Accounts read and written per statement: few round trips, well under any bound-value limit. */
const CHUNK = 2000;

/**
 * Collection batches: bad-standing accounts not yet placed, without holds, sent to one agency
 * through the disclosure gate, marked in collection in the same transaction, and recallable.
 */
export class CollectionsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly standing: StandingService,
    private readonly disclosures: DisclosureService,
  ) {}

  /**
   * Accounts a batch with these filters would place (bad standing, not placed, no hold), or with
   * `held`, the ones it leaves out only because of a collection hold.
   */
  private candidates(q: Knex | Knex.Transaction, f: BatchFilters, held = false): Knex.QueryBuilder {
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

  private async requireAgent(actor: Actor): Promise<AccessMap> {
    if (actor.role !== 'collections_agent') {
      throw new AppError(
        'FORBIDDEN',
        'Collection batches are built and sent by collections agents.',
      );
    }
    return this.accessFor(actor.role);
  }

  async preview(actor: Actor, f: BatchFilters): Promise<BatchPreview> {
    const access = await this.requireAgent(actor);
    await this.requireAgency(f.agencyId);
    const [totals] = (await this.candidates(this.db, f).select(
      this.db.raw('count(*) as n'),
      this.db.raw('coalesce(sum(a.balance_cents), 0) as total'),
    )) as { n: number | string; total: number | string }[];
    // The sample goes through field visibility like every other path that returns customer data.
    const sample: AccountRecord[] = await this.candidates(this.db, f)
      .orderBy('a.balance_cents', 'desc')
      .limit(20)
      .select('a.*');
    const [held] = (await this.candidates(this.db, f, true).select(
      this.db.raw('count(*) as n'),
    )) as { n: number | string }[];
    return {
      count: Number(totals?.n ?? 0),
      totalCents: Number(totals?.total ?? 0),
      currency: f.currency,
      sample: sample.map((r) => ({ id: r.id, fields: projectFields(rowToValues(r), access) })),
      access: visibleAccess(access),
      excludedByHolds: Number(held?.n ?? 0),
    };
  }

  /**
   * Sends a batch: the accounts are selected again inside the transaction (so an account whose
   * standing changed since the preview is not placed), disclosed through the gate, and marked
   * in collection with the agency and batch, all in the transaction of the disclosure record.
   */
  async send(
    session: Session,
    actor: Actor,
    f: BatchFilters,
    file: { format: ExportFormat; fileName: string },
  ): Promise<{ batch: CollectionBatch | null; outcome: DisclosureOutcome }> {
    await this.requireAgent(actor);
    await this.requireAgency(f.agencyId);
    const batchId = uuidv7();
    const today = this.clock.now().toISOString().slice(0, 10);
    const standing = this.standing;
    const outcome = await this.disclosures.discloseWithin(session, actor, {
      recipientId: f.agencyId,
      fields: COLLECTION_FIELDS,
      extraColumns: PLACEMENT_COLUMNS,
      format: file.format,
      fileName: file.fileName,
      batchId,
      select: async (trx) => {
        const rows = await this.candidates(trx, f).orderBy('a.id').select('a.id');
        if (rows.length === 0) {
          throw new AppError(
            'VALIDATION',
            'No account matches these filters: there is nothing to place.',
          );
        }
        return rows.map((r: { id: string }) => r.id);
      },
      rows: (trx, ids) => placementRows(trx, ids, today),
      beforeCommit: async (trx, ids, seq) => {
        await trx('collection_batches').insert(
          await this.batchRow(trx, batchId, f, actor, ids.length, 0, seq),
        );
        const mover = await standing.mover(
          trx,
          actor.staffId,
          { from: 'bad_standing', to: 'in_collection', reason: 'placed_with_agency' },
          batchId,
        );
        const placements = await bulkTable(
          trx,
          'collection_placements',
          ['account_id', 'balance_placed_cents', 'itemisation_date'],
          { batch_id: batchId },
        );
        let total = 0;
        try {
          for (let i = 0; i < ids.length; i += CHUNK) {
            const rows = (await trx('accounts')
              .whereIn('id', ids.slice(i, i + CHUNK))
              .select(...ACCOUNT_FACT_COLUMNS, 'last_payment_date')) as (AccountFacts & {
              last_payment_date: string | null;
            })[];
            for (const row of rows) total += Number(row.balance_cents);
            await mover.move(rows);
            await placements.write(
              rows.map((row) => [
                row.id,
                Number(row.balance_cents),
                row.last_payment_date ?? today,
              ]),
            );
          }
        } finally {
          await placements.close();
          await mover.close();
        }
        await trx('collection_batches').where({ id: batchId }).update({ total_cents: total });
      },
    });
    return { batch: outcome.status === 'completed' ? await this.get(batchId) : null, outcome };
  }

  private async batchRow(
    trx: Knex.Transaction,
    id: string,
    f: BatchFilters,
    actor: Actor,
    count: number,
    total: number,
    seq: number,
  ) {
    const rows = await trx('counters')
      .where({ name: 'collection_batch' })
      .increment('value', 1)
      .returning('value');
    const n = Number((rows as { value: number | string }[])[0]?.value);
    return {
      id,
      number: `B-${String(n).padStart(5, '0')}`,
      agency_id: f.agencyId,
      status: 'sent',
      currency: f.currency,
      account_count: count,
      total_cents: total,
      filters: JSON.stringify(f),
      disclosure_seq: seq,
      created_by: actor.staffId,
      sent_at: dbNow(trx),
    };
  }

  /** Takes a batch back from the agency: its accounts return to bad standing, recorded. */
  async recall(actor: Actor, batchId: string, reason: string): Promise<CollectionBatch> {
    await this.requireAgent(actor);
    await this.db.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, batchId);
      if (!batch) throw new AppError('NOT_FOUND', 'No such batch.');
      if (batch.status !== 'sent') {
        throw new AppError(
          'CONFLICT',
          `Batch ${batch.number} is already ${BATCH_STATUS_LABELS[batch.status].toLowerCase()}.`,
        );
      }
      await this.returnAccounts(trx, batchId, actor.staffId, {
        reason: 'recalled_from_agency',
        note: reason,
      });
      await trx('collection_batches')
        .where({ id: batchId })
        .update({
          status: 'recalled',
          recalled_by: actor.staffId,
          recalled_at: dbNow(trx),
          recall_reason: reason,
        });
    });
    return this.get(batchId);
  }

  /** The batch's row, locked until the transaction ends, so two changes of it take turns. */
  private async lockedBatch(
    trx: Knex.Transaction,
    batchId: string,
  ): Promise<{ number: string; status: BatchStatus } | undefined> {
    await lockRows(trx, 'collection_batches', { id: batchId });
    return trx('collection_batches').where({ id: batchId }).first('number', 'status');
  }

  /** A batch's placed accounts go back to bad standing (each recorded) and its placements end. */
  private async returnAccounts(
    trx: Knex.Transaction,
    batchId: string,
    staffId: string | null,
    change: { reason: 'recalled_from_agency' | 'placement_never_sent'; note: string | null },
  ): Promise<void> {
    const placed = await trx('collection_placements')
      .where({ batch_id: batchId, active: true })
      .select('account_id');
    const ids = placed.map((p: { account_id: string }) => p.account_id);
    const mover = await this.standing.mover(
      trx,
      staffId,
      { from: 'in_collection', to: 'bad_standing', ...change, note: change.note ?? undefined },
      batchId,
    );
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await trx('accounts')
          .whereIn('id', ids.slice(i, i + CHUNK))
          .select(ACCOUNT_FACT_COLUMNS);
        // An account settled or written off meanwhile stays as it is.
        await mover.move(rows.filter((row: AccountFacts) => row.standing === 'in_collection'));
      }
    } finally {
      await mover.close();
    }
    await trx('collection_placements').where({ batch_id: batchId }).update({ active: false });
  }

  async list(actor: Actor): Promise<CollectionBatch[]> {
    await this.requireBalanceReader(actor);
    const rows = await this.batchQuery().orderBy('b.sent_at', 'desc').limit(500);
    return rows.map(toBatch);
  }

  async get(id: string): Promise<CollectionBatch> {
    const row = await this.batchQuery().where('b.id', id).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such batch.');
    return toBatch(row);
  }

  private batchQuery() {
    return this.db('collection_batches as b')
      .join('recipients as r', 'r.id', 'b.agency_id')
      .join('staff as s', 's.id', 'b.created_by')
      .select('b.*', 'r.name as agency_name', 's.display_name as creator');
  }

  async dashboard(actor: Actor): Promise<DashboardSummary> {
    await this.requireBalanceReader(actor);
    const byStanding = (await this.db('accounts')
      .groupBy('standing', 'currency')
      .select(
        'standing',
        'currency',
        this.db.raw('count(*) as n'),
        this.db.raw('coalesce(sum(balance_cents), 0) as total'),
      )) as Record<string, string | number>[];
    const monthStart = `${this.clock.now().toISOString().slice(0, 7)}-01`;
    const batches = (await this.db('collection_batches as b')
      .join('recipients as r', 'r.id', 'b.agency_id')
      .where('b.sent_at', '>=', monthStart)
      .groupBy('r.name', 'b.currency')
      .select(
        'r.name as agency',
        'b.currency',
        this.db.raw('count(*) as batches'),
        this.db.raw('coalesce(sum(b.account_count), 0) as accounts'),
        this.db.raw('coalesce(sum(b.total_cents), 0) as total'),
      )) as Record<string, string | number>[];
    return {
      byStanding: byStanding.map((r) => ({
        standing: r.standing as Standing,
        currency: String(r.currency),
        count: Number(r.n),
        totalCents: Number(r.total ?? 0),
      })),
      batchesThisMonth: batches.map((r) => ({
        agency: String(r.agency),
        currency: String(r.currency),
        batches: Number(r.batches),
        accounts: Number(r.accounts ?? 0),
        totalCents: Number(r.total ?? 0),
      })),
    };
  }

  /**
   * At start-up: a batch whose disclosure record was abandoned (a crash after its commit, before
   * its placement file got its name) never reached the agency. It is marked never sent and its
   * accounts return to bad standing with that reason, not as recalled. The batches are found
   * from the log, not from what this start's recovery resolved, so a start killed between the
   * two finishes the work at the next; each batch is changed once, under its row lock.
   */
  async recoverNeverSent(): Promise<string[]> {
    const rows = await this.db('collection_batches as b')
      .where('b.status', 'sent')
      .whereExists(
        this.db('disclosure_log as f')
          .whereRaw('f.ref_seq = b.disclosure_seq')
          .andWhere('f.kind', 'abandoned'),
      )
      .orderBy('b.sent_at')
      .select('b.id');
    const changed: string[] = [];
    for (const { id } of rows as { id: string }[]) {
      const done = await this.db.transaction(async (trx) => {
        if ((await this.lockedBatch(trx, id))?.status !== 'sent') return false;
        await this.returnAccounts(trx, id, null, {
          reason: 'placement_never_sent',
          note: 'The app stopped before the placement file was written: nothing reached the agency.',
        });
        await trx('collection_batches').where({ id }).update({ status: 'never_sent' });
        return true;
      });
      if (done) changed.push(id);
    }
    return changed;
  }

  private async requireBalanceReader(actor: Actor): Promise<void> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.balanceCents) || !canRead(access.standing)) {
      throw new AppError('FORBIDDEN', 'Your role may not see balances and standing.');
    }
  }

  private async requireAgency(id: string): Promise<void> {
    const r = await this.db('recipients').where({ id }).first('type', 'active', 'name');
    if (!r)
      throw new AppError('NOT_FOUND', 'No such agency.', {
        fieldErrors: { agencyId: 'Choose a registered agency.' },
      });
    if (r.type !== 'collection_agency') {
      throw new AppError('VALIDATION', `${r.name} is not a collection agency.`, {
        fieldErrors: { agencyId: 'Choose a collection agency.' },
      });
    }
  }
}

/** The placement file's rows: the collection field set, the balance placed and the itemisation date. */
async function* placementRows(
  trx: Knex.Transaction,
  ids: readonly string[],
  today: string,
): AsyncGenerator<ExportRow> {
  // Only the columns the file carries, packed on SQLite (main/db/packed-rows.ts): a whole account
  // row costs the driver a microsecond a column, more than the rest of the batch.
  const columns = [
    ...new Set([
      'id',
      ...FIELDS.filter((f) => COLLECTION_FIELDS.includes(f.key)).map((f) => f.column),
      'balance_cents',
      'last_payment_date',
    ]),
  ];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const query = selectColumns(trx, trx('accounts'), columns)
      .whereIn('id', ids.slice(i, i + CHUNK))
      .orderBy('id');
    for (const cells of unpackRows(trx, await query, columns)) {
      const values = rowToValues(
        Object.fromEntries(columns.map((c, k) => [c, cells[k]])) as AccountRecord,
      );
      const row: ExportRow = Object.fromEntries(COLLECTION_FIELDS.map((f) => [f, values[f]]));
      row.balancePlacedCents = values.balanceCents;
      row.itemisationDate = (values.lastPaymentDate as string | null) ?? today;
      yield row;
    }
  }
}

function toBatch(r: Record<string, unknown>): CollectionBatch {
  return {
    id: String(r.id),
    number: String(r.number),
    agencyId: String(r.agency_id),
    agencyName: String(r.agency_name),
    status: r.status as CollectionBatch['status'],
    currency: String(r.currency),
    accountCount: Number(r.account_count),
    totalCents: Number(r.total_cents),
    filters: JSON.parse(String(r.filters)) as Record<string, unknown>,
    disclosureSeq: r.disclosure_seq === null ? null : Number(r.disclosure_seq),
    createdBy: String(r.creator),
    sentAt: toIso(r.sent_at),
    recalledAt: r.recalled_at ? toIso(r.recalled_at) : null,
    recallReason: (r.recall_reason as string | null) ?? null,
  };
}
