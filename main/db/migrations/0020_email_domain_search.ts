import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import { emailDomainSql } from '../stores/accounts/account-row';

/**
 * A search by an email's domain ("@example.com", or its start) is a range of an index of its own:
 * the domain, as an expression over the email key (no column to fill, nothing for the writers to
 * derive), beside the id and the name key, so that a domain search sorted by name, the usual way
 * to read one, is answered from the index as the email search is (migration 0009).
 */
export async function up(db: Knex): Promise<void> {
  const domain = emailDomainSql(isSqlite(db), '"email_key"');
  await db.raw(`CREATE INDEX accounts_email_domain ON accounts ((${domain}), id, name_key)`);
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
