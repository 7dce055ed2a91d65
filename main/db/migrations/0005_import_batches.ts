import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/**
 * Imports of customer accounts from a file (policy P1: an imported account's provenance names
 * the file it came from). One row per committed import; each imported account's provenance
 * record points at it. An import row is completed once, in the importing transaction, and is
 * then append-only: neither changed nor removed.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('imports', (t) => {
    t.uuid('id').primary();
    t.string('file_name', 255).notNullable(); // the file's name, without its folder
    t.string('sha256', 64).notNullable();
    t.integer('rows_total').notNullable();
    t.integer('rows_imported').notNullable();
    t.integer('rows_rejected').notNullable();
    t.uuid('staff_id').nullable().references('id').inTable('staff');
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30).nullable();
  });

  if (isSqlite(db)) {
    // Plain ALTER TABLE: knex would rebuild the table for a foreign key, dropping its triggers.
    await db.raw(
      'ALTER TABLE account_provenance ADD COLUMN import_id char(36) NULL REFERENCES imports (id)',
    );
    for (const op of ['UPDATE', 'DELETE']) {
      const when = op === 'UPDATE' ? 'WHEN OLD.finished_at IS NOT NULL ' : '';
      await db.raw(
        `CREATE TRIGGER imports_no_${op.toLowerCase()} BEFORE ${op} ON imports ${when}
         BEGIN SELECT RAISE(ABORT, 'imports is append-only once finished'); END`,
      );
    }
  } else {
    await db.schema.alterTable('account_provenance', (t) => {
      t.uuid('import_id').nullable().references('id').inTable('imports');
    });
    await db.raw(`
      CREATE OR REPLACE FUNCTION custodian_refuse_finished_import_change() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.finished_at IS NULL THEN RETURN NEW; END IF;
        RAISE EXCEPTION 'imports is append-only once finished';
      END $$ LANGUAGE plpgsql`);
    await db.raw(
      `CREATE TRIGGER imports_append_only BEFORE UPDATE OR DELETE ON imports
       FOR EACH ROW EXECUTE FUNCTION custodian_refuse_finished_import_change()`,
    );
    await db.raw(
      `CREATE TRIGGER imports_no_truncate BEFORE TRUNCATE ON imports
       FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse_finished_import_change()`,
    );
  }
  await db.schema.alterTable('account_provenance', (t) => {
    t.index(['import_id'], 'account_provenance_import');
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
