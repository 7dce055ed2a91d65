import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/**
 * A revision number of the access matrix, advanced by the database itself whenever any statement
 * changes field_access_overrides, whoever runs it. Workstations keep the matrix in memory and
 * read this revision in the same statement as the customer rows they answer with: an answer is
 * only given when it was projected with the matrix in force when its rows were read (see
 * main/services/visibility.ts). Reading the whole matrix on every call cost a third of a list
 * call on SQLite.
 */
export const ACCESS_MATRIX_COUNTER = 'access_matrix';

export async function up(db: Knex): Promise<void> {
  await db('counters').insert({ name: ACCESS_MATRIX_COUNTER, value: 0 });
  const advance = `UPDATE counters SET value = value + 1 WHERE name = '${ACCESS_MATRIX_COUNTER}'`;
  if (isSqlite(db)) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      await db.raw(
        `CREATE TRIGGER field_access_overrides_revision_${op.toLowerCase()}
         AFTER ${op} ON field_access_overrides BEGIN ${advance}; END`,
      );
    }
    return;
  }
  await db.raw(`
    CREATE FUNCTION custodian_advance_access_matrix() RETURNS trigger AS $$
    BEGIN ${advance}; RETURN NULL; END $$ LANGUAGE plpgsql`);
  await db.raw(`
    CREATE TRIGGER field_access_overrides_revision
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON field_access_overrides
    FOR EACH STATEMENT EXECUTE FUNCTION custodian_advance_access_matrix()`);
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
