import type { Knex } from 'knex';

/**
 * Secrets the team server keeps for itself, shared by every instance on the database (issue 16):
 * the key that signs each staff member's offline-copy ticket. Read only by the server; no
 * channel answers a row of it. Made on first use.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('server_secrets', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
