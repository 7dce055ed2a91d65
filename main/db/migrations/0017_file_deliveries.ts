import type { Knex } from 'knex';

/**
 * Files the team server produced for a workstation (issue 15): an export or a disclosure is
 * written on the server, its record first, and kept in the server's spool (encrypted under a key
 * only the workstation's one-time ticket derives) until the workstation fetches it, checks its
 * SHA-256 and links it under its final name. Only the ticket's SHA-256 is kept. A row is settled
 * once: `delivered` when the workstation confirmed the file in place, `abandoned` when it did
 * not arrive (the spool copy is deleted either way).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('file_deliveries', (t) => {
    t.uuid('id').primary();
    t.string('ticket_hash', 64).notNullable().unique();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    // The SHA-256 of the session token the file was made for: the ticket works in that one.
    t.string('session_hash', 64).notNullable();
    // The enrolled workstation's certificate serial (or its reported host name without one).
    t.string('workstation', 300).notNullable();
    t.string('file_name', 200).notNullable();
    t.bigInteger('bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('spool_path', 1000).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('settled_at', 30).nullable();
    t.string('outcome', 16).nullable();
    t.index(['staff_id', 'workstation', 'settled_at'], 'file_deliveries_pending');
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
