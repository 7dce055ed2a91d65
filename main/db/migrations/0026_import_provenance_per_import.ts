import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/**
 * An import's provenance is recorded once per import, not once per account (issue 18). Until now
 * each imported account had its own `account_provenance` row, all alike but for the account and
 * the fields its row supplied: a third of a large import's writes. Now:
 * - `accounts.import_id` names the import an account came from (null for every other account);
 *   with the account's own provenance source and date and the import's row (file, SHA-256, who,
 *   when), that is the account's creation record (policy P1).
 * - `imports.fields` lists the fields the import's file supplied (JSON field keys).
 *
 * `import_id` is set when the account is created and never changed: a trigger refuses any change
 * to it, so a role that may update accounts (the team server's) cannot move an account's origin.
 * Accounts imported before this migration keep their `account_provenance` rows and no import_id.
 */
export async function up(db: Knex): Promise<void> {
  if (isSqlite(db)) {
    // Plain ALTER TABLE: knex would rebuild the table for a foreign key, dropping its triggers.
    await db.raw('ALTER TABLE accounts ADD COLUMN import_id char(36) NULL REFERENCES imports (id)');
    await db.raw(
      `CREATE TRIGGER accounts_import_id_fixed BEFORE UPDATE OF import_id ON accounts
       WHEN OLD.import_id IS NOT NEW.import_id
       BEGIN SELECT RAISE(ABORT, 'an account''s import is fixed when it is created'); END`,
    );
  } else {
    await db.schema.alterTable('accounts', (t) => {
      t.uuid('import_id').nullable().references('id').inTable('imports');
    });
    await db.raw(`
      CREATE OR REPLACE FUNCTION custodian_refuse_import_id_change() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'an account''s import is fixed when it is created';
      END $$ LANGUAGE plpgsql`);
    await db.raw(
      `CREATE TRIGGER accounts_import_id_fixed BEFORE UPDATE OF import_id ON accounts
       FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id)
       EXECUTE FUNCTION custodian_refuse_import_id_change()`,
    );
  }
  await db.schema.alterTable('imports', (t) => {
    t.text('fields').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
