import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';

/**
 * What was done with the database's keys and copies (issue 14): backups made, restores, new
 * recovery keys, the upgrade to encryption. Append-only; never a key, only facts about it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('key_events', (t) => {
    t.uuid('id').primary();
    t.string('event', 32).notNullable(); // backup | restore | recovery_key_regenerated
    t.uuid('actor_id').nullable().references('id').inTable('staff');
    t.string('via', 20).notNullable(); // console | command line | schedule
    t.text('detail').nullable(); // JSON: file name, SHA-256, row counts, chain head
    t.string('at', 30).notNullable();
    t.index(['at'], 'key_events_at');
  });
  await protectAppendOnly(db, 'key_events');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
