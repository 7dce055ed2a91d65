/**
 * The access log's per-account index is filled in batches, after the entry itself is written
 * (migration 0006): these check that nothing is lost or doubled on the way, on both engines.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import type { Session } from '../../main/services/session';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';

let t: TestBackend;
const extra: Backend[] = [];
afterEach(async () => {
  for (const b of extra.splice(0)) await b.close();
  await t?.close();
});

async function setUp(clock?: ManualClock) {
  t = await openTestBackend(clock ? { clock } : {});
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const support = await signedInAs(t, 'support_agent', 'sam');
  const compliance = await signedInAs(t, 'compliance_officer', 'cora');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  const accounts = [];
  for (let i = 0; i < 12; i++) accounts.push(await fx.create({ lastName: `Indexed${i}` }));
  return { support, compliance, accounts };
}

const count = async (table: string, db = t.backend.services.db) =>
  Number((await db(table).count({ n: '*' }))[0]!.n);

/** Every account id of every entry, as the index should hold them. */
async function expectedIndexRows(db = t.backend.services.db): Promise<string[]> {
  const entries = (await db('access_log').select('id', 'record_ids')) as {
    id: string;
    record_ids: string;
  }[];
  return entries
    .flatMap((e) => (JSON.parse(e.record_ids) as string[]).map((a) => `${a}/${e.id}`))
    .sort();
}

async function indexRows(db = t.backend.services.db): Promise<string[]> {
  const rows = (await db('access_log_accounts').select('account_id', 'access_id')) as {
    account_id: string;
    access_id: string;
  }[];
  return rows.map((r) => `${r.account_id}/${r.access_id}`).sort();
}

async function browse(session: Session, pages: number) {
  for (let i = 0; i < pages; i++) await t.call(session, 'accounts.list', { limit: 5 });
}

describe('the access log index', () => {
  it('writes the entry at once and finds it by account before the index has caught up', async () => {
    const { support, compliance, accounts } = await setUp();
    await t.call(support, 'accounts.get', { id: accounts[3]!.id });
    const entry = await t.backend.services
      .db('access_log')
      .where({ action: 'view_account' })
      .first();
    expect(JSON.parse(entry.record_ids)).toEqual([accounts[3]!.id]);
    expect(await count('access_log_pending')).toBe(1);
    expect(await count('access_log_accounts')).toBe(0);

    const page = await t.call(compliance, 'accessLog.list', { accountId: accounts[3]!.id });
    expect(page.entries.map((e) => e.action)).toEqual(['view_account']);
    expect(await count('access_log_pending')).toBe(0);
    expect(await indexRows()).toEqual(await expectedIndexRows());
  });

  it('catches up by itself after a pause in reading', async () => {
    const { support } = await setUp();
    await browse(support, 3);
    expect(await count('access_log_pending')).toBe(3);
    await vi.waitFor(async () => expect(await count('access_log_pending')).toBe(0), {
      timeout: 5000,
      interval: 100,
    });
    expect((await indexRows()).length).toBe(15);
    expect(await indexRows()).toEqual(await expectedIndexRows());
  });

  it('indexes at the next start what a stopped workstation left queued', async () => {
    const { support } = await setUp();
    await browse(support, 4);
    // A second process on the same database, as after a restart.
    const next = await openBackend({
      database: t.database,
      logger: silentLogger,
      exportDir: path.join(t.dir, 'exports2'),
      keyDir: t.dir,
    });
    extra.push(next);
    expect(await count('access_log_pending')).toBe(0);
    expect(await indexRows()).toEqual(await expectedIndexRows());
  });

  it('two workstations indexing at once neither lose nor double an entry', async () => {
    const { support } = await setUp();
    const other = await openBackend({
      database: t.database,
      logger: silentLogger,
      exportDir: path.join(t.dir, 'exports2'),
      keyDir: t.dir,
    });
    extra.push(other);
    const s2 = other.openSession({ hostname: 'workstation-b' });
    const login = await other.invoke(s2, 'auth.login', {
      username: 'sam',
      password: 'staff password 123',
    });
    expect(login.ok).toBe(true);
    for (let round = 0; round < 3; round++) {
      // Both read while both index, more than one batch's worth (500 entries) in all.
      await Promise.all([
        (async () => {
          for (let i = 0; i < 120; i++) await t.call(support, 'accounts.list', { limit: 2 });
        })(),
        (async () => {
          for (let i = 0; i < 120; i++) {
            const r = await other.invoke(s2, 'accounts.list', { limit: 2 });
            expect(r.ok).toBe(true);
          }
        })(),
        t.backend.services.accessLog.indexPending(),
        other.services.accessLog.indexPending(),
      ]);
      await Promise.all([
        t.backend.services.accessLog.indexPending(),
        other.services.accessLog.indexPending(),
      ]);
    }
    expect(await count('access_log_pending')).toBe(0);
    const expected = await expectedIndexRows();
    expect(expected.length).toBe(3 * 240 * 2);
    expect(await indexRows()).toEqual(expected);
  });

  it('pruning removes old entries with their queue and index rows, and keeps the rest', async () => {
    const clock = new ManualClock();
    const { support, compliance, accounts } = await setUp(clock);
    await browse(support, 2);
    await t.backend.services.accessLog.indexPending();
    await browse(support, 2); // queued, not yet indexed
    const db = t.backend.services.db;
    // Entries carry the database's time; age the first four as if written 401 days ago.
    await db('access_log').update({ at: '2025-10-01T00:00:00.000Z' });
    await t.call(support, 'accounts.get', { id: accounts[0]!.id });
    const pruned = await t.call(compliance, 'accessLog.prune', {});
    expect(pruned.removed).toBe(4);
    expect(await count('access_log_pending', db)).toBeLessThanOrEqual(1);
    await t.backend.services.accessLog.indexPending();
    expect(await indexRows()).toEqual(await expectedIndexRows());
    const left = await t.call(compliance, 'accessLog.list', { accountId: accounts[0]!.id });
    expect(left.entries.map((e) => e.action)).toEqual(['view_account']);
  });
});
