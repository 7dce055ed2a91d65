import type { Knex } from 'knex';

/**
 * The team server's sign-in sessions (issue 15). A workstation holds an opaque random token;
 * only its SHA-256 is stored, so a copy of this table signs nobody in. Every server instance on
 * the database reads the same rows, so a sign-out or a revocation on one is seen by all at once.
 *
 * `seen_ip` on the access log is the address the server saw the request come from, beside
 * `ip`, which is what the workstation reports about itself (null when the backend ran in the
 * workstation, where the two are one).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('server_sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    // The role at sign-in, for the record; every request uses the staff table's current role.
    t.string('role', 32).notNullable();
    t.boolean('locked').notNullable().defaultTo(false);
    t.string('created_at', 30).notNullable();
    t.string('last_activity', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('client_hostname', 255).notNullable();
    t.string('seen_ip', 64).notNullable();
    t.index(['staff_id'], 'server_sessions_staff');
  });
  await db.schema.alterTable('access_log', (t) => {
    t.string('seen_ip', 64).nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
