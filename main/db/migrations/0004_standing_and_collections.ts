import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';

/** The standing workflow's history, collection holds, and collection batches (DESIGN.md section 5). */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('accounts', (t) => {
    t.integer('days_past_due').notNullable().defaultTo(0);
  });
  await db.schema.alterTable('accounts', (t) => {
    t.index(['standing', 'days_past_due'], 'accounts_standing_days');
  });

  await db.schema.createTable('standing_events', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.string('from_standing', 20).notNullable();
    t.string('to_standing', 20).notNullable();
    t.string('reason', 32).notNullable();
    t.text('note').nullable();
    t.bigInteger('balance_cents').notNullable();
    t.integer('days_past_due').notNullable();
    t.uuid('staff_id').nullable().references('id').inTable('staff');
    t.uuid('batch_id').nullable();
    t.string('at', 30).notNullable();
    t.index(['account_id', 'at'], 'standing_events_account');
  });

  await db.schema.createTable('account_holds', (t) => {
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.string('kind', 24).notNullable();
    t.string('since', 10).notNullable();
    t.text('note').notNullable();
    t.uuid('set_by').notNullable().references('id').inTable('staff');
    t.string('set_at', 30).notNullable();
    t.primary(['account_id', 'kind']);
  });
  await db.schema.createTable('hold_events', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.string('kind', 24).notNullable();
    t.string('event', 8).notNullable(); // set | cleared
    t.string('since', 10).nullable();
    t.text('note').nullable();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    t.string('at', 30).notNullable();
  });

  await db.schema.createTable('collection_batches', (t) => {
    t.uuid('id').primary();
    t.string('number', 16).notNullable().unique();
    t.uuid('agency_id').notNullable().references('id').inTable('recipients');
    t.string('status', 16).notNullable(); // sent | recalled
    t.string('currency', 3).notNullable();
    t.integer('account_count').notNullable();
    t.bigInteger('total_cents').notNullable();
    t.text('filters').notNullable(); // JSON
    t.bigInteger('disclosure_seq').nullable();
    t.uuid('created_by').notNullable().references('id').inTable('staff');
    t.string('sent_at', 30).notNullable();
    t.uuid('recalled_by').nullable().references('id').inTable('staff');
    t.string('recalled_at', 30).nullable();
    t.text('recall_reason').nullable();
  });
  await db.schema.createTable('collection_placements', (t) => {
    t.uuid('batch_id').notNullable().references('id').inTable('collection_batches');
    t.uuid('account_id').notNullable().references('id').inTable('accounts');
    t.bigInteger('balance_placed_cents').notNullable();
    t.string('itemisation_date', 10).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.primary(['batch_id', 'account_id']);
    t.index(['account_id', 'active'], 'collection_placements_account');
  });
  await db('counters').insert({ name: 'collection_batch', value: 0 });

  await protectAppendOnly(db, 'standing_events');
  await protectAppendOnly(db, 'hold_events');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
