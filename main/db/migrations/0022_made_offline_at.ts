import type { Knex } from 'knex';

/**
 * The time an offline change was made (issue 16). A team workstation replays changes made while
 * the server could not be reached; each record of one keeps, beside the server's own time of
 * receipt (its existing time column), the time the workstation says it was made. Null for
 * every change made online. A workstation's clock is its own: the server never takes a time
 * after its receipt (main/services/offline-claim.ts).
 */
const TABLES = ['account_provenance', 'standing_events', 'hold_events'] as const;

export async function up(db: Knex): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table, (t) => {
      t.string('made_offline_at', 30).nullable();
    });
  }
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
