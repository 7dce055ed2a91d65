/**
 * The offline replica (issue 16): a first fill of 10,000 accounts in pages with progress, deltas,
 * a matrix change that refills (the field disappears), the lease, a deactivated member's replica
 * wiped, an unreachable server, offline reads in the online channels' shapes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../main/db/connect';
import { DatabaseKeyError } from '../../main/db/sqlcipher';
import { openReplicaFile, replicaFile, type OpenReplica } from '../../main/replica/file';
import { ReplicaLeaseError, ReplicaReader } from '../../main/replica/reader';
import {
  ReplicaSync,
  replicaServer,
  type ReplicaServer,
  type SyncOutcome,
  type SyncProgress,
} from '../../main/replica/sync';
import { seedAccounts } from '../../main/services/seed';
import type { Session } from '../../main/services/session';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import { searchKey } from '../../shared/search';

const FILL = 10_000;
let t: TestBackend;
let admin: Session;
let agent: Session;
let agentId: string;
let dir: string;
let key: Buffer;
let replica: OpenReplica;
let writer: ReturnType<typeof fixtureWriter>;

/** The team server as the replica reaches it: the channels, through whatever transport the engine uses. */
function serverFor(session: Session): ReplicaServer {
  const anyone = t.backend.openSession();
  return replicaServer(
    (channel, input) => t.backend.invoke(session, channel as never, input as never),
    (channel, input) => t.backend.invoke(anyone, channel as never, input as never),
  );
}

/**
 * Syncs until the server holds nothing back (PostgreSQL holds changes behind any older
 * transaction in flight on the cluster, e.g. another test file's), adding up what was pulled.
 */
async function syncSettled(session: Session, now?: () => Date): Promise<SyncOutcome> {
  const sync = new ReplicaSync(replica, serverFor(session), {
    staffId: agentId,
    ...(now ? { now } : {}),
  });
  let total: SyncOutcome | null = null;
  const until = Date.now() + 10_000;
  for (;;) {
    const outcome = await sync.sync();
    if (outcome.kind !== 'synced' || total?.kind !== 'synced') total = outcome;
    else
      total = {
        ...outcome,
        pulled: total.pulled + outcome.pulled,
        refilled: total.refilled || outcome.refilled,
      };
    if (outcome.kind !== 'synced' || outcome.waiting === 0 || Date.now() > until) return total;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const unreachable: ReplicaServer = {
  uploadAccess: () =>
    Promise.resolve({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'No route.' } }),
  pull: () =>
    Promise.resolve({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'No route.' } }),
  contact: () =>
    Promise.resolve({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'No route.' } }),
  reportReads: () =>
    Promise.resolve({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'No route.' } }),
};

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const me = (await t.call(admin, 'staff.list', {}))[0]!;
  writer = fixtureWriter(t, me.id);
  await seedAccounts(t.backend.services.db, { count: FILL, seed: 16, batchSize: 5000 });
  agent = await signedInAs(t, 'support_agent', 'replicaagent');
  agentId = (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'replicaagent')!.id;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-replica-'));
  key = randomBytes(32);
  replica = await openReplicaFile({ dir, staffId: agentId, key });
}, 240_000);
afterAll(async () => {
  await replica?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

describe('the offline replica', () => {
  it(`fills ${FILL.toLocaleString('en')} accounts in pages, with progress`, async () => {
    const progress: SyncProgress[] = [];
    const started = performance.now();
    const outcome = await new ReplicaSync(replica, serverFor(agent), {
      staffId: agentId,
      pageSize: 2000,
    }).sync((p) => progress.push(p));
    const ms = performance.now() - started;
    expect(outcome).toMatchObject({
      kind: 'synced',
      pulled: FILL,
      refilled: false,
      accounts: FILL,
    });
    expect(progress.map((p) => p.pulled)).toEqual([2000, 4000, 6000, 8000, 10000]);
    expect(progress.map((p) => p.remaining)).toEqual([8000, 6000, 4000, 2000, 0]);
    // Filled without its search indexes, which were built at the end.
    const look = connect({ client: 'sqlite', filename: replicaFile(dir, agentId), key });
    try {
      const indexes = (await look('sqlite_master')
        .where({ type: 'index', tbl_name: 'replica_accounts' })
        .pluck('name')) as string[];
      expect(indexes).toEqual(
        expect.arrayContaining([
          'replica_accounts_name',
          'replica_accounts_first',
          'replica_accounts_number',
          'replica_accounts_email',
          'replica_accounts_phone',
          'replica_accounts_created',
        ]),
      );
    } finally {
      await look.destroy();
    }
    const bytes = fs.statSync(replicaFile(dir, agentId)).size;
    console.log(
      `[replica] first fill of ${FILL} accounts: ${Math.round(ms)} ms, file ${(bytes / 1e6).toFixed(1)} MB (+ WAL)`,
    );
  });

  it('answers accounts.get and accounts.list offline in the online shapes', async () => {
    const reader = await ReplicaReader.open(replica);
    const online = await t.call(agent, 'accounts.list', { limit: 3 });
    for (const row of online.rows) {
      expect(await reader.get(row.id)).toEqual(await t.call(agent, 'accounts.get', { id: row.id }));
    }
    // Paging the whole replica by name: every account once, in name order.
    const seen: string[] = [];
    let previous = '';
    let cursor: string | undefined;
    do {
      const page = await reader.list({
        sort: 'name',
        direction: 'asc',
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.access).toEqual(online.access);
      for (const row of page.rows) {
        const name = searchKey(`${String(row.fields.lastName)} ${String(row.fields.firstName)}`);
        expect(name >= previous).toBe(true);
        previous = name;
        seen.push(row.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(FILL);
    // A search by account number finds the same accounts as online.
    const number = String(online.rows[0]!.fields.accountNumber);
    const search = { search: number, limit: 10 } as const;
    const offline = await reader.list({ ...search, sort: 'match', direction: 'asc' });
    const live = await t.call(agent, 'accounts.list', search);
    expect(offline.rows.map((r) => r.id)).toEqual(live.rows.map((r) => r.id));
    expect(offline.searchKind).toBe('accountNumber');
    // A name search finds the same accounts as online (the order of "match" is the server's).
    const name = { search: String(online.rows[0]!.fields.lastName), limit: 500 } as const;
    const byNameOffline = await reader.list({ ...name, sort: 'match', direction: 'asc' });
    const byNameOnline = await t.call(agent, 'accounts.list', name);
    expect(byNameOnline.nextCursor).toBeNull();
    expect(byNameOffline.rows.length).toBeGreaterThan(0);
    expect(new Set(byNameOffline.rows.map((r) => r.id))).toEqual(
      new Set(byNameOnline.rows.map((r) => r.id)),
    );
    // What needs the server says so.
    await expect(
      reader.list({
        sort: 'balanceCents',
        direction: 'asc',
        limit: 5,
      }),
    ).rejects.toThrow(/sorted by name/);
  });

  it('keeps each offline read on record and uploads it at the next contact (policy P3)', async () => {
    const reader = await ReplicaReader.open(replica);
    const id = (await reader.list({ sort: 'name', direction: 'asc', limit: 1 })).rows[0]!.id;
    await reader.get(id);
    const pending = await replica.accessLog.pending();
    expect(pending.at(-2)).toMatchObject({ action: 'list', screen: 'accounts', recordIds: [id] });
    expect(pending.at(-1)).toMatchObject({
      action: 'view_account',
      screen: 'accounts.detail',
      recordIds: [id],
      staffId: agentId,
    });
    await syncSettled(agent);
    expect(await replica.accessLog.pending()).toEqual([]);
    const compliance = await signedInAs(t, 'compliance_officer', 'replicacompliance');
    const log = await t.call(compliance, 'accessLog.list', {
      username: 'replicaagent',
      limit: 500,
    });
    const offline = log.entries.filter((e) => e.screen.startsWith('offline.'));
    expect(offline.map((e) => e.screen)).toContain('offline.accounts.detail');
    expect(offline.length).toBe(pending.length);
  });

  it('pulls only what changed at the next contact', async () => {
    const some = (await t.call(agent, 'accounts.list', { limit: 2 })).rows.map((r) => r.id);
    await writer.set(some[0]!, { city: 'Deltaville' });
    await writer.set(some[1]!, { city: 'Deltaburg' });
    const outcome = await syncSettled(agent);
    expect(outcome).toMatchObject({ kind: 'synced', pulled: 2, refilled: false });
    const reader = await ReplicaReader.open(replica);
    expect((await reader.get(some[0]!)).fields.city).toBe('Deltaville');
  });

  it('refills at the next contact when the matrix changes: the field disappears', async () => {
    const id = (await t.call(agent, 'accounts.list', { limit: 1 })).rows[0]!.id;
    await writer.set(id, { city: 'Qzhiddencity' });
    await syncSettled(agent);
    expect((await (await ReplicaReader.open(replica)).get(id)).fields.city).toBe('Qzhiddencity');
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'city', access: 'hidden' }],
      reason: 'Support no longer needs the city.',
    });
    const outcome = await syncSettled(agent);
    expect(outcome).toMatchObject({ kind: 'synced', refilled: true, accounts: FILL });
    const reader = await ReplicaReader.open(replica);
    const detail = await reader.get(id);
    expect(detail.fields).not.toHaveProperty('city');
    expect(detail.access).not.toHaveProperty('city');
    // Put it back for the other tests.
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'city', access: 'read' }],
      reason: 'Support needs the city again.',
    });
  });

  it('refuses to open past its lease, and opens again after a contact', async () => {
    const later = new Date(Date.now() + 73 * 3_600_000);
    await expect(ReplicaReader.open(replica, later)).rejects.toThrow(ReplicaLeaseError);
    await expect(ReplicaReader.open(replica, later)).rejects.toThrow(/72 hours/);
    const outcome = await new ReplicaSync(replica, serverFor(agent), {
      staffId: agentId,
      now: () => later,
    }).sync();
    expect(outcome.kind).toBe('synced');
    expect((await (await ReplicaReader.open(replica, later)).status()).accounts).toBe(FILL);
  });

  it('keeps what it has when the server cannot be reached', async () => {
    const outcome = await new ReplicaSync(replica, unreachable, { staffId: agentId }).sync();
    expect(outcome).toEqual({ kind: 'offline', message: 'No route.' });
    expect((await (await ReplicaReader.open(replica)).status()).accounts).toBe(FILL);
  });

  it('does not open with another key', async () => {
    await expect(openReplicaFile({ dir, staffId: agentId, key: randomBytes(32) })).rejects.toThrow(
      DatabaseKeyError,
    );
  });

  it("wipes a deactivated staff member's replica at the next contact, after reporting their unsent offline reads", async () => {
    // A read made offline, not yet sent when the member is deactivated.
    const reader = await ReplicaReader.open(replica);
    const id = (await reader.list({ sort: 'name', direction: 'asc', limit: 1 })).rows[0]!.id;
    await reader.get(id);
    expect((await replica.accessLog.pending()).length).toBeGreaterThan(0);
    const version = (await t.call(admin, 'staff.list', {})).find((s) => s.id === agentId)!.version;
    await t.call(admin, 'staff.update', { id: agentId, version, active: false });
    // The server cannot be reached for the report: nothing is wiped, the reads stay.
    const cut = { ...serverFor(agent), reportReads: unreachable.reportReads };
    expect((await new ReplicaSync(replica, cut, { staffId: agentId }).sync()).kind).toBe('offline');
    expect((await replica.accessLog.pending()).length).toBeGreaterThan(0);
    const outcome = await new ReplicaSync(replica, serverFor(agent), { staffId: agentId }).sync();
    expect(outcome).toEqual({ kind: 'wiped' });
    expect(fs.readdirSync(dir).filter((f) => f.includes(agentId))).toEqual([]);
    const compliance = await signedInAs(t, 'compliance_officer', 'wipecompliance');
    const log = await t.call(compliance, 'accessLog.list', {
      username: 'replicaagent',
      limit: 500,
    });
    const detail = log.entries.filter((e) => e.screen === 'offline.accounts.detail');
    expect(detail.some((e) => e.recordIds.includes(id))).toBe(true);
  });
});
