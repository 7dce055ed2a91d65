/**
 * The change feed offline workstations fill their replica from (issue 16): sync.pull pages,
 * deltas after a cursor, standing and holds in the feed, the access-log entry of a fill, and
 * on PostgreSQL that a reader never skips a change a slower transaction commits later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToFeed } from '../../main/db/stores/sync-feed';
import type { Session } from '../../main/services/session';
import { ADMIN, itPgOnly, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import type { SyncPage } from '../../shared/channels/sync';

let t: TestBackend;
let admin: Session;
let agent: Session;
let writer: ReturnType<typeof fixtureWriter>;
const ids: string[] = [];

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const me = (await t.call(admin, 'staff.list', {}))[0]!;
  writer = fixtureWriter(t, me.id);
  for (let i = 0; i < 25; i++) {
    ids.push(
      (await writer.create({ firstName: `Feed${i}`, lastName: 'Person', taxId: `TX-${1000 + i}` }))
        .id,
    );
  }
  agent = await signedInAs(t, 'support_agent', 'feedagent');
});
afterAll(async () => t?.close());

async function pullAll(session: Session, since: string, limit: number) {
  // On PostgreSQL a pull reads only below this database's oldest transaction in flight (the
  // access-log indexer's, say): wait (10 s at most) until nothing is held back, then page.
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const probe = await t.call(session, 'sync.pull', { since, limit: 1 });
    if (probe.waiting === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const pages: SyncPage[] = [];
  let cursor = since;
  for (;;) {
    const page = await t.call(session, 'sync.pull', { since: cursor, limit });
    pages.push(page);
    cursor = page.cursor;
    if (page.accounts.length + page.removed.length === 0) return { pages, cursor };
  }
}

/**
 * Pulls after `since` until the accounts `expected` have all arrived (10 s at most). On
 * PostgreSQL a change waits for the next pull while any transaction of this database older than
 * it is still in flight (the access-log indexer's): the feed reads below the lowest one.
 */
async function pullUntil(session: Session, since: string, expected: readonly string[]) {
  const got = new Map<string, SyncPage['accounts'][number]>();
  let cursor = since;
  const until = Date.now() + 10_000;
  while (!expected.every((id) => got.has(id)) && Date.now() < until) {
    const pulled = await pullAll(session, cursor, 100);
    for (const a of pulled.pages.flatMap((p) => p.accounts)) got.set(a.id, a);
    cursor = pulled.cursor;
    if (!expected.every((id) => got.has(id))) await new Promise((r) => setTimeout(r, 50));
  }
  return [...got.values()];
}

describe('sync.pull', () => {
  it('pages through every account once, as the role sees it, with the count left', async () => {
    const { pages, cursor } = await pullAll(agent, '0', 10);
    const seen = pages.flatMap((p) => p.accounts.map((a) => a.id));
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(ids.length);
    // 25 accounts by tens: 15 and 5 left after the first two pages, then none.
    expect(pages.map((p) => p.remaining)).toEqual([15, 5, 0, 0]);
    expect(pages[0]!.role).toBe('support_agent');
    // The support agent may not see tax ids (DEFAULT_MATRIX): absent, never empty.
    for (const a of pages.flatMap((p) => p.accounts)) expect(a.fields).not.toHaveProperty('taxId');
    expect(JSON.stringify(pages)).not.toContain('TX-10');
    expect(cursor).toMatch(/^\d+:/);
  });

  it('after a cursor answers only what changed since: an edit and a hold', async () => {
    const { cursor } = await pullAll(agent, '0', 100);
    await writer.set(ids[3]!, { city: 'Changedville' });
    const hold = await signedInAs(t, 'collections_agent', 'feedcollector');
    await t.call(hold, 'holds.set', {
      accountId: ids[7]!,
      kind: 'deceased',
      since: '2025-01-01',
      note: 'Certificate seen',
    });
    const changed = await pullUntil(agent, cursor, [ids[3]!, ids[7]!]);
    expect(changed.map((a) => a.id).sort()).toEqual([ids[3]!, ids[7]!].sort());
    expect(changed.find((a) => a.id === ids[3])!.fields.city).toBe('Changedville');
  });

  it('puts each page on record in the access log as a replica fill', async () => {
    const page = await t.call(agent, 'sync.pull', { since: '0', limit: 5 });
    const compliance = await signedInAs(t, 'compliance_officer', 'feedcompliance');
    const log = await t.call(compliance, 'accessLog.list', { username: 'feedagent' });
    const fills = log.entries.filter((e) => e.action === 'replica_sync');
    expect(fills.length).toBeGreaterThan(0);
    expect(fills[0]!.resultCount).toBe(page.accounts.length);
  });

  it('refuses a cursor it did not give, saying what is wrong', async () => {
    const err = await t.fail(agent, 'sync.pull', { since: 'drop table', limit: 10 });
    expect(err.code).toBe('VALIDATION');
    expect(err.fieldErrors?.since).toMatch(/cursor/);
  });

  it("tells the holder of a member's copy whether they are still active, and no one else", async () => {
    const anyone = t.backend.openSession();
    const staff = await t.call(admin, 'staff.list', {});
    const member = staff.find((s) => s.username === 'feedagent')!;
    const ticket = (await t.call(agent, 'sync.pull', { since: '0', limit: 1 })).contactTicket;
    const contact = await t.call(anyone, 'sync.contact', { staffId: member.id, ticket });
    expect(contact).toMatchObject({ active: true, leaseHours: 72 });
    // Another member's id with this ticket, or a made-up ticket: refused, nothing said.
    const other = staff.find((s) => s.username !== 'feedagent')!;
    const refused = await t.fail(anyone, 'sync.contact', { staffId: other.id, ticket });
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).not.toMatch(/active/);
    const forged = await t.fail(anyone, 'sync.contact', {
      staffId: member.id,
      ticket: 'A'.repeat(43),
    });
    expect(forged.code).toBe('FORBIDDEN');
    const malformed = await t.fail(anyone, 'sync.contact', { staffId: member.id, ticket: 'x' });
    expect(malformed.fieldErrors?.ticket).toMatch(/ticket/);
    // The same ticket reports reads as the member's, and only with it.
    const entries = [{ action: 'view_account' as const, queryKind: null, recordIds: [ids[0]!] }];
    const wrong = await t.fail(anyone, 'sync.reportOfflineReads', {
      staffId: other.id,
      ticket,
      entries,
    });
    expect(wrong.code).toBe('FORBIDDEN');
    expect(
      await t.call(anyone, 'sync.reportOfflineReads', { staffId: member.id, ticket, entries }),
    ).toEqual({ recorded: 1 });
  });

  it('answers the lease an administrator set in Settings, and refuses one out of range', async () => {
    const anyone = t.backend.openSession();
    const member = (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'feedagent')!;
    const ticket = (await t.call(agent, 'sync.pull', { since: '0', limit: 1 })).contactTicket;
    const bad = await t.fail(admin, 'settings.update', { replicaLeaseHours: 0 });
    expect(bad.fieldErrors?.replicaLeaseHours).toMatch(/At least 1 hour/);
    expect((await t.fail(agent, 'settings.update', { replicaLeaseHours: 8 })).code).toBe(
      'FORBIDDEN',
    );
    try {
      expect(
        (await t.call(admin, 'settings.update', { replicaLeaseHours: 8 })).replicaLeaseHours,
      ).toBe(8);
      expect(
        (await t.call(anyone, 'sync.contact', { staffId: member.id, ticket })).leaseHours,
      ).toBe(8);
      expect((await t.call(agent, 'sync.pull', { since: '0', limit: 1 })).leaseHours).toBe(8);
    } finally {
      await t.call(admin, 'settings.update', { replicaLeaseHours: 72 });
    }
  });

  itPgOnly(
    'never skips a change whose transaction commits after a later one (PostgreSQL)',
    async () => {
      const db = t.backend.services.db;
      const { cursor } = await pullAll(agent, '0', 100);
      // A slow transaction takes its number first and stays open...
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const begun = new Promise<void>((r) => (started = r));
      const slow = db.transaction(async (trx) => {
        await trx('accounts').where({ id: ids[10] }).update({ city: 'Slowtown' });
        await appendToFeed(trx, [ids[10]!]);
        started();
        await held;
      });
      await begun;
      // ...a fast one after it commits.
      await writer.set(ids[11]!, { city: 'Fastville' });
      // The fast one is held back, and a pull says so: it is counted as waiting, not as left.
      const probe = await t.call(agent, 'sync.pull', { since: cursor, limit: 100 });
      expect(probe.accounts).toEqual([]);
      expect(probe).toMatchObject({ waiting: 1, remaining: 0 });
      const during = await pullAll(agent, cursor, 100);
      // Neither is answered while the slower one is in flight: the fast one's number is above it.
      expect(during.pages.flatMap((p) => p.accounts.map((a) => a.id))).toEqual([]);
      release();
      await slow;
      const got = await pullUntil(agent, during.cursor, [ids[10]!, ids[11]!]);
      expect(got.map((a) => a.id).sort()).toEqual([ids[10]!, ids[11]!].sort());
      expect(got.find((a) => a.id === ids[10])!.fields.city).toBe('Slowtown');
    },
  );

  itPgOnly(
    'is not held back by a write transaction in another database on the cluster (PostgreSQL)',
    async () => {
      const { cursor } = await pullAll(agent, '0', 100);
      // Another database on the same cluster (another test backend) opens a write and waits.
      const other = await openTestBackend();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const begun = new Promise<void>((r) => (started = r));
      const elsewhere = other.backend.services.db.transaction(async (trx) => {
        await trx('counters').insert({ name: 'feed-test-elsewhere', value: 1 });
        started();
        await held;
      });
      try {
        await begun;
        await writer.set(ids[12]!, { city: 'Otherdb' });
        const page = await t.call(agent, 'sync.pull', { since: cursor, limit: 100 });
        // Its transaction id is below the edit's, yet the edit is answered at once.
        expect(page.accounts.map((a) => a.id)).toEqual([ids[12]!]);
        expect(page.waiting).toBe(0);
      } finally {
        release();
        await elsewhere;
        await other.close();
      }
    },
  );
});
