import type { Knex } from 'knex';

/**
 * Sign-in attempt counters of the team server (issue 15), kept in the database so that every
 * server instance behind one address counts the same attempts: a guesser gains nothing by
 * reaching several instances. One row per key (an address, a username, an enrolment code) and
 * its current window; old rows are pruned.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('rate_counters', (t) => {
    t.string('name', 200).primary();
    t.integer('attempts').notNullable();
    // Milliseconds since the epoch at which the current window began.
    t.bigInteger('window_start').notNullable();
    t.index(['window_start'], 'rate_counters_window');
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
