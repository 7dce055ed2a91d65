import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { migrationSource } from '../../main/db/migrations';
import { createPgTestDatabase, engine, type PgTestDatabase } from './backend';

/**
 * A database of the engine under test with migrations up to (not including) `before`, as a
 * database made by an earlier release is: for tests of what a migration does to existing rows.
 * `dir` holds the SQLite file.
 */
export async function databaseBefore(
  before: string,
  dir: string,
): Promise<{ db: Knex; close(): Promise<void> }> {
  let config: DatabaseConfig;
  let pg: PgTestDatabase | undefined;
  if (engine === 'pg') {
    pg = await createPgTestDatabase();
    config = pg.config;
  } else {
    config = {
      client: 'sqlite',
      filename: path.join(dir, `before-${before}.sqlite`),
      key: randomBytes(32),
    };
  }
  const knex = connect(config);
  for (;;) {
    const [, pending] = (await knex.migrate.list({ migrationSource })) as [unknown, string[]];
    if (!pending[0] || pending[0] >= before) break;
    await knex.migrate.up({ migrationSource });
  }
  return {
    db: knex,
    close: async () => {
      await knex.destroy();
      await pg?.drop();
    },
  };
}
