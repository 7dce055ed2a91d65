import type { Knex } from 'knex';

/**
 * Verifying the disclosure log reads the accounting rows of each page of records by their record
 * (ChainStore.accountingRows): without an index on seq every page scanned the whole table, so a
 * log whose exports named millions of accounts took time in the square of its size to verify.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('disclosure_accounts', (t) => {
    t.index(['seq', 'account_id'], 'disclosure_accounts_by_record');
  });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
