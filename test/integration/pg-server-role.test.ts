/**
 * The database defends itself (issue 15): the team server's role, granted by grantServerRole,
 * owns nothing and cannot UPDATE, DELETE or TRUNCATE an append-only table, drop its trigger or
 * migrate; it can do the server's work. Connects as that role and tries each.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../main/db/connect';
import { appendOnlyTables, grantServerRole } from '../../main/db/server-role';
import { createPgTestDatabase, type PgTestDatabase } from '../support/backend';
import { insertFinishedImport } from '../support/fixtures';
import { SERVER_ROLE, asServerRole } from '../support/team-server';

let created: PgTestDatabase;
let owner: Knex;
let server: Knex;

beforeAll(async () => {
  created = await createPgTestDatabase({ migrated: true });
  owner = connect(created.config);
  server = connect(await asServerRole(created.config));
});

afterAll(async () => {
  await server?.destroy();
  await owner?.destroy();
  await created?.drop();
});

/** Every table the migrations made append-only, as protectAppendOnly's calls name them. */
const EXPECTED = [
  'access_log_prunes',
  'account_changes',
  'account_provenance',
  'disclosure_accounts',
  'disclosure_approvals',
  'disclosure_log',
  'recipient_events',
  'field_access_changes',
  'hold_events',
  'staff_events',
  'standing_events',
];

describe('the team server role', () => {
  it('finds every append-only table', async () => {
    const found = await appendOnlyTables(owner);
    for (const table of EXPECTED) expect(found).toContain(table);
  });

  it('cannot update, delete or truncate any append-only table, nor drop its trigger', async () => {
    const tables = await appendOnlyTables(owner);
    expect(tables.length).toBeGreaterThanOrEqual(EXPECTED.length);
    for (const table of tables) {
      const column = (
        await owner('information_schema.columns').where({ table_name: table }).first('column_name')
      ).column_name as string;
      for (const sql of [
        `UPDATE ${table} SET ${column} = ${column} WHERE false`,
        `DELETE FROM ${table} WHERE false`,
        `TRUNCATE ${table}`,
        `DROP TRIGGER ${table}_append_only ON ${table}`,
        `ALTER TABLE ${table} DISABLE TRIGGER ALL`,
      ]) {
        await expect(server.raw(sql), `${sql} as ${SERVER_ROLE}`).rejects.toThrow(
          /permission denied|must be owner/,
        );
      }
      // Reading and appending are the server's work.
      await expect(server.raw(`SELECT count(*) FROM ${table}`)).resolves.toBeDefined();
    }
  });

  it('may update a running import, but never delete or truncate an import record', async () => {
    expect(await appendOnlyTables(owner, 'once-finished')).toEqual(['imports']);
    await expect(server.raw('UPDATE imports SET id = id WHERE false')).resolves.toBeDefined();
    for (const sql of ['DELETE FROM imports WHERE false', 'TRUNCATE imports']) {
      await expect(server.raw(sql), sql).rejects.toThrow(/permission denied/);
    }
  });

  it('cannot change the import an account came from, nor drop the trigger that keeps it', async () => {
    const importId = '01900000-0000-7000-8000-0000000000a1';
    const at = '2026-12-07T09:00:00.000Z';
    await insertFinishedImport(owner, { id: importId, fileName: 'accounts.csv', at });
    const id = '01900000-0000-7000-8000-0000000000a2';
    await owner('accounts').insert({
      id,
      account_number: 'C-ROLE-1',
      first_name: 'Imported',
      last_name: 'Once',
      provenance_source: 'import',
      provenance_date: '2026-12-07',
      name_key: 'once imported',
      first_key: 'imported once',
      created_at: at,
      updated_at: at,
      import_id: importId,
    });
    // The server updates accounts as its work, but not where one came from.
    await expect(server('accounts').where({ id }).update({ city: 'Leeds' })).resolves.toBe(1);
    for (const value of [null, '01900000-0000-7000-8000-0000000000a3']) {
      await expect(server('accounts').where({ id }).update({ import_id: value })).rejects.toThrow(
        /import is fixed/,
      );
    }
    for (const sql of [
      'DROP TRIGGER accounts_import_id_fixed ON accounts',
      'ALTER TABLE accounts DISABLE TRIGGER ALL',
    ]) {
      await expect(server.raw(sql), sql).rejects.toThrow(/must be owner/);
    }
    expect((await owner('accounts').where({ id }).first()).import_id).toBe(importId);
  });

  it('owns nothing and cannot migrate', async () => {
    const owned = await owner.raw(`SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = ?`, [
      SERVER_ROLE,
    ]);
    expect(owned.rows[0].n).toBe(0);
    await expect(server.raw('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied/);
    await expect(server.raw('UPDATE knex_migrations_lock SET is_locked = 0')).rejects.toThrow(
      /permission denied/,
    );
    await expect(server.raw('DROP TABLE staff')).rejects.toThrow(/must be owner/);
  });

  it('still reads and writes the working tables', async () => {
    await expect(server('staff').count({ n: '*' })).resolves.toBeDefined();
    await expect(
      server('settings')
        .update({ key: server.raw('key') })
        .where(server.raw('false')),
    ).resolves.toBe(0);
  });

  it('refuses a role name that is not a plain identifier, and a role that does not exist', async () => {
    await expect(grantServerRole(owner, 'x; DROP TABLE staff')).rejects.toThrow(/plain role name/);
    await expect(grantServerRole(owner, 'nobody_here')).rejects.toThrow(/CREATE ROLE nobody_here/);
  });
});
