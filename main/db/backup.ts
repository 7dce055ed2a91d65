/**
 * The SQL of backups: an online copy of the keyed database (VACUUM INTO on the keyed connection
 * writes an SQLCipher file under the same key; checked in test/integration/backup.test.ts), and
 * the facts a backup's manifest states and a restore checks: row counts, chain head, schema.
 */
import type { Knex } from 'knex';
import { isSqlite } from './connect';

export interface DatabaseFacts {
  /** The latest migration applied. */
  schemaVersion: string;
  /** Every table's row count, by name. */
  rowCounts: Record<string, number>;
  /** The disclosure chain's head (null before it exists). */
  chainHead: { seq: number; hash: string } | null;
}

export async function databaseFacts(db: Knex): Promise<DatabaseFacts> {
  const tables = (await db('sqlite_master')
    .where({ type: 'table' })
    .andWhereNot('name', 'like', 'sqlite_%')
    .orderBy('name')
    .pluck('name')) as string[];
  const rowCounts: Record<string, number> = {};
  for (const table of tables) {
    const row = (await db(table).count({ n: '*' }).first()) as { n: number | string };
    rowCounts[table] = Number(row.n);
  }
  const migration = (await db('knex_migrations').orderBy('name', 'desc').first('name')) as
    { name: string } | undefined;
  const head = (await db('audit_heads').where({ chain: 'disclosures' }).first('seq', 'hash')) as
    { seq: number | string; hash: string } | undefined;
  return {
    schemaVersion: migration?.name ?? '',
    rowCounts,
    chainHead: head ? { seq: Number(head.seq), hash: String(head.hash) } : null,
  };
}

export async function integrityOk(db: Knex): Promise<boolean> {
  const rows = (await db.raw('PRAGMA integrity_check')) as { integrity_check: string }[];
  return rows.length === 1 && rows[0]?.integrity_check === 'ok';
}

/** An online, consistent copy of the database into a new file, encrypted under the same key. */
export async function copyInto(db: Knex, file: string): Promise<void> {
  if (!isSqlite(db)) throw new Error('backups copy the embedded database only');
  await db.raw('VACUUM INTO ?', [file]);
}

/** Everything in the WAL written into the database file (before the file is copied or swapped). */
export async function checkpointWal(db: Knex): Promise<void> {
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
}
