/**
 * The offline outbox (issue 16): two workstations edit the same account, one of them offline;
 * at replay the stale base version becomes a conflict record with both versions and nothing is
 * overwritten, while the offline change to another account is applied. The outbox survives a
 * kill -9 of the workstation process; a command the role may not do is refused at replay; what
 * needs the server is never queued.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplicaFile, type OpenReplica } from '../../main/replica/file';
import { Outbox, type ConflictOutcome, type Invoke } from '../../main/replica/outbox';
import { ReplicaReader } from '../../main/replica/reader';
import { ReplicaSync, replicaServer } from '../../main/replica/sync';
import type { Session } from '../../main/services/session';
import type { AccountDetail } from '../../shared/types';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { bundleForTest } from '../support/bundle';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import { invokeMadeOffline } from '../support/team-server';

let t: TestBackend;
let admin: Session;
let offline: Session;
let online: Session;
let offlineId: string;
let dir: string;
let key: Buffer;
let x: string;
let y: string;
const provenance = { source: 'phone', date: '2025-01-02' } as const;

/** Replays as `session`, each change with the time it was made, as a workstation sends it. */
const invokeAs =
  (session: Session): Invoke =>
  (channel, input, madeAt) =>
    invokeMadeOffline(t.backend, session, channel, input, madeAt);

async function staffId(username: string): Promise<string> {
  return (await t.call(admin, 'staff.list', {})).find((s) => s.username === username)!.id;
}

async function openFilled(session: Session, id: string): Promise<OpenReplica> {
  const replica = await openReplicaFile({ dir, staffId: id, key });
  const anyone = t.backend.openSession();
  await new ReplicaSync(
    replica,
    replicaServer(
      (channel, input) => t.backend.invoke(session, channel as never, input as never),
      (channel, input) => t.backend.invoke(anyone, channel as never, input as never),
    ),
    { staffId: id },
  ).sync();
  return replica;
}

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const writer = fixtureWriter(t, (await t.call(admin, 'staff.list', {}))[0]!.id);
  x = (await writer.create({ firstName: 'Shared', lastName: 'Account', city: 'Lyon' })).id;
  y = (await writer.create({ firstName: 'Other', lastName: 'Account', city: 'Nantes' })).id;
  offline = await signedInAs(t, 'billing_specialist', 'offlineamy');
  online = await signedInAs(t, 'support_agent', 'onlinebob');
  offlineId = await staffId('offlineamy');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-outbox-'));
  key = randomBytes(32);
});
afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

describe('the offline outbox', () => {
  it('replays in order: a stale base version is a conflict with both versions, never applied', async () => {
    const replica = await openFilled(offline, offlineId);
    try {
      const reader = await ReplicaReader.open(replica);
      const [seenX, seenY] = [await reader.get(x), await reader.get(y)];
      const outbox = new Outbox(replica, offlineId);
      const first = await outbox.queue({
        channel: 'accounts.update',
        input: { id: x, version: seenX.version, changes: { city: 'Offline X' }, provenance },
      });
      await outbox.queue({
        channel: 'accounts.update',
        input: { id: y, version: seenY.version, changes: { city: 'Offline Y' }, provenance },
      });
      // A second offline edit of x, made from the same replica copy: based on the first.
      const second = await outbox.queue({
        channel: 'accounts.update',
        input: {
          id: x,
          version: seenX.version,
          changes: { addressLine1: '2 Offline Road' },
          provenance,
        },
      });
      expect(second.baseVersion).toBe(seenX.version + 1);
      // The maker sees both edits offline.
      const shown = await (await ReplicaReader.open(replica)).get(x);
      expect(shown.fields).toMatchObject({ city: 'Offline X', addressLine1: '2 Offline Road' });
      expect(await outbox.length()).toBe(3);

      // Meanwhile, online, someone else saves x.
      await t.call(online, 'accounts.update', {
        id: x,
        version: seenX.version,
        changes: { city: 'Online X' },
        provenance,
      });

      const report = await outbox.replay(invokeAs(offline));
      expect(report).toEqual({ applied: 1, conflicts: 2, refused: 0, pending: 0 });
      // Nothing overwritten: x keeps the online save; y has the offline one.
      expect((await t.call(admin, 'accounts.get', { id: x })).fields.city).toBe('Online X');
      expect((await t.call(admin, 'accounts.get', { id: y })).fields.city).toBe('Offline Y');
      expect((await t.call(admin, 'accounts.get', { id: x })).fields.addressLine1).not.toBe(
        '2 Offline Road',
      );

      const records = await outbox.list();
      const conflict = records.find((c) => c.id === first.id)!;
      expect(conflict.status).toBe('conflict');
      expect(conflict.madeAt).toBe(first.madeAt);
      expect(conflict.staffId).toBe(offlineId);
      // Both versions, field by field: the offline change and the server's current record.
      expect((conflict.input as { changes: { city: string } }).changes.city).toBe('Offline X');
      const outcome = conflict.outcome as ConflictOutcome;
      expect((outcome.current as AccountDetail).fields.city).toBe('Online X');
      const blocked = records.find((c) => c.id === second.id)!;
      expect(blocked.status).toBe('conflict');
      expect((blocked.outcome as ConflictOutcome).behind).toBe(first.id);
      expect(records.find((c) => c.accountId === y)!.status).toBe('applied');
      expect(await outbox.length()).toBe(0);
    } finally {
      await replica.close();
    }
  });

  it("records each replayed change with its time of making beside the server's time of receipt", async () => {
    const writer = fixtureWriter(t, (await t.call(admin, 'staff.list', {}))[0]!.id);
    const z = (await writer.create({ firstName: 'Late', lastName: 'Sender', city: 'Arles' })).id;
    const replica = await openFilled(offline, offlineId);
    try {
      // Made two hours ago on the workstation; the server receives them now.
      const madeAt = new Date(Date.now() - 2 * 3_600_000);
      const outbox = new Outbox(replica, offlineId, () => madeAt);
      const seen = await (await ReplicaReader.open(replica)).get(z);
      await outbox.queue({
        channel: 'accounts.update',
        input: { id: z, version: seen.version, changes: { city: 'Offline Z' }, provenance },
      });
      await outbox.queue({
        channel: 'standing.transition',
        input: { accountId: z, to: 'past_due', reason: 'missed_payment', balanceCents: 1200 },
      });
      await outbox.queue({
        channel: 'holds.set',
        input: {
          accountId: z,
          kind: 'attorney_represented',
          since: '2025-01-01',
          note: 'Disputed offline',
        },
      });
      const before = Date.now();
      expect(await outbox.replay(invokeAs(offline))).toMatchObject({ applied: 3, refused: 0 });

      const edit = (await t.call(admin, 'accounts.history', { id: z })).at(-1)!;
      expect(edit.by).toBe(
        (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'offlineamy')!
          .displayName,
      );
      expect(edit.madeOfflineAt).toBe(madeAt.toISOString());
      expect(Date.parse(edit.at)).toBeGreaterThanOrEqual(before - 1000);
      const marked = (await t.call(admin, 'standing.timeline', { accountId: z })).at(-1)!;
      expect(marked.to).toBe('past_due');
      expect(marked.madeOfflineAt).toBe(madeAt.toISOString());
      expect(Date.parse(marked.at)).toBeGreaterThanOrEqual(before - 1000);
      const held = (await t.backend.services.db('hold_events').where({ account_id: z })) as {
        made_offline_at: string | null;
      }[];
      expect(held.map((h) => h.made_offline_at)).toEqual([madeAt.toISOString()]);
      // A change made online keeps no time of making.
      const created = (await t.call(admin, 'accounts.history', { id: z }))[0]!;
      expect(created.event).toBe('created');
      expect(created.madeOfflineAt).toBeUndefined();
    } finally {
      await replica.close();
    }
  });

  it('stops at an unreachable server and keeps the rest waiting, in order', async () => {
    const replica = await openReplicaFile({ dir, staffId: offlineId, key });
    try {
      const outbox = new Outbox(replica, offlineId);
      for (const note of ['first', 'second']) {
        await outbox.queue({
          channel: 'holds.set',
          input: { accountId: y, kind: 'bankruptcy', since: '2025-01-01', note },
        });
      }
      const down: Invoke = () =>
        Promise.resolve({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'No route.' } });
      expect(await outbox.replay(down)).toEqual({
        applied: 0,
        conflicts: 0,
        refused: 0,
        pending: 2,
      });
      expect(await outbox.replay(invokeAs(offline))).toEqual({
        applied: 2,
        conflicts: 0,
        refused: 0,
        pending: 0,
      });
      const holds = await t.call(offline, 'holds.list', { accountId: y });
      expect(holds.map((h) => h.note)).toEqual(['second']);
    } finally {
      await replica.close();
    }
  });

  it('refuses at replay what the role may not do, once, and never queues what needs the server', async () => {
    const bobId = await staffId('onlinebob');
    const replica = await openReplicaFile({ dir, staffId: bobId, key });
    try {
      const outbox = new Outbox(replica, bobId);
      await outbox.queue({
        channel: 'holds.set',
        input: { accountId: y, kind: 'deceased', since: '2025-01-01', note: 'Seen' },
      });
      expect(await outbox.replay(invokeAs(online))).toMatchObject({ refused: 1, applied: 0 });
      expect(await outbox.replay(invokeAs(online))).toMatchObject({ refused: 0, applied: 0 });
      const [record] = await outbox.list();
      expect(record!.status).toBe('refused');
      expect((record!.outcome as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      await expect(outbox.queue({ channel: 'disclosures.request', input: {} })).rejects.toThrow(
        /needs the team server/,
      );
      await expect(
        outbox.queue({ channel: 'holds.set', input: { accountId: 'nope' } }),
      ).rejects.toThrow(/need attention/);
    } finally {
      await replica.close();
    }
  });

  it('keeps every acknowledged command through a kill -9 of the workstation', async () => {
    const child = await bundleForTest('test/support/outbox-child.ts', 'outbox-child');
    const staff = await staffId('offlineamy');
    const replica = await openReplicaFile({ dir, staffId: staff, key });
    const before = (await new Outbox(replica, staff).list()).length;
    await replica.close();
    const proc = spawn(
      process.execPath,
      [child, JSON.stringify({ dir, staffId: staff, keyHex: key.toString('hex'), accountId: x })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let acked = -1;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        for (const m of d.toString().matchAll(/queued (\d+)/g)) acked = Number(m[1]);
        if (acked >= 40) resolve();
      });
      proc.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const reopened = await openReplicaFile({ dir, staffId: staff, key });
    try {
      const outbox = new Outbox(reopened, staff);
      const survived = (await outbox.list()).slice(before);
      // Every command the child acknowledged is there, in the order it was made.
      expect(survived.length).toBeGreaterThanOrEqual(acked + 1);
      const notes = survived.map((c) => (c.input as { note: string }).note);
      expect(notes.slice(0, acked + 1)).toEqual(
        Array.from({ length: acked + 1 }, (_, n) => `Offline note ${n}`),
      );
      expect(survived.every((c) => c.status === 'pending')).toBe(true);
      // And they replay.
      const report = await outbox.replay(invokeAs(offline));
      expect(report).toMatchObject({ applied: survived.length, pending: 0 });
      console.log(
        `[outbox] ${acked + 1} acknowledged before kill -9, ${survived.length} kept, all replayed`,
      );
    } finally {
      await reopened.close();
    }
  });
});
