/**
 * The database layer behaves the same on SQLite and PostgreSQL: the shapes values come back in,
 * the server-clock timestamps, and the append-only tables the database itself protects.
 * Runs in both the "sqlite" and the "pg" project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { dbNow, isSqlite } from '../../main/db/connect';
import { encodeCursor } from '../../main/db/stores/accounts/keyset';
import type { Session } from '../../main/services/session';
import { ADMIN, engine, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';

let t: TestBackend;
let db: Knex;
let admin: Session;

beforeAll(async () => {
  t = await openTestBackend();
  db = t.backend.services.db;
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  // One row at least in each append-only table the API writes to.
  const support = await signedInAs(t, 'support_agent', 'sam');
  const created = await t.call(support, 'accounts.create', {
    fields: { firstName: 'Ana', lastName: 'Abbott', email: 'ana@abbott.example' },
    provenance: { source: 'phone', date: '2026-11-20' },
  });
  await t.call(support, 'accounts.update', {
    id: created.id,
    version: created.version,
    changes: { city: 'Oakland' },
    provenance: { source: 'email', date: '2026-11-21' },
  });
  await t.call(admin, 'staff.create', {
    username: 'fay',
    displayName: 'Fay Fraud',
    role: 'fraud_analyst',
    temporaryPassword: 'temporary password 1',
  });
  await t.call(admin, 'visibility.update', {
    changes: [{ role: 'support_agent', field: 'supportNotes', access: 'read' }],
    reason: 'Notes are edited by team leads only from now on.',
  });
});
afterAll(async () => t?.close());

it('runs on the engine the project asked for', () => {
  expect(t.engine).toBe(engine);
  expect(isSqlite(db)).toBe(engine === 'sqlite');
});

describe('values come back in one shape on both engines', () => {
  it('dbNow is ISO-8601 UTC text with milliseconds, from the database clock', async () => {
    const before = Date.now();
    const row = (await db.first({ now: dbNow(db) })) as { now: unknown };
    expect(typeof row.now).toBe('string');
    const now = row.now as string;
    expect(now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(new Date(now).toISOString()).toBe(now);
    expect(Math.abs(Date.parse(now) - before)).toBeLessThan(60_000);
  });

  it('stores record times as that text, ordered as time', async () => {
    const events = await db('account_provenance').orderBy('id').select('recorded_at');
    expect(events).toHaveLength(2);
    for (const e of events) expect(e.recorded_at).toMatch(/Z$/);
    expect(events[0].recorded_at <= events[1].recorded_at).toBe(true);
  });

  it('counts and bigint columns are numbers, not text', async () => {
    const count = await db('staff').count<{ n: unknown }[]>({ n: '*' }).first();
    expect(count?.n).toBe(3);
    const account = await db('accounts').first('balance_cents');
    expect(account.balance_cents).toBe(0);
    const counter = await db('counters').where({ name: 'account_number' }).first('value');
    expect(counter.value).toBe(1);
  });

  it('booleans are stored so that where({ active: true }) finds them', async () => {
    const active = await db('staff').where({ active: true }).count<{ n: unknown }[]>({ n: '*' });
    expect(Number(active[0]?.n)).toBe(3);
    const must = await db('staff').where({ must_change_password: true }).select('username');
    expect(must.map((r) => r.username)).toEqual(['fay']);
  });
});

describe('list positions a caller sends back', () => {
  // A cursor is opaque to the caller but can be forged. A key that is no whole number is only a
  // value to SQLite, but an error inside PostgreSQL: both engines must refuse it in words, the
  // same way.
  it('refuses a well-formed accounts cursor whose key is not an account key', async () => {
    const support = t.backend.openSession();
    await t.call(support, 'auth.login', { username: 'sam', password: STAFF_PASSWORD });
    const forged = (position: unknown[]) =>
      Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    for (const key of ['not-a-number', '', '12', 0, -1, 1.5, 2 ** 60, null]) {
      const err = await t.fail(support, 'accounts.list', {
        sort: 'name',
        cursor: forged(['abbott ana', key]),
      });
      expect(err.code).toBe('VALIDATION');
    }
    // The order by creation takes a key as its value too.
    for (const value of ['01900000-0000-7000-8000-000000000001', 1.5]) {
      const err = await t.fail(support, 'accounts.list', {
        sort: 'createdAt',
        cursor: forged([value, 1]),
      });
      expect(err.code).toBe('VALIDATION');
    }
  });

  it('refuses an accounts cursor whose value is not of the sort column type', async () => {
    const support = t.backend.openSession();
    await t.call(support, 'auth.login', { username: 'sam', password: STAFF_PASSWORD });
    const err = await t.fail(support, 'accounts.list', {
      sort: 'balanceCents',
      cursor: encodeCursor('lots', 1),
    });
    expect(err.code).toBe('VALIDATION');
    // A genuine position still works.
    await t.call(support, 'accounts.list', { sort: 'balanceCents', cursor: encodeCursor(0, 1) });
  });

  it('refuses an access log cursor that is not a record id', async () => {
    const compliance = await signedInAs(t, 'compliance_officer', 'cora');
    const err = await t.fail(compliance, 'accessLog.list', { cursor: 'not-a-uuid' });
    expect(err.code).toBe('VALIDATION');
  });
});

describe('append-only tables refuse UPDATE, DELETE and TRUNCATE', () => {
  const TABLES = ['account_provenance', 'account_changes', 'staff_events', 'field_access_changes'];

  /** Every table with an append-only trigger, read from the database's own catalogue. */
  async function protectedTables(): Promise<string[]> {
    if (isSqlite(db)) {
      const rows = await db('sqlite_master').where({ type: 'trigger' }).select('name', 'tbl_name');
      return rows
        .filter((r: { name: string; tbl_name: string }) => r.name === `${r.tbl_name}_no_update`)
        .map((r: { tbl_name: string }) => r.tbl_name)
        .sort();
    }
    const { rows } = await db.raw(
      `SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
       WHERE g.tgname = c.relname || '_append_only' ORDER BY 1`,
    );
    return rows.map((r: { relname: string }) => r.relname);
  }

  it('protects every append-only table the migrations declare', async () => {
    const tables = await protectedTables();
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    if (engine === 'pg') {
      // Each protected table also has its statement-level TRUNCATE trigger.
      const { rows } = await db.raw(
        `SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
         WHERE g.tgname = c.relname || '_no_truncate' ORDER BY 1`,
      );
      expect(rows.map((r: { relname: string }) => r.relname)).toEqual(tables);
    }
  });

  it.each(TABLES)('%s keeps its rows whatever is tried', async (table) => {
    const before = await db(table).select('*').orderBy('id');
    expect(before.length).toBeGreaterThan(0);
    const [column] = Object.keys(before[0]).filter((c) => c !== 'id');
    await expect(db(table).update({ [column!]: before[0][column!] })).rejects.toThrow(
      /append-only/,
    );
    await expect(db(table).where({ id: before[0].id }).del()).rejects.toThrow(/append-only/);
    await expect(
      engine === 'pg' ? db.raw(`TRUNCATE ${table} CASCADE`) : db(table).truncate(),
    ).rejects.toThrow(/append-only/);
    expect(await db(table).select('*').orderBy('id')).toEqual(before);
  });
});
