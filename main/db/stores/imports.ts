/**
 * The imports store: the only writer of `imports`, and the writer of a load of many new accounts
 * (an import) into `accounts`, all inside the caller's transaction through the bulk writer
 * (main/db/engine/bulk.ts). The account number counter is locked for the whole load and set once
 * at its end.
 *
 * An import's provenance (policy P1) is recorded once, on its `imports` row; each account it
 * creates names it in `import_id` (migration 0026), beside its own provenance source and date.
 */
import type { Knex } from 'knex';
import { FIELDS } from '../../../shared/catalogue';
import { dbNow, isSqlite, toIso } from '../connect';
import { deferCheckpoint, NO_DEFERRED_CHECKPOINT } from '../engine/background-checkpoint';
import { bulkTable, deferIndexes, enlargeSqliteCache, type BulkTable } from '../engine/bulk';
import { IdSource } from '../../ids';
import type { EarlierImport } from '../../../shared/import';
import { DERIVED_COLUMNS } from './accounts/account-row';
import { appendToFeed } from './sync-feed';

/** Fields whose columns an import writes (the system fields keep their database defaults). */
export const LOADED_FIELDS = FIELDS.filter((f) => !f.system);

/**
 * Account columns a load writes row by row, in this order: id, account number, the loaded
 * fields, the derived search keys. The rest are the same for every row.
 */
export const LOAD_ACCOUNT_COLUMNS: readonly string[] = [
  'id',
  'account_number',
  ...LOADED_FIELDS.map((f) => f.column),
  ...DERIVED_COLUMNS,
];
const LOAD_ID_AT = LOAD_ACCOUNT_COLUMNS.indexOf('id');

/** From this many rows on, a load into a smaller table builds its indexes afterwards. */
export const DEFER_INDEXES_FROM = 20_000;

/**
 * Runs a load in one transaction. A large load's WAL is copied into the database after it, on a
 * connection of its own, beside the console's work (main/db/engine/background-checkpoint.ts).
 */
export async function loadTransaction<T>(
  db: Knex,
  expectedRows: number,
  load: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const checkpoint =
    expectedRows >= DEFER_INDEXES_FROM ? await deferCheckpoint(db) : NO_DEFERRED_CHECKPOINT;
  try {
    return await db.transaction(load);
  } finally {
    checkpoint.start();
  }
}

/** The import a load belongs to: its file and who runs it. */
export interface LoadSpec {
  fileName: string;
  staffId: string | null;
  /** Rows the load is expected to write: a load larger than the table defers its indexes. */
  expectedRows: number;
}

/** How an import ended, recorded on its row. */
export interface LoadOutcome {
  sha256: string;
  rowsTotal: number;
  imported: number;
  /** The counter's value once the load is done. */
  counter: number;
  /** The fields the file supplied (its columns but the account number), as field keys. */
  fields: readonly string[];
}

export class AccountLoad {
  /** Awaited before the next batch is written: one batch at a time, while the next is built. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly trx: Knex.Transaction,
    /** The import's id. */
    readonly importId: string,
    /** The account number counter's value, locked by this load until the transaction ends. */
    readonly counterAtStart: number,
    private readonly accounts: BulkTable,
    private readonly rebuildIndexes: () => Promise<void>,
    private readonly restoreCache: () => Promise<void>,
  ) {}

  /** Records the import as started and opens its writers; call `close` in a finally. */
  static async open(trx: Knex.Transaction, spec: LoadSpec): Promise<AccountLoad> {
    const now = await databaseTime(trx);
    const importId = new IdSource().next();
    const date = now.slice(0, 10);
    await trx('imports').insert({
      id: importId,
      file_name: spec.fileName.slice(0, 255),
      sha256: '',
      rows_total: 0,
      rows_imported: 0,
      rows_rejected: 0,
      staff_id: spec.staffId,
      started_at: now,
      finished_at: null,
    });
    // Numbers for rows without one: taken from the counter here, which also locks it (as every
    // creation in the console does) until this transaction ends; the counter is set at the end.
    const counterAtStart = await lockCounter(trx);
    const restore = await enlargeSqliteCache(trx);
    // A load larger than the table it goes into builds the plain indexes afterwards.
    const existing = spec.expectedRows >= DEFER_INDEXES_FROM ? await countAccounts(trx) : Infinity;
    const rebuild =
      spec.expectedRows > existing ? await deferIndexes(trx, 'accounts') : async () => undefined;
    const accounts = await bulkTable(trx, 'accounts', LOAD_ACCOUNT_COLUMNS, {
      provenance_source: 'import',
      provenance_date: date,
      created_at: now,
      updated_at: now,
      updated_by: spec.staffId,
      version: 1,
      import_id: importId,
    });
    return new AccountLoad(trx, importId, counterAtStart, accounts, rebuild, restore);
  }

  /**
   * Queues a batch of rows (LOAD_ACCOUNT_COLUMNS) to be written after the one being written;
   * resolves once that earlier one is written.
   */
  async queue(accountRows: unknown[][]): Promise<void> {
    const before = this.writing;
    this.writing = before.then(async () => {
      await this.accounts.write(accountRows);
      await appendToFeed(
        this.trx,
        accountRows.map((row) => String(row[LOAD_ID_AT])),
      );
    });
    // Awaited by `drain` or `close`; this only keeps Node from reporting it too early.
    this.writing.catch(() => undefined);
    await before;
  }

  /** The numbers among `numbers` that accounts already hold. */
  numbersInUse(numbers: readonly string[]): Promise<Set<string>> {
    return new ImportLookups(this.trx).numbersInUse(numbers);
  }

  /** Waits for every queued batch, then builds deferred indexes and refreshes statistics. */
  async drain(imported: number): Promise<void> {
    await this.writing;
    await this.rebuildIndexes();
    // A large load changes the statistics PostgreSQL plans searches with: refreshed now,
    // rather than whenever autovacuum comes round to it.
    if (!isSqlite(this.trx) && imported >= DEFER_INDEXES_FROM) {
      await this.trx.raw('ANALYZE accounts');
    }
  }

  /** Closes the writers (after a batch still being written) and gives the cache back. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.accounts.close();
    await this.restoreCache();
  }

  /** Sets the counter and records the import's outcome. */
  async finish(outcome: LoadOutcome): Promise<void> {
    await this.trx('counters').where({ name: 'account_number' }).update({ value: outcome.counter });
    await this.trx('imports')
      .where({ id: this.importId })
      .update({
        sha256: outcome.sha256,
        rows_total: outcome.rowsTotal,
        rows_imported: outcome.imported,
        rows_rejected: outcome.rowsTotal - outcome.imported,
        fields: JSON.stringify(outcome.fields),
        finished_at: dbNow(this.trx),
      });
  }
}

/**
 * The account number counter's value, locked until the transaction ends (an UPDATE takes the
 * row lock on PostgreSQL, and SQLite's write lock is held since the first insert).
 */
async function lockCounter(trx: Knex.Transaction): Promise<number> {
  const rows = (await trx('counters')
    .where({ name: 'account_number' })
    .increment('value', 0)
    .returning('value')) as { value: number | string }[];
  const value = Number(rows[0]?.value);
  if (!Number.isSafeInteger(value)) throw new Error('account number counter missing');
  return value;
}

async function countAccounts(trx: Knex.Transaction): Promise<number> {
  const row = (await trx('accounts').count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

/** The database's time now, as ISO text (rows of one load carry one time). */
export async function databaseTime(trx: Knex.Transaction): Promise<string> {
  const row = (await trx.first({ now: dbNow(trx) })) as { now: unknown } | undefined;
  return toIso(row?.now);
}

/** What an import's check asks the database before anything is written. */
export class ImportLookups {
  constructor(private readonly db: Knex) {}

  /** The numbers among `numbers` that accounts already hold. */
  async numbersInUse(numbers: readonly string[]): Promise<Set<string>> {
    return new Set(
      (await this.db('accounts')
        .whereIn('account_number', numbers)
        .pluck('account_number')) as string[],
    );
  }

  /** Finished imports of a file with this content, oldest first. */
  async importsOfFile(sha256: string): Promise<EarlierImport[]> {
    const rows = (await this.db('imports')
      .where({ sha256 })
      .whereNotNull('finished_at')
      .orderBy('finished_at')
      .select('id', 'file_name', 'finished_at', 'rows_imported')) as {
      id: string;
      file_name: string;
      finished_at: string;
      rows_imported: number | string;
    }[];
    return rows.map((r) => ({
      importId: r.id,
      fileName: r.file_name,
      finishedAt: r.finished_at,
      rowsImported: Number(r.rows_imported),
    }));
  }
}
