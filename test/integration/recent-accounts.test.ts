/**
 * Recently opened accounts (issue 17): derived from the caller's own access-log views, each
 * account as the caller's role sees it, and the listing itself recorded, on both engines.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';

let t: TestBackend;
afterEach(async () => t?.close());

async function setUp() {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  const accounts = [];
  for (let i = 0; i < 11; i++) {
    accounts.push(
      await fx.create({ lastName: `Recent${i}`, taxId: `TAX-${i}-9876`, fraudNotes: `fn${i}` }),
    );
  }
  const support = await signedInAs(t, 'support_agent', 'sam');
  const fraud = await signedInAs(t, 'fraud_analyst', 'fran');
  return { accounts, support, fraud };
}

const view = (session: Parameters<TestBackend['call']>[0], id: string) =>
  t.call(session, 'accounts.get', { id });

describe('recently opened accounts', () => {
  it('are the caller’s own views, newest first, each once, at most eight', async () => {
    const { accounts, support, fraud } = await setUp();
    expect(await t.call(support, 'accounts.recent', {})).toEqual([]);

    await view(support, accounts[0]!.id);
    await view(support, accounts[1]!.id);
    await view(support, accounts[0]!.id);
    await view(fraud, accounts[5]!.id);
    // A listing or a search names accounts too, but is not an opening.
    await t.call(support, 'accounts.list', { limit: 5 });
    await t.call(support, 'accounts.list', { search: 'Recent7' });

    const mine = await t.call(support, 'accounts.recent', {});
    expect(mine.map((r) => r.id)).toEqual([accounts[0]!.id, accounts[1]!.id]);
    const theirs = await t.call(fraud, 'accounts.recent', {});
    expect(theirs.map((r) => r.id)).toEqual([accounts[5]!.id]);

    for (const a of accounts.slice(2)) await view(support, a.id);
    const many = await t.call(support, 'accounts.recent', {});
    expect(many.map((r) => r.id)).toEqual(
      accounts
        .slice(3)
        .reverse()
        .map((a) => a.id),
    );
  });

  it('show each account as the role sees it: hidden fields absent, masked ones masked', async () => {
    const { accounts, support, fraud } = await setUp();
    await view(support, accounts[4]!.id);
    await view(fraud, accounts[4]!.id);

    const [asSupport] = await t.call(support, 'accounts.recent', {});
    expect(asSupport!.fields.lastName).toBe('Recent4');
    expect(asSupport!.fields).not.toHaveProperty('taxId');
    expect(asSupport!.fields).not.toHaveProperty('fraudNotes');
    expect(JSON.stringify(asSupport)).not.toContain('9876');

    const [asFraud] = await t.call(fraud, 'accounts.recent', {});
    expect(asFraud!.fields.taxId).toBe('TAX-4-9876');
    expect(asFraud!.fields.fraudNotes).toBe('fn4');
  });

  it('leave out an account that is gone, and are logged as a listing, not as a view', async () => {
    const { accounts, support } = await setUp();
    await view(support, accounts[1]!.id);
    // An id that names no account (one removed since, e.g. by restoring an older backup).
    await t.backend.services.accessLog.record(support, {
      action: 'view_account',
      screen: 'accounts.detail',
      recordIds: [uuidv7()],
    });
    const db = t.backend.services.db;

    const rows = await t.call(support, 'accounts.recent', {});
    expect(rows.map((r) => r.id)).toEqual([accounts[1]!.id]);

    const entry = await db('access_log').where({ screen: 'palette.recent' }).first();
    expect(entry.action).toBe('list');
    expect(JSON.parse(entry.record_ids)).toEqual([accounts[1]!.id]);
    // Listing them again does not make them opened again.
    await t.call(support, 'accounts.recent', {});
    const views = await db('access_log').where({ action: 'view_account' }).count({ n: '*' });
    expect(Number(views[0]!.n)).toBe(2);
  });
});
