import type { Knex } from 'knex';

/**
 * Pending grants of the administrator or compliance officer role (shared/four-eyes.ts): the
 * account holds the role only once a second holder approves. One pending grant per account.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('staff_role_grants', (t) => {
    t.uuid('id').primary();
    t.uuid('staff_id').notNullable().references('id').inTable('staff');
    t.string('role', 32).notNullable();
    // create | role_change | reactivate: what the grant completes when approved.
    t.string('kind', 16).notNullable();
    // Whether approval also activates the account (a new account, or a reactivation).
    t.boolean('activate').notNullable();
    // Who asked for it; null for the command line.
    t.uuid('granter_id').nullable().references('id').inTable('staff');
    t.string('requested_at', 30).notNullable();
    // pending | approved | rejected | withdrawn
    t.string('status', 16).notNullable();
    t.uuid('decided_by').nullable().references('id').inTable('staff');
    t.string('decided_at', 30).nullable();
    t.text('note').nullable();
    t.index(['status'], 'staff_role_grants_status');
    t.index(['staff_id'], 'staff_role_grants_staff');
  });
  // A partial unique index reads the same on SQLite and PostgreSQL.
  await db.raw(
    `CREATE UNIQUE INDEX staff_role_grants_one_pending ON staff_role_grants (staff_id) WHERE status = 'pending'`,
  );
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
