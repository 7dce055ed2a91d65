import type { Knex } from 'knex';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_staff_admin_and_visibility';

/**
 * Migrations as numbered modules, listed here so that bundling keeps them (knex would otherwise
 * read a folder at run time). Forward-only; each runs in its own transaction.
 */
const MIGRATIONS: Record<string, Knex.Migration> = {
  '0001_initial': m0001,
  '0002_staff_admin_and_visibility': m0002,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(MIGRATIONS).sort()),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return Promise.resolve(migration);
  },
};

export async function migrateToLatest(db: Knex): Promise<{ applied: string[] }> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return { applied };
}

export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [
    unknown,
    { file?: string }[] | string[],
  ];
  return pending.map((p) => (typeof p === 'string' ? p : (p.file ?? String(p))));
}
