import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';
import { isSqlite } from '../connect';

/** Staff, customer accounts with every catalogue field, provenance and field-level history. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('staff', (t) => {
    t.uuid('id').primary();
    t.string('username', 32).notNullable().unique();
    t.string('display_name', 100).notNullable();
    t.string('role', 32).notNullable();
    t.string('password_hash', 255).notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.string('locked_until', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await db.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });

  await db.schema.createTable('counters', (t) => {
    t.string('name', 64).primary();
    t.bigInteger('value').notNullable();
  });
  await db('counters').insert({ name: 'account_number', value: 0 });

  await db.schema.createTable('accounts', (t) => {
    t.uuid('id').primary();
    t.string('account_number', 32).notNullable().unique();
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    t.string('date_of_birth', 10).nullable();
    t.string('email', 254).nullable();
    t.string('phone', 32).nullable();
    t.string('address_line1', 200).nullable();
    t.string('address_line2', 200).nullable();
    t.string('city', 100).nullable();
    t.string('region', 100).nullable();
    t.string('postal_code', 10).nullable();
    t.string('country', 2).nullable();
    t.string('tax_id', 20).nullable();
    t.string('payment_brand', 32).nullable();
    t.string('payment_last4', 4).nullable();
    t.bigInteger('balance_cents').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable().defaultTo('USD');
    t.string('last_payment_date', 10).nullable();
    t.string('standing', 20).notNullable().defaultTo('good');
    t.text('support_notes').nullable();
    t.string('fraud_flag', 16).notNullable().defaultTo('none');
    t.text('fraud_notes').nullable();
    t.string('provenance_source', 16).notNullable();
    t.string('provenance_date', 10).notNullable();
    // Normalised search and sort keys (lower case, no diacritics), kept by the accounts service.
    t.string('name_key', 210).notNullable();
    t.string('first_key', 210).notNullable();
    t.string('email_key', 254).notNullable().defaultTo('');
    t.string('phone_digits', 15).nullable();
    t.string('phone_digits_rev', 15).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.uuid('updated_by').nullable().references('id').inTable('staff');
    t.integer('version').notNullable().defaultTo(1);
    t.check(`balance_cents >= 0`, [], 'accounts_balance_non_negative');
  });
  if (!isSqlite(db)) {
    // Search and sort keys compare by code point, as in SQLite, whatever collation the team's
    // server defaults to: the prefix searches (key <= x < key + U+10FFFF) and keyset pages rely on it.
    const keys = [
      ['account_number', 32],
      ['standing', 20],
      ['name_key', 210],
      ['first_key', 210],
      ['email_key', 254],
      ['phone_digits', 15],
      ['phone_digits_rev', 15],
    ] as const;
    for (const [column, length] of keys) {
      await db.raw(`ALTER TABLE accounts ALTER COLUMN ?? TYPE varchar(${length}) COLLATE "C"`, [
        column,
      ]);
    }
  }
  await db.schema.alterTable('accounts', (t) => {
    t.index(['name_key', 'id'], 'accounts_name_key');
    t.index(['first_key', 'id'], 'accounts_first_key');
    t.index(['email_key', 'id'], 'accounts_email_key');
    t.index(['phone_digits'], 'accounts_phone_digits');
    t.index(['phone_digits_rev'], 'accounts_phone_digits_rev');
    t.index(['balance_cents', 'id'], 'accounts_balance');
    t.index(['standing', 'id'], 'accounts_standing');
  });

  // P1: every account and every change to its fields records where the customer supplied it.
  await db.schema.createTable('account_provenance', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.string('event', 16).notNullable(); // created | updated | imported
    t.string('source', 16).notNullable();
    t.string('source_date', 10).notNullable();
    t.text('fields').notNullable(); // JSON array of field keys
    t.uuid('staff_id').nullable().references('id').inTable('staff');
    t.string('recorded_at', 30).notNullable();
    t.index(['account_id', 'recorded_at'], 'account_provenance_account');
  });

  // Field-level change history: one row per changed field, tied to its provenance event.
  await db.schema.createTable('account_changes', (t) => {
    t.uuid('id').primary();
    t.uuid('provenance_id').notNullable().references('id').inTable('account_provenance');
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.string('field', 64).notNullable();
    t.text('old_value').nullable();
    t.text('new_value').nullable();
    t.index(['account_id'], 'account_changes_account');
  });

  await protectAppendOnly(db, 'account_provenance');
  await protectAppendOnly(db, 'account_changes');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
