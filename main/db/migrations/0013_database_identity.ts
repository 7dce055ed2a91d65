import type { Knex } from 'knex';
import { v4 as uuidv4 } from 'uuid';

/**
 * A random identity for this database, made once. The audit witnesses written outside the
 * database (main/services/audit/witness.ts) are filed under it, so one witness folder can serve
 * several databases, and a copy of the database (a backup, a rollback) keeps its identity and
 * meets the witness that saw its later records.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('database_identity', (t) => {
    t.uuid('id').primary();
    t.string('created_at', 30).notNullable();
  });
  await db('database_identity').insert({ id: uuidv4(), created_at: new Date().toISOString() });
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
