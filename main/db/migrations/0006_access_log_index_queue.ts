import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/**
 * The access log's per-account index is filled in batches. Writing it with each entry put 50
 * random-key index insertions (one page of a list) on every read a user made: on SQLite at
 * 1,000,000 accounts that was most of a list call's time, and the WAL pages it dirtied made every
 * twentieth call wait for a checkpoint. An entry now records its accounts in `record_ids` and a
 * row in this queue, both appended in key order; the queue is moved into access_log_accounts
 * set-wise, sorted by account, when the console is idle and before anything reads that index.
 *
 * Also: access_log_accounts is keyed by account first, so removing the accounts of pruned
 * entries (and the foreign key's check when an entry is deleted) scanned the whole table; an
 * index by entry makes pruning proportional to what it removes.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('access_log_pending', (t) => {
    t.uuid('access_id').primary().references('id').inTable('access_log').onDelete('CASCADE');
  });
  await db.schema.alterTable('access_log_accounts', (t) => {
    t.index(['access_id'], 'access_log_accounts_access');
  });
  if (isSqlite(db)) {
    // The entry queues itself: one INSERT statement per read, with no transaction around two.
    // (On PostgreSQL the service writes both in one statement.)
    await db.raw(`
      CREATE TRIGGER access_log_queue AFTER INSERT ON access_log
      WHEN NEW.record_ids <> '[]'
      BEGIN INSERT INTO access_log_pending (access_id) VALUES (NEW.id); END`);
  }
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
