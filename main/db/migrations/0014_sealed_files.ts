import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';

/**
 * Disclosure files sealed for their recipient (issue 14): a recipient's OpenPGP public key, and
 * for every sealed file the SHA-256 of its plaintext beside that of the sealed file (the chain
 * record's sha256 is the file on disk, which start-up recovery compares).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('recipients', (t) => {
    t.text('openpgp_key').nullable();
    t.string('openpgp_fingerprint', 64).nullable();
  });
  await db.schema.createTable('sealed_files', (t) => {
    t.bigInteger('seq').primary().references('seq').inTable('disclosure_log');
    t.string('plaintext_sha256', 64).notNullable();
    t.string('sealed_sha256', 64).notNullable();
    t.string('fingerprint', 64).notNullable();
  });
  await protectAppendOnly(db, 'sealed_files');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
