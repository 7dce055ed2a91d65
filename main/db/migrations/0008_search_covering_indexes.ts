import type { Knex } from 'knex';

/**
 * Name and phone searches scan two index ranges (last name or first name; the first digits or
 * the last), and the second range leaves out accounts the first already found: it tests the
 * first range's key too. Carrying that key in the second index answers the test from the index,
 * where it cost a table lookup per candidate (at 1,000,000 accounts, most of a name search).
 * The phone indexes also gain the id the keyset orders by, as the name indexes have it.
 */
const INDEXES: { name: string; columns: string[] }[] = [
  { name: 'accounts_first_key', columns: ['first_key', 'id', 'name_key'] },
  { name: 'accounts_phone_digits', columns: ['phone_digits', 'id'] },
  { name: 'accounts_phone_digits_rev', columns: ['phone_digits_rev', 'id', 'phone_digits'] },
];

export async function up(db: Knex): Promise<void> {
  for (const index of INDEXES) {
    await db.schema.alterTable('accounts', (t) => t.dropIndex([], index.name));
    await db.schema.alterTable('accounts', (t) => t.index(index.columns, index.name));
  }
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
