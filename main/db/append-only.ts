import type { Knex } from 'knex';
import { isSqlite } from './connect';

/**
 * Makes the database itself refuse UPDATE and DELETE on a table, so that an append-only record
 * cannot be changed by any code path, only by someone who drops the trigger first.
 */
export async function protectAppendOnly(db: Knex, table: string): Promise<void> {
  if (isSqlite(db)) {
    for (const op of ['UPDATE', 'DELETE']) {
      await db.raw(
        `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
         BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      );
    }
    return;
  }
  await db.raw(`
    CREATE OR REPLACE FUNCTION custodian_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`);
  await db.raw(
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
     FOR EACH ROW EXECUTE FUNCTION custodian_refuse_change()`,
  );
  await db.raw(
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
     FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse_change()`,
  );
}
