import type { Knex } from 'knex';

/**
 * How a saved column mapping's date columns write their dates (issue 17): the order of day,
 * month and year the user confirmed ({"dateOfBirth":"DMY"}), offered again with the mapping for
 * the next file with the same header. Null for mappings saved before, and for files without a
 * date column. Holds field keys and orders only, never a value.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('import_mappings', (t) => {
    t.text('date_formats').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
