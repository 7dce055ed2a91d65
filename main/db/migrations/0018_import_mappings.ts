import type { Knex } from 'knex';

/**
 * Column mappings confirmed at an import's check (issue 17), kept for the next file with the
 * same header: a file exported again from the same system is mapped as the last one was. Keyed
 * by the SHA-256 of the header's names; holds the targets only (field keys), never a row.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('import_mappings', (t) => {
    t.string('header_sha256', 64).primary();
    t.text('targets').notNullable();
    t.uuid('saved_by').nullable().references('id').inTable('staff');
    t.string('saved_at', 30).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
