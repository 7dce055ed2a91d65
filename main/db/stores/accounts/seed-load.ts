/**
 * Writing seeded accounts (main/services/seed/batch.ts builds them): rows in the account layout of
 * account-row.ts, written through the bulk writer batch by batch, each batch taking its account
 * numbers from the counter in the transaction that writes it, so that accounts created meanwhile
 * in the console keep unique numbers.
 */
import type { Knex } from 'knex';
import { FIELDS, type FieldKey } from '../../../../shared/catalogue';
import type { FieldValue } from '../../../../shared/types';
import { dbNow, toIso } from '../../connect';
import { bulkTable, deferIndexes, enlargeSqliteCache } from '../../engine/bulk';
import { ACCOUNT_NUMBER_BASE, DERIVED_COLUMNS, valuesToColumns } from './account-row';
import { appendToFeed } from '../sync-feed';

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export { MAX_BOUND_VALUES } from '../../engine/bulk';

/** One seeded customer's values: every catalogue field but the account number. */
export type SeedValues = Omit<Record<FieldKey, FieldValue>, 'accountNumber'>;

/** SQLite page cache while seeding, in KiB (a negative cache_size means KiB). */
const SEED_CACHE_KIB = 256 * 1024;
/** From this many accounts on, one-transaction seeding into a smaller table defers indexes. */
const DEFER_INDEXES_FROM = 20_000;

/** Provenance columns written row by row (event, staff and time are the same for a batch). */
const PROVENANCE_COLUMNS = ['id', 'account_id', 'source', 'source_date', 'fields'] as const;

/** Account columns written row by row (times, version and author are the same for a batch). */
const ACCOUNT_COLUMNS: readonly string[] = [
  'id',
  ...FIELDS.map((f) => f.column),
  ...DERIVED_COLUMNS,
];
const column = (name: string) => ACCOUNT_COLUMNS.indexOf(name);
const ID_AT = column('id');
const NUMBER_AT = column('account_number');
/** [row index, field] for every catalogue field but the account number (set when written). */
const FIELD_SLOTS = FIELDS.filter((f) => f.key !== 'accountNumber').map(
  (f) => [column(f.column), f.key as Exclude<FieldKey, 'accountNumber'>] as const,
);
const DERIVED_SLOTS = DERIVED_COLUMNS.map((c) => [column(c), c] as const);

/** One account as a row of ACCOUNT_COLUMNS, but for its account number (set when written). */
export function seedAccountRow(id: string, values: SeedValues): unknown[] {
  const row: unknown[] = new Array<unknown>(ACCOUNT_COLUMNS.length).fill(null);
  row[ID_AT] = id;
  for (const [at, key] of FIELD_SLOTS) row[at] = values[key];
  const keyed = {
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email,
    phone: values.phone,
  };
  const derived = valuesToColumns(keyed, values as Record<FieldKey, FieldValue>);
  for (const [at, name] of DERIVED_SLOTS) row[at] = derived[name] ?? null;
  return row;
}

/** A batch's rows, complete but for the account numbers and times set when it is written. */
export interface PreparedBatch {
  size: number;
  accountRows: unknown[][];
  provenanceRows: unknown[][];
}

/**
 * Runs `pipeline`, which hands every prepared batch to the writer it is given: all batches in
 * one transaction (nothing is kept if it fails; a load larger than the accounts already there
 * builds their plain indexes once at the end, on SQLite), or one transaction per batch.
 */
export async function loadSeedBatches(
  db: Knex,
  options: { count: number; oneTransaction: boolean },
  pipeline: (write: (batch: PreparedBatch) => Promise<BatchNumbers>) => Promise<void>,
): Promise<void> {
  const restoreCache = await enlargeSqliteCache(db, SEED_CACHE_KIB);
  try {
    if (options.oneTransaction) {
      await db.transaction(async (trx) => {
        const existing = Number(
          ((await trx('accounts').count({ n: '*' }).first()) as { n: number | string }).n,
        );
        const rebuild =
          options.count >= DEFER_INDEXES_FROM && options.count > existing
            ? await deferIndexes(trx, 'accounts')
            : async () => undefined;
        const tables = await openTables(trx);
        try {
          await pipeline((batch) => writeBatch(trx, batch, tables));
        } finally {
          await tables.close();
        }
        await rebuild();
      });
    } else {
      await pipeline((batch) =>
        db.transaction(async (trx) => {
          const tables = await openTables(trx);
          try {
            return await writeBatch(trx, batch, tables);
          } finally {
            await tables.close();
          }
        }),
      );
    }
  } finally {
    await restoreCache();
  }
}

export interface BatchNumbers {
  first: string;
  last: string;
}

/** The bulk writers of a transaction; rows they write carry the database's time of now. */
async function openTables(trx: Knex.Transaction) {
  const now = await databaseTime(trx);
  const accounts = await bulkTable(trx, 'accounts', ACCOUNT_COLUMNS, {
    created_at: now,
    updated_at: now,
    updated_by: null,
    version: 1,
  });
  const provenance = await bulkTable(trx, 'account_provenance', PROVENANCE_COLUMNS, {
    event: 'created',
    staff_id: null,
    recorded_at: now,
  });
  return {
    accounts,
    provenance,
    close: async () => {
      await accounts.close();
      await provenance.close();
    },
  };
}

async function writeBatch(
  trx: Knex.Transaction,
  batch: PreparedBatch,
  tables: Awaited<ReturnType<typeof openTables>>,
): Promise<BatchNumbers> {
  const end = await reserveAccountNumbers(trx, batch.size);
  const firstNumber = ACCOUNT_NUMBER_BASE + end - batch.size + 1;
  batch.accountRows.forEach((row, i) => {
    row[NUMBER_AT] = `C-${firstNumber + i}`;
  });
  await tables.accounts.write(batch.accountRows);
  await tables.provenance.write(batch.provenanceRows);
  await appendToFeed(
    trx,
    batch.accountRows.map((row) => String(row[ID_AT])),
  );
  return { first: `C-${firstNumber}`, last: `C-${firstNumber + batch.size - 1}` };
}

/** Advances the account number counter by n; returns its new value (the last number reserved). */
async function reserveAccountNumbers(trx: Knex.Transaction, n: number): Promise<number> {
  const rows = (await trx('counters')
    .where({ name: 'account_number' })
    .increment('value', n)
    .returning('value')) as { value: number | string }[];
  const value = Number(rows[0]?.value);
  if (!Number.isSafeInteger(value)) throw new Error('account number counter missing');
  return value;
}

async function databaseTime(trx: Knex.Transaction): Promise<string> {
  const row = (await trx.first({ now: dbNow(trx) })) as { now: unknown } | undefined;
  return toIso(row?.now);
}
