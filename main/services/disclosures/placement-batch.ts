import { FIELDS } from '../../../shared/catalogue';
import { COLLECTION_FIELDS } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import {
  BATCH_CHUNK,
  type BatchFilters,
  type CollectionBatchStore,
} from '../../db/stores/collection-batches';
import type { Tx } from '../../db/stores/scope';
import { rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import {
  ACCOUNT_FACT_COLUMNS,
  type AccountFacts,
  type StandingService,
} from '../collections/standing';
import type { ExportRow } from '../exports/writer';

/** Columns a placement file carries beyond the collection field set (DESIGN.md section 5). */
export const PLACEMENT_COLUMNS = ['balancePlacedCents', 'itemisationDate'] as const;

/** The columns of a placement file, in order. */
export const PLACEMENT_FILE_COLUMNS: readonly string[] = [
  ...COLLECTION_FIELDS,
  ...PLACEMENT_COLUMNS,
];

/**
 * The account columns a placement file is made from, and those its filing moves the account by:
 * one read of each account serves both (it was two reads of 100,000 accounts).
 */
const FILE_SOURCE_COLUMNS = [
  ...new Set([
    'id',
    ...FIELDS.filter((f) => COLLECTION_FIELDS.includes(f.key)).map((f) => f.column),
    'balance_cents',
    'last_payment_date',
    ...ACCOUNT_FACT_COLUMNS,
  ]),
];

/** What filing a batch needs of each account, kept from the read of its file's rows. */
export type PlacedFacts = AccountFacts & { last_payment_date: string | null };

/** A batch to place with one agency. */
export interface BatchOrder {
  batchId: string;
  filters: BatchFilters;
  staffId: string;
  /** The itemisation date of accounts with no payment yet. */
  today: string;
}

/**
 * What a placement is, in its transaction: the accounts it takes, the rows of its file, and the
 * batch it files (the batch row, the placements, the accounts moved to in collection).
 */
export class BatchFiling {
  constructor(
    private readonly batches: CollectionBatchStore,
    private readonly standing: StandingService,
  ) {}

  /** The accounts the batch places, chosen again inside its transaction. */
  async select(trx: Tx, f: BatchFilters): Promise<string[]> {
    const ids = await this.batches.candidateIds(trx, f);
    if (ids.length === 0) {
      throw new AppError(
        'VALIDATION',
        'No account matches these filters: there is nothing to place.',
      );
    }
    return ids;
  }

  /**
   * The placement file's rows: the collection field set, the balance placed and the itemisation
   * date. Each account's facts are pushed to `facts` as it is read, for `file`.
   */
  async *rows(
    trx: Tx,
    ids: readonly string[],
    today: string,
    facts: PlacedFacts[],
  ): AsyncGenerator<ExportRow> {
    for await (const chunk of this.batches.accountColumns(trx, ids, FILE_SOURCE_COLUMNS)) {
      for (const account of chunk) {
        facts.push(account as unknown as PlacedFacts);
        const values = rowToValues(account as AccountRecord);
        const row: ExportRow = Object.fromEntries(COLLECTION_FIELDS.map((f) => [f, values[f]]));
        row.balancePlacedCents = values.balanceCents;
        row.itemisationDate = (values.lastPaymentDate as string | null) ?? today;
        yield row;
      }
    }
  }

  /**
   * Files the batch under its disclosure record `seq`: its row, placements and standing moves, by
   * the `facts` `rows` read of `ids` in this transaction (which holds the write lock since).
   */
  async file(
    trx: Tx,
    order: BatchOrder,
    ids: readonly string[],
    facts: readonly PlacedFacts[],
    seq: number,
  ): Promise<void> {
    if (facts.length !== ids.length) {
      throw new Error(`the file was made of ${facts.length} of the batch's ${ids.length} accounts`);
    }
    const { batchId } = order;
    await this.batches.insertSent(trx, {
      id: batchId,
      filters: order.filters,
      createdBy: order.staffId,
      count: ids.length,
      seq,
    });
    const mover = await this.standing.mover(
      trx,
      order.staffId,
      { from: 'bad_standing', to: 'in_collection', reason: 'placed_with_agency' },
      batchId,
    );
    const placements = await this.batches.placementWriter(trx, batchId);
    let total = 0;
    try {
      for (let i = 0; i < facts.length; i += BATCH_CHUNK) {
        const rows = facts.slice(i, i + BATCH_CHUNK);
        for (const row of rows) total += Number(row.balance_cents);
        await mover.move(rows);
        await placements.write(
          rows.map((row) => [
            row.id,
            Number(row.balance_cents),
            row.last_payment_date ?? order.today,
          ]),
        );
      }
    } finally {
      await placements.close();
      await mover.close();
    }
    await this.batches.setTotal(trx, batchId, total);
  }
}
