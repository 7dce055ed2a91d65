import type { Knex } from 'knex';

/**
 * Workstations enrolled with the team server (issue 15). An administrator issues a one-time code
 * (only its SHA-256 is kept); the workstation answers with a key pair made on it and receives a
 * client certificate, whose serial is recorded here. Revoking sets revoked_at, and the server
 * refuses that certificate on its next request, on every instance.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('workstation_enrolments', (t) => {
    t.uuid('id').primary();
    t.string('label', 100).notNullable();
    t.string('code_hash', 64).notNullable().unique();
    t.uuid('issued_by').nullable().references('id').inTable('staff');
    t.string('issued_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    // Upper-case hex, as TLS reports a peer certificate's serial.
    t.string('cert_serial', 64).nullable().unique();
    t.string('cert_fingerprint', 100).nullable();
    t.string('enrolled_from', 64).nullable();
    t.string('revoked_at', 30).nullable();
    t.uuid('revoked_by').nullable().references('id').inTable('staff');
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
