/**
 * A large load's WAL copied into the database after the load, on a sibling connection
 * (main/db/engine/background-checkpoint.ts): the load's own COMMIT leaves the database file as it
 * was, the sibling (keyed as the pool's connection) copies the WAL, the automatic checkpoint comes
 * back on whatever happened, and the client waits for the sibling before it closes. SQLite only:
 * PostgreSQL has no such step.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../main/db/connect';
import { backgroundCheckpoints, deferCheckpoint } from '../../main/db/engine/background-checkpoint';
import type { ClientSQLCipher } from '../../main/db/sqlcipher';
import { DEFER_INDEXES_FROM, loadTransaction } from '../../main/db/stores/imports';

let dir: string;
let file: string;
let db: Knex | null;
let key: Buffer;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-checkpoint-'));
  file = path.join(dir, 'data.sqlite');
  key = randomBytes(32);
  db = connect({ client: 'sqlite', filename: file, key });
  await db.schema.createTable('probe', (t) => {
    t.integer('n').primary();
    t.text('pad').notNullable();
  });
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
});
afterEach(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const open = () => db!;
const fileBytes = () => fs.statSync(file).size;
const autocheckpoint = async () =>
  Number(
    ((await open().raw('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[])[0]
      ?.wal_autocheckpoint,
  );

/** About 12 MB of rows: three times the WAL's automatic checkpoint (1,000 pages of 4 KB). */
async function load(trx: Knex.Transaction, from = 0): Promise<void> {
  const pad = 'x'.repeat(4000);
  for (let i = 0; i < 3000; i += 500) {
    await trx('probe').insert(
      Array.from({ length: 500 }, (_, k) => ({ n: from + i + k, pad: `${from + i + k}${pad}` })),
    );
  }
}

describe('a deferred checkpoint (SQLite)', () => {
  it('leaves the database file as it was at the load’s commit, then copies the WAL into it', async () => {
    const before = fileBytes();
    const checkpoint = await deferCheckpoint(open());
    expect(await autocheckpoint()).toBe(0);
    await open().transaction((trx) => load(trx));
    // Committed, and only in the WAL: the commit copied nothing.
    expect(fileBytes()).toBe(before);
    expect(await open()('probe').count({ n: '*' })).toEqual([{ n: 3000 }]);

    checkpoint.start();
    await backgroundCheckpoints(open());
    // The sibling opened the encrypted file with its key and copied the load into it.
    expect(fileBytes()).toBeGreaterThan(before + 10_000_000);
    expect(await autocheckpoint()).toBe(1000);
  });

  it('copies after a load that failed too, and turns the automatic checkpoint back on', async () => {
    await expect(
      loadTransaction(open(), DEFER_INDEXES_FROM, async (trx) => {
        await load(trx);
        throw new Error('the load failed');
      }),
    ).rejects.toThrow('the load failed');
    await backgroundCheckpoints(open());
    expect(await autocheckpoint()).toBe(1000);
    expect(await open()('probe').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('defers only loads of DEFER_INDEXES_FROM rows or more', async () => {
    const before = fileBytes();
    await loadTransaction(open(), DEFER_INDEXES_FROM - 1, (trx) => load(trx));
    // A small load's commit checkpoints as every other commit does.
    expect(fileBytes()).toBeGreaterThan(before + 10_000_000);
    expect(await autocheckpoint()).toBe(1000);
  });

  it('leaves the copy to the next commit when the sibling cannot open', async () => {
    const client = open().client as ClientSQLCipher;
    client.openSibling = () => Promise.reject(new Error('no sibling'));
    const before = fileBytes();
    await loadTransaction(open(), DEFER_INDEXES_FROM, (trx) => load(trx));
    await backgroundCheckpoints(open());
    expect(fileBytes()).toBe(before);
    expect(await autocheckpoint()).toBe(1000);
    // The automatic checkpoint is back: the next commit copies the WAL.
    await open()('probe').insert({ n: -1, pad: 'next' });
    expect(fileBytes()).toBeGreaterThan(before + 10_000_000);
  });

  it('is awaited by the client before it closes', async () => {
    const order: string[] = [];
    const checkpoint = await deferCheckpoint(open());
    await open().transaction((trx) => load(trx));
    checkpoint.start();
    void backgroundCheckpoints(open()).then(() => order.push('checkpointed'));
    await open().destroy();
    order.push('closed');
    db = null;
    expect(order).toEqual(['checkpointed', 'closed']);
    const again = connect({ client: 'sqlite', filename: file, key });
    expect(await again('probe').count({ n: '*' })).toEqual([{ n: 3000 }]);
    await again.destroy();
  });
});
