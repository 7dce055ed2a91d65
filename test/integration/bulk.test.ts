/**
 * The bulk writer under the import, the seeder and migrate-data (main/services/import/bulk.ts):
 * rows land in order, in chunks larger than one staging statement; a chunk the table refuses
 * fails the write, leaves nothing of itself behind, and the same writer goes on working.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSqlite } from '../../main/db/connect';
import { bulkTable } from '../../main/db/engine/bulk';
import { openTestBackend, type TestBackend } from '../support/backend';

let t: TestBackend;
beforeEach(async () => {
  t = await openTestBackend();
  await t.backend.services.db.schema.createTable('bulk_probe', (table) => {
    table.integer('n').primary();
    table.string('label', 40).notNullable();
    table.string('fixed', 10).notNullable();
  });
});
afterEach(async () => {
  await t.close();
});

const rows = (from: number, count: number): unknown[][] =>
  Array.from({ length: count }, (_, i) => [from + i, `row ${from + i} "quoted", 'and' é`]);

describe('bulkTable', () => {
  it('writes every row of chunks larger than a staging statement, in order, with constants', async () => {
    const db = t.backend.services.db;
    await db.transaction(async (trx) => {
      const table = await bulkTable(trx, 'bulk_probe', ['n', 'label'], { fixed: 'same' });
      try {
        await table.write(rows(1, 20_000));
        await table.write(rows(20_001, 3));
      } finally {
        await table.close();
      }
    });
    const written = (await db('bulk_probe').orderBy('n').select('n', 'label', 'fixed')) as {
      n: number;
      label: string;
      fixed: string;
    }[];
    expect(written).toHaveLength(20_003);
    expect(written[0]).toEqual({ n: 1, label: `row 1 "quoted", 'and' é`, fixed: 'same' });
    expect(written[20_002]).toEqual({
      n: 20_003,
      label: `row 20003 "quoted", 'and' é`,
      fixed: 'same',
    });
  });

  it('a refused chunk fails its write and leaves none of its rows; the writer goes on', async () => {
    const db = t.backend.services.db;
    await db.transaction(async (trx) => {
      const table = await bulkTable(trx, 'bulk_probe', ['n', 'label'], { fixed: 'same' });
      try {
        await table.write(rows(1, 10));
        // Row 5 is there already: the whole chunk is refused.
        const refused = [...rows(100, 9_000), ...rows(5, 1)];
        if (isSqlite(trx)) {
          // SQLite carries on in the transaction after a failed statement, with the same writer:
          // its staged rows must be gone, or the next write would move them again and fail.
          const failed = await table.write(refused).catch((err: unknown) => err);
          expect(String((failed as Error).message)).toMatch(/UNIQUE constraint failed/);
        } else {
          // PostgreSQL cannot go on after a failed statement: a savepoint, as a caller would.
          const failed = await trx
            .transaction(async (inner) => {
              const nested = await bulkTable(inner, 'bulk_probe', ['n', 'label'], { fixed: 'x' });
              try {
                await nested.write(refused);
              } finally {
                await nested.close();
              }
            })
            .catch((err: unknown) => err);
          expect(String((failed as Error).message)).toMatch(/duplicate key/);
        }
        await table.write(rows(11, 5));
      } finally {
        await table.close();
      }
    });
    const ns = (await db('bulk_probe').orderBy('n').pluck('n')) as number[];
    expect(ns).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const labels = (await db('bulk_probe').distinct('fixed').pluck('fixed')) as string[];
    expect(labels).toEqual(['same']);
  });
});
