/**
 * The bulk writer under the import, the seeder and migrate-data (main/db/engine/bulk.ts): rows
 * land in order, in chunks larger than one staging statement; every kind of value arrives as it
 * was given, typed by its column; a chunk the table refuses fails the write, leaves nothing of
 * itself behind, and the same writer goes on working.
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
  await t.backend.services.db.schema.createTable('bulk_kinds', (table) => {
    table.integer('n').primary();
    table.string('short', 8).nullable();
    table.text('long').nullable();
    table.bigInteger('big').nullable();
    table.boolean('flag').nullable();
    table.uuid('ref').nullable();
    table.string('at', 30).nullable();
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

  it('writes every kind of value as given, and refuses a text too long for its column', async () => {
    const db = t.backend.services.db;
    const naughty = [
      `quote " apostrophe ' backslash \\ \\u0041 slash /`,
      'tab\tnew line\ncarriage\r',
      'ÅÉÎ Ünal-Ça 漢字 عربى 🇩🇪 👩🏽‍💻',
      '{"json": ["inside", 1]}',
      '   padded   ',
      '',
      'null',
      '0x10',
    ];
    const columns = ['n', 'short', 'long', 'big', 'flag', 'ref'];
    const input = naughty.map((text, i) => [
      i + 1,
      text.slice(0, 8),
      text,
      i % 2 === 0 ? 9_007_199_254_740_991 - i : -i,
      i % 3 === 0 ? null : i % 3 === 1,
      i === 0 ? '01900000-0000-7000-8000-0000000000ab' : null,
    ]);
    await db.transaction(async (trx) => {
      const table = await bulkTable(trx, 'bulk_kinds', columns, { at: '2026-12-07T10:00:00Z' });
      try {
        await table.write(input);
      } finally {
        await table.close();
      }
    });
    const written = (await db('bulk_kinds').orderBy('n')) as Record<string, unknown>[];
    expect(
      written.map((r) => [
        Number(r.n),
        r.short,
        r.long,
        Number(r.big),
        r.flag === null ? null : Boolean(r.flag),
        r.ref,
        r.at,
      ]),
    ).toEqual(input.map((row) => [...row, '2026-12-07T10:00:00Z']));

    // A text longer than its column is refused, not cut short (SQLite does not check lengths).
    if (!isSqlite(db)) {
      const failed = await db
        .transaction(async (trx) => {
          const table = await bulkTable(trx, 'bulk_kinds', ['n', 'short'], {});
          try {
            await table.write([[100, 'nine char']]);
          } finally {
            await table.close();
          }
        })
        .catch((err: unknown) => err);
      expect(String((failed as Error).message)).toMatch(/too long/);
      expect(await db('bulk_kinds').where({ n: 100 })).toEqual([]);
    }
  });
});
