/**
 * Realistic fake customers for development, demos and the benchmark. The same seed gives the
 * same customers (whatever the batch size); every value passes the shared field rules. Accounts
 * are written with multi-row inserts, one transaction per batch, and take their account numbers
 * from the same counter as accounts created in the console, so numbers never collide.
 *
 * The seeder's entry point: the CLI's seed command loads this module lazily, so that neither it
 * nor faker (seed/account-faker.ts) reaches the app's bundle. The parts live in seed/.
 */
import type { Db } from '../db/handle';
import {
  MAX_BOUND_VALUES,
  loadSeedBatches,
  type BatchNumbers,
  type PreparedBatch,
} from '../db/stores/accounts/seed-load';
import { IdSource } from '../ids';
import { createAccountFaker } from './seed/account-faker';
import { prepareBatch } from './seed/batch';

export { createAccountFaker, type AccountFaker } from './seed/account-faker';
export {
  SEED_COUNTRIES,
  SEED_FIRST_DATE,
  SEED_LAST_DATE,
  SEED_SOURCES,
  type SeedCountry,
} from './seed/distributions';
export { fakeAccount, type SeedAccount } from './seed/fake-account';

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export { MAX_BOUND_VALUES };
export const DEFAULT_SEED_BATCH = 1000;

export interface SeedOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  /** Called after each written batch with the number of accounts written so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Writes every batch in one transaction (nothing is kept if it fails), and a load larger than
   * the accounts already there builds their plain indexes once at the end instead of row by row
   * (SQLite): the way to fill a large database for the benchmark.
   */
  oneTransaction?: boolean;
}

export interface SeedResult {
  count: number;
  firstAccountNumber: string | null;
  lastAccountNumber: string | null;
  milliseconds: number;
}

/**
 * Writes `count` fake accounts and their provenance records, `batchSize` accounts per
 * transaction (or all in one, with `oneTransaction`). A batch reserves its account numbers from
 * the counter in the transaction that writes it, so accounts created meanwhile in the console
 * keep unique numbers. The next batch is generated while the database writes the current one.
 */
export async function seedAccounts(db: Db, options: SeedOptions): Promise<SeedResult> {
  const { count, seed = 1, batchSize = DEFAULT_SEED_BATCH, onProgress } = options;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('count must be >= 0');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be >= 1');
  }
  const started = performance.now();
  const af = createAccountFaker(seed);
  const ids = new IdSource();
  let first: string | null = null;
  let last: string | null = null;
  let done = 0;

  /** Generates batch after batch while the previous one is written by `write`. */
  const pipeline = async (write: (batch: PreparedBatch) => Promise<BatchNumbers>) => {
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let prepared = 0; prepared < count;) {
        const batch = await prepareBatch(af, ids, Math.min(batchSize, count - prepared));
        prepared += batch.size;
        await writing;
        writing = write(batch).then((numbers) => {
          first ??= numbers.first;
          last = numbers.last;
          done += batch.size;
          onProgress?.(done, count);
        });
        // Awaited above or below; this only keeps Node from reporting the rejection too early.
        writing.catch(() => undefined);
      }
      await writing;
    } finally {
      await writing.catch(() => undefined);
    }
  };

  await loadSeedBatches(db, { count, oneTransaction: options.oneTransaction ?? false }, pipeline);
  return {
    count,
    firstAccountNumber: first,
    lastAccountNumber: last,
    milliseconds: performance.now() - started,
  };
}
