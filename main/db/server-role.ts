/**
 * The team server's database role (issue 15): the server connects as a role that owns nothing,
 * may read and write the working tables, may only read and append to the append-only ones (no
 * UPDATE, DELETE or TRUNCATE), and may not migrate. Migrations run as the owner, who grants this
 * after each migration. Even the server's own credentials then cannot rewrite the disclosure log
 * or drop its triggers (dropping a trigger needs ownership).
 */
import type { Knex } from 'knex';

/**
 * Tables with an append-only trigger: `strict` ones (protectAppendOnly's, every row final) and
 * those whose rows are final once finished (imports: a running import updates its own row).
 */
export async function appendOnlyTables(
  db: Knex,
  kind: 'strict' | 'once-finished' = 'strict',
): Promise<string[]> {
  const rows = (await db
    .select('event_object_table as table', 'action_statement as action')
    .from('information_schema.triggers')
    .where('trigger_schema', db.raw('current_schema()'))
    .andWhere('trigger_name', 'like', '%\\_append\\_only')) as { table: string; action: string }[];
  const strict = (r: { action: string }) => r.action.includes('custodian_refuse_change()');
  return [
    ...new Set(rows.filter((r) => (kind === 'strict') === strict(r)).map((r) => r.table)),
  ].sort();
}

const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

export class ServerRoleError extends Error {
  override name = 'ServerRoleError';
}

/** Role names are identifiers we quote ourselves: keep them plain. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Grants `role` exactly what the server needs, on every table as the schema is now; run as the
 * owner after every migration. The role must exist already (its password is the DBA's business
 * and never passes through Custodian).
 */
export async function grantServerRole(db: Knex, role: string): Promise<{ appendOnly: string[] }> {
  if (!ROLE_NAME.test(role)) {
    throw new ServerRoleError(
      `"${role}" is not a plain role name (a-z, 0-9 and _, starting with a letter or _).`,
    );
  }
  const exists = await db.select(1).from('pg_roles').where('rolname', role).first();
  if (!exists) {
    throw new ServerRoleError(
      `There is no database role ${role}. Create it first (as a superuser or a role with CREATEROLE): CREATE ROLE ${role} LOGIN PASSWORD '...';`,
    );
  }
  const owner = (await db.raw('select current_user as u')) as { rows: { u: string }[] };
  if (owner.rows[0]?.u === role) {
    throw new ServerRoleError('Run this as the owner of the tables, not as the server role.');
  }
  const appendOnly = await appendOnlyTables(db);
  const finishOnce = await appendOnlyTables(db, 'once-finished');
  const tables = (
    (await db
      .select('tablename')
      .from('pg_tables')
      .where('schemaname', db.raw('current_schema()'))) as { tablename: string }[]
  ).map((r) => r.tablename);
  await db.transaction(async (trx) => {
    await trx.raw('GRANT USAGE ON SCHEMA ?? TO ??', [await schemaOf(trx), role]);
    for (const table of tables) {
      await trx.raw('REVOKE ALL ON ?? FROM ??', [table, role]);
      if (KNEX_TABLES.includes(table)) {
        // The server checks that the schema is current; it never migrates.
        await trx.raw('GRANT SELECT ON ?? TO ??', [table, role]);
      } else if (appendOnly.includes(table)) {
        await trx.raw('GRANT SELECT, INSERT ON ?? TO ??', [table, role]);
      } else if (finishOnce.includes(table)) {
        // Its trigger refuses changes to a finished row; nothing is ever deleted.
        await trx.raw('GRANT SELECT, INSERT, UPDATE ON ?? TO ??', [table, role]);
      } else {
        await trx.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON ?? TO ??', [table, role]);
      }
    }
    await trx.raw('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ?? TO ??', [
      await schemaOf(trx),
      role,
    ]);
  });
  return { appendOnly };
}

async function schemaOf(db: Knex): Promise<string> {
  const r = (await db.raw('select current_schema() as s')) as { rows: { s: string }[] };
  return r.rows[0]!.s;
}
