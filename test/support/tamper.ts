import type { Knex } from 'knex';
import { isSqlite } from '../../main/db/connect';

/**
 * Runs raw statements against an append-only table with its protection removed, as someone with
 * direct access to the database file or server would, then puts the protection back.
 */
export async function tamper(
  db: Knex,
  table: string,
  fn: (db: Knex) => Promise<unknown>,
): Promise<void> {
  if (isSqlite(db)) {
    const triggers = (await db('sqlite_master')
      .where({ type: 'trigger', tbl_name: table })
      .select('name', 'sql')) as { name: string; sql: string }[];
    for (const t of triggers) await db.raw(`DROP TRIGGER ${t.name}`);
    try {
      await fn(db);
    } finally {
      for (const t of triggers) await db.raw(t.sql);
    }
    return;
  }
  await db.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  try {
    await fn(db);
  } finally {
    await db.raw(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }
}
