import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';

/** Third-party recipients, the disclosure gate's requests and approvals, the hash-chained
 * disclosure log, and the access log (policy P2, P3, P5, P7). */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('recipients', (t) => {
    t.uuid('id').primary();
    t.string('name', 200).notNullable();
    t.string('type', 32).notNullable();
    t.text('contact').notNullable(); // postal address, phone, email of the recipient
    t.string('reference', 200).nullable(); // agreement or legal reference
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });
  await db.schema.createTable('recipient_events', (t) => {
    t.uuid('id').primary();
    t.uuid('recipient_id').notNullable().references('id').inTable('recipients');
    t.uuid('actor_id').notNullable().references('id').inTable('staff');
    t.string('event', 32).notNullable();
    t.text('snapshot').notNullable(); // JSON of the recipient after the change
    t.string('at', 30).notNullable();
  });

  await db.schema.createTable('disclosure_requests', (t) => {
    t.uuid('id').primary();
    t.uuid('requester_id').notNullable().references('id').inTable('staff');
    t.uuid('recipient_id').notNullable().references('id').inTable('recipients');
    t.string('purpose', 32).notNullable();
    t.text('account_ids').notNullable(); // JSON array
    t.text('fields').notNullable(); // JSON array
    t.string('format', 8).notNullable();
    t.text('legal').nullable(); // JSON: instrument type, reference, authority, date
    t.text('justification').nullable();
    t.string('status', 16).notNullable(); // pending | approved | rejected | done
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await db.schema.createTable('disclosure_approvals', (t) => {
    t.uuid('id').primary();
    t.uuid('request_id').notNullable().references('id').inTable('disclosure_requests');
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    t.string('role', 32).notNullable();
    t.string('decision', 16).notNullable(); // approved | rejected
    t.text('note').nullable();
    t.string('at', 30).notNullable();
    t.unique(['request_id', 'staff_id']);
  });

  // One head per hash chain, read and advanced in the appending transaction under a lock.
  await db.schema.createTable('audit_heads', (t) => {
    t.string('chain', 32).primary();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
  await db('audit_heads').insert({ chain: 'disclosures', seq: 0, hash: '0'.repeat(64) });

  await db.schema.createTable('disclosure_log', (t) => {
    t.bigInteger('seq').primary();
    t.uuid('id').notNullable().unique();
    t.string('kind', 16).notNullable(); // refused | admitted | completed | abandoned
    t.bigInteger('ref_seq').nullable(); // completed/abandoned -> the admitted record
    t.string('recorded_at', 30).notNullable();
    t.uuid('staff_id').nullable();
    t.string('staff_name', 200).nullable();
    t.string('workstation', 255).notNullable();
    t.text('approvers').notNullable(); // JSON
    t.uuid('recipient_id').nullable();
    t.string('recipient_name', 200).nullable();
    t.text('recipient_contact').nullable();
    t.string('recipient_type', 32).nullable();
    t.string('purpose', 32).notNullable();
    t.text('legal_basis').notNullable();
    t.text('account_ids').notNullable(); // JSON
    t.text('fields').notNullable(); // JSON
    t.integer('row_count').notNullable();
    t.text('file_path').nullable();
    t.string('format', 8).nullable();
    t.string('sha256', 64).nullable();
    t.text('refusal').nullable();
    t.uuid('request_id').nullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
  });
  // Per customer, the accounting of disclosures: which records included them.
  await db.schema.createTable('disclosure_accounts', (t) => {
    t.bigInteger('seq').notNullable().references('seq').inTable('disclosure_log');
    t.uuid('account_id').notNullable();
    t.primary(['account_id', 'seq']);
  });

  await db.schema.createTable('access_log', (t) => {
    t.uuid('id').primary();
    t.string('at', 30).notNullable();
    t.uuid('staff_id').nullable();
    t.string('hostname', 255).notNullable();
    t.string('ip', 64).notNullable();
    t.string('os', 255).notNullable();
    t.string('app_version', 32).notNullable();
    t.string('action', 32).notNullable();
    t.string('screen', 64).notNullable();
    t.string('query_kind', 32).nullable();
    t.text('record_ids').notNullable(); // JSON
    t.integer('result_count').notNullable();
    t.index(['at'], 'access_log_at');
    t.index(['staff_id', 'at'], 'access_log_staff');
  });
  await db.schema.createTable('access_log_accounts', (t) => {
    t.uuid('access_id').notNullable().references('id').inTable('access_log').onDelete('CASCADE');
    t.uuid('account_id').notNullable();
    t.primary(['account_id', 'access_id']);
  });
  await db.schema.createTable('access_log_prunes', (t) => {
    t.uuid('id').primary();
    t.string('at', 30).notNullable();
    t.uuid('staff_id').nullable();
    t.string('cutoff', 30).notNullable();
    t.integer('removed').notNullable();
    t.integer('retention_days').notNullable();
  });

  for (const table of [
    'recipient_events',
    'disclosure_approvals',
    'disclosure_log',
    'disclosure_accounts',
    'access_log_prunes',
  ]) {
    await protectAppendOnly(db, table);
  }
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
