import { FIELD_BY_KEY } from '../../../shared/catalogue';
import { COLLECTION_FIELDS } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import { fieldValue } from '../../db/stores/accounts/account-row';
import { type BatchFilters, type CollectionBatchStore } from '../../db/stores/collection-batches';
import type { Tx } from '../../db/stores/scope';
import { ACCOUNT_FACT_COLUMNS, factsFromCells, type AccountFacts } from '../../db/stores/standing';
import type { StandingService } from '../collections/standing';
import type { Cell } from '../exports/csv';
import type { RowChunk } from '../exports/writer';
import { settledInTurn } from '../../settled';
import { isSqlite } from '../../db/connect';

/** Columns a placement file carries beyond the collection field set (DESIGN.md section 5). */
export const PLACEMENT_COLUMNS = ['balancePlacedCents', 'itemisationDate'] as const;

/** The columns of a placement file, in order. */
export const PLACEMENT_FILE_COLUMNS: readonly string[] = [
  ...COLLECTION_FIELDS,
  ...PLACEMENT_COLUMNS,
];

/**
 * The account columns a placement file is made from, and those its filing moves the account by:
 * one read of each account serves both (it was two reads of 100,000 accounts). The facts come
 * first, in their order (factsFromCells), then the last payment's date.
 */
const FILE_SOURCE_COLUMNS = [
  ...new Set([
    ...ACCOUNT_FACT_COLUMNS,
    'last_payment_date',
    ...COLLECTION_FIELDS.map((key) => FIELD_BY_KEY[key].column),
    'balance_cents',
  ]),
];

const sourceIndex = (column: string) => FILE_SOURCE_COLUMNS.indexOf(column);
const LAST_PAYMENT = sourceIndex('last_payment_date');
const BALANCE = sourceIndex('balance_cents');

/** A column of the file, from an account's cells (FILE_SOURCE_COLUMNS) and the day it is made. */
type FileCell = (cells: readonly unknown[], today: string) => Cell;

const PLACEMENT_CELLS: Record<(typeof PLACEMENT_COLUMNS)[number], FileCell> = {
  balancePlacedCents: (cells) => fieldValue(FIELD_BY_KEY.balanceCents, cells[BALANCE]),
  itemisationDate: (cells, today) =>
    fieldValue(FIELD_BY_KEY.lastPaymentDate, cells[LAST_PAYMENT] ?? today),
};

/** How each column of the file is made, in PLACEMENT_FILE_COLUMNS order, as rowToValues reads it. */
const FILE_CELLS: readonly FileCell[] = [
  ...COLLECTION_FIELDS.map((key): FileCell => {
    const field = FIELD_BY_KEY[key];
    const at = sourceIndex(field.column);
    return (cells) => fieldValue(field, cells[at]);
  }),
  ...PLACEMENT_COLUMNS.map((column) => PLACEMENT_CELLS[column]),
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
   * Starts filing the batch in its transaction: its row (the disclosure record's seq is set by
   * `finish`), then, as each chunk of its accounts is read for the file, their placements and
   * their moves to in collection (`place`).
   */
  async open(trx: Tx, order: BatchOrder, count: number): Promise<BatchFiler> {
    const { batchId } = order;
    await this.batches.insertSent(trx, {
      id: batchId,
      filters: order.filters,
      createdBy: order.staffId,
      count,
    });
    const change = {
      batchId,
      staffId: order.staffId,
      from: 'bad_standing',
      to: 'in_collection',
      reason: 'placed_with_agency',
    } as const;
    const mover = await this.standing.mover(trx, change);
    const placements = await this.batches.placementWriter(trx, batchId);
    let [placed, total] = [0, 0];
    let closed: Promise<void> | null = null;
    const close = () => (closed ??= placements.close());
    return {
      place: async (rows) => {
        for (const row of rows) total += Number(row.balance_cents);
        placed += rows.length;
        // Sent together on SQLite, as the mover's own writes are (standing.ts).
        await settledInTurn(isSqlite(trx), [
          () => mover.move(rows),
          () =>
            placements.write(
              rows.map((row) => [
                row.id,
                Number(row.balance_cents),
                row.last_payment_date ?? order.today,
              ]),
            ),
        ]);
      },
      finish: async (seq) => {
        await close();
        if (placed !== count) {
          throw new Error(`the file was made of ${placed} of the batch's ${count} accounts`);
        }
        const recorded = await this.standing.recordPlacements(trx, change, mover.at);
        if (recorded !== count) {
          throw new Error(`the batch placed ${count} accounts but recorded ${recorded} moves`);
        }
        await this.batches.setFiled(trx, batchId, { totalCents: total, seq });
      },
      close,
    };
  }

  /**
   * The placement file's rows, in PLACEMENT_FILE_COLUMNS order a chunk at a time: the collection
   * field set, the balance placed and the itemisation date. Each chunk's accounts are filed
   * (`filer.place`) while the next chunk is read and this one is encoded, so the database's
   * thread writes while the main thread makes the file; one chunk's filing at a time.
   */
  async *chunks(
    trx: Tx,
    ids: readonly string[],
    today: string,
    filer: BatchFiler,
  ): AsyncGenerator<RowChunk> {
    const reads = this.batches.accountCells(trx, ids, FILE_SOURCE_COLUMNS);
    let next = reads.next();
    let filing: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const read = await next;
        if (read.done) break;
        next = reads.next();
        // Settled by the loop, or left behind when the consumer stops: never unhandled.
        next.catch(() => undefined);
        const facts = new Array<PlacedFacts>(read.value.length);
        const chunk = new Array<Cell[]>(read.value.length);
        for (let r = 0; r < read.value.length; r++) {
          const cells = read.value[r]!;
          const last = cells[LAST_PAYMENT];
          facts[r] = {
            ...factsFromCells(cells),
            last_payment_date: last == null ? null : String(last),
          };
          chunk[r] = FILE_CELLS.map((cell) => cell(cells, today));
        }
        // A failed filing stops the file at its next chunk (and fails the whole placement).
        await filing;
        filing = filer.place(facts);
        filing.catch(() => undefined);
        yield chunk;
      }
      await filing;
    } finally {
      // Nothing of this transaction is left in flight when the consumer stops early.
      await filing.catch(() => undefined);
    }
  }
}

/** A batch being filed in its transaction (BatchFiling.open). */
export interface BatchFiler {
  /** Places these accounts (one chunk) and moves them to in collection. */
  place(rows: readonly PlacedFacts[]): Promise<void>;
  /** After the last chunk: checks every account was placed, and files the batch under `seq`. */
  finish(seq: number): Promise<void>;
  /** Ends the filing's writers; must be called (finish does) before the transaction ends. */
  close(): Promise<void>;
}
