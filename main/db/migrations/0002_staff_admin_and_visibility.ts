import type { Knex } from 'knex';
import { protectAppendOnly } from '../append-only';

/** Audited staff administration and audited changes to the field-visibility matrix. */
export async function up(db: Knex): Promise<void> {
  // Overrides of the shipped default matrix; absent rows mean "the default".
  await db.schema.createTable('field_access_overrides', (t) => {
    t.string('role', 32).notNullable();
    t.string('field', 64).notNullable();
    t.string('access', 8).notNullable();
    t.primary(['role', 'field']);
  });
  await db.schema.createTable('field_access_changes', (t) => {
    t.uuid('id').primary();
    t.string('role', 32).notNullable();
    t.string('field', 64).notNullable();
    t.string('old_access', 8).notNullable();
    t.string('new_access', 8).notNullable();
    t.text('reason').notNullable();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    t.string('changed_at', 30).notNullable();
  });
  await db.schema.createTable('staff_events', (t) => {
    t.uuid('id').primary();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    t.uuid('actor_id').nullable().references('id').inTable('staff');
    t.string('event', 32).notNullable(); // created | role_changed | renamed | deactivated | reactivated | password_reset
    t.text('detail').nullable(); // JSON: non-secret facts such as old and new role
    t.string('at', 30).notNullable();
    t.index(['staff_id'], 'staff_events_staff');
  });
  await protectAppendOnly(db, 'field_access_changes');
  await protectAppendOnly(db, 'staff_events');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
