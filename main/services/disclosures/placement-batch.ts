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

/** The account columns a placement file is made from. */
const FILE_SOURCE_COLUMNS = [
  ...new Set([
    'id',
    ...FIELDS.filter((f) => COLLECTION_FIELDS.includes(f.key)).map((f) => f.column),
    'balance_cents',
    'last_payment_date',
  ]),
];

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

  /** The placement file's rows: the collection field set, the balance placed and the itemisation date. */
  async *rows(trx: Tx, ids: readonly string[], today: string): AsyncGenerator<ExportRow> {
    for await (const chunk of this.batches.accountColumns(trx, ids, FILE_SOURCE_COLUMNS)) {
      for (const account of chunk) {
        const values = rowToValues(account as AccountRecord);
        const row: ExportRow = Object.fromEntries(COLLECTION_FIELDS.map((f) => [f, values[f]]));
        row.balancePlacedCents = values.balanceCents;
        row.itemisationDate = (values.lastPaymentDate as string | null) ?? today;
        yield row;
      }
    }
  }

  /** Files the batch under its disclosure record `seq`: its row, placements and standing moves. */
  async file(trx: Tx, order: BatchOrder, ids: readonly string[], seq: number): Promise<void> {
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
      for (let i = 0; i < ids.length; i += BATCH_CHUNK) {
        const rows = await this.batches.accountFacts<
          AccountFacts & { last_payment_date: string | null }
        >(trx, ids.slice(i, i + BATCH_CHUNK), [...ACCOUNT_FACT_COLUMNS, 'last_payment_date']);
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
