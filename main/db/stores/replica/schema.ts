/**
 * The offline replica's own schema (issue 16): not the server's. A replica holds accounts as one
 * role saw them (a JSON bag of the visible fields, masked ones masked), the search keys of the
 * fields that role may read in full, and what it was filled under (the meta table).
 */
import type { Knex } from 'knex';

/** The replica's search and sort indexes: [name, columns]. */
const SEARCH_INDEXES: readonly (readonly [string, readonly string[]])[] = [
  ['replica_accounts_name', ['name_key', 'id']],
  ['replica_accounts_first', ['first_key', 'id']],
  ['replica_accounts_number', ['account_number', 'id']],
  ['replica_accounts_email', ['email_key', 'id']],
  ['replica_accounts_phone', ['phone_digits']],
  ['replica_accounts_created', ['created_at', 'id']],
];

/** Creates the search indexes that are missing (after a first fill made without them). */
export async function createSearchIndexes(db: Knex): Promise<void> {
  for (const [name, columns] of SEARCH_INDEXES) {
    await db.raw(
      `create index if not exists ?? on replica_accounts (${columns.map(() => '??').join(', ')})`,
      [name, ...columns],
    );
  }
}

/**
 * Drops them, for a first fill into an empty replica: six indexes in key orders unlike the
 * file's, written row by row, cost most of a large fill; built once at its end they cost little.
 */
export async function dropSearchIndexes(db: Knex): Promise<void> {
  for (const [name] of SEARCH_INDEXES) await db.raw('drop index if exists ??', [name]);
}

const MIGRATIONS: Record<string, Knex.Migration> = {
  r0001_replica: {
    async up(db: Knex) {
      await db.schema.createTable('replica_meta', (t) => {
        t.string('key', 64).primary();
        t.text('value').notNullable();
      });
      await db.schema.createTable('replica_accounts', (t) => {
        t.string('id', 36).primary();
        t.integer('version').notNullable();
        t.string('created_at', 30).notNullable();
        t.string('updated_at', 30).notNullable();
        t.text('fields').notNullable();
        // Search and sort keys, null where the role may not read the field in full.
        t.string('account_number', 32).nullable();
        t.string('name_key', 220).nullable();
        t.string('first_key', 220).nullable();
        t.string('email_key', 220).nullable();
        t.string('phone_digits', 20).nullable();
      });
      await createSearchIndexes(db);
    },
    async down() {
      throw new Error('Replica migrations are forward-only.');
    },
  },
  /**
   * Changes made offline, as commands in the order they were made: who, when (this
   * workstation's clock), the account version they were based on. Replayed in `seq` order; a
   * command keeps its row after replay with what the server answered (applied, conflict,
   * refused), so that nothing made offline is lost silently.
   */
  r0002_outbox: {
    async up(db: Knex) {
      await db.schema.createTable('replica_outbox', (t) => {
        t.increments('seq').primary();
        t.string('id', 36).notNullable().unique();
        t.string('staff_id', 36).notNullable();
        t.string('made_at', 30).notNullable();
        t.string('channel', 64).notNullable();
        t.string('account_id', 36).notNullable();
        t.integer('base_version').nullable();
        t.text('input').notNullable();
        t.string('status', 16).notNullable();
        t.text('outcome').nullable();
        t.string('replayed_at', 30).nullable();
        t.index(['status', 'seq'], 'replica_outbox_status');
      });
    },
    async down() {
      throw new Error('Replica migrations are forward-only.');
    },
  },
  /**
   * Reads made offline (policy P3): the entry each would have written online, with this
   * workstation's time, kept until the server has them.
   */
  r0003_access_log: {
    async up(db: Knex) {
      await db.schema.createTable('replica_access_log', (t) => {
        t.increments('seq').primary();
        t.string('staff_id', 36).notNullable();
        t.string('at', 30).notNullable();
        t.string('action', 32).notNullable();
        t.string('screen', 64).notNullable();
        t.string('query_kind', 32).nullable();
        t.text('record_ids').notNullable();
        t.integer('result_count').notNullable();
        t.string('uploaded_at', 30).nullable();
      });
    },
    async down() {
      throw new Error('Replica migrations are forward-only.');
    },
  },
};

const source: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(MIGRATIONS).sort()),
  getMigrationName: (name) => name,
  getMigration: (name) => Promise.resolve(MIGRATIONS[name]!),
};

/** Brings a replica file's schema up to date (its own migrations table, not the server's). */
export async function migrateReplica(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: source, tableName: 'replica_migrations' });
}
