import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/** The counter that numbers changes on SQLite (PostgreSQL numbers them by transaction id). */
export const SYNC_SEQ_COUNTER = 'sync_seq';

/**
 * The change feed of offline workstations (issue 16): one row per account, holding the server
 * sequence number of its latest change (to the account, its standing or a hold). A workstation
 * asks for the rows above the number it last saw. No foreign key: a row whose account is gone
 * tells the workstation to remove it.
 *
 * Existing accounts all get the number of this migration, so a first fill reads them all.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sync_feed', (t) => {
    t.uuid('account_id').primary();
    t.bigInteger('seq').notNullable();
    t.index(['seq', 'account_id'], 'sync_feed_seq');
  });
  if (isSqlite(db)) {
    await db('counters').insert({ name: SYNC_SEQ_COUNTER, value: 1 });
    await db.raw(`insert into sync_feed (account_id, seq) select id, 1 from accounts`);
  } else {
    await db.raw(
      `insert into sync_feed (account_id, seq) select id, pg_current_xact_id()::text::bigint from accounts`,
    );
  }
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
