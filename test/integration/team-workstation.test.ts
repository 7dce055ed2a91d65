/**
 * A workstation joins the team server (issue 15): an administrator enrols it with a one-time
 * code, after which every call goes to the server over mutual TLS and the workstation holds no
 * database credential, only its client certificate and a key sealed by the keychain. It starts
 * again the same way; a revoked or reused enrolment is refused with a clear message; a keychain
 * that lost the key sends it back to enrolment; an administrator may take it back to its own
 * database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import type { Keychain } from '../../main/keys/data-key';
import { silentLogger } from '../../main/log';
import type { RunningServer } from '../../main/server/serve';
import { CHOICE_FILE } from '../../main/workstation/choice-file';
import { Workstation } from '../../main/workstation/workstation';
import type { WorkstationStatus } from '../../shared/workstation';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD } from '../support/staff';
import { TEST_CLIENT, TEST_LIMITS, startTestServer, teamServerOf } from '../support/team-server';
import { keychainWith } from '../support/keychain';

let t: TestBackend;
let server: RunningServer;
const started: Workstation[] = [];

const keychain = keychainWith(randomBytes(16));

async function start(userData: string, chain: Keychain | null = keychain): Promise<Workstation> {
  const w = await Workstation.start({
    userData,
    databaseFile: path.join(userData, 'custodian.sqlite'),
    keychain: chain,
    client: TEST_CLIENT,
    logger: silentLogger,
    embedded: {
      exportDir: path.join(userData, 'exports'),
      keyDir: userData,
      witnessDirs: [path.join(userData, 'witness')],
    },
    enrolmentModulus: 2048,
  });
  started.push(w);
  return w;
}

async function status(w: Workstation): Promise<WorkstationStatus> {
  const answer = await w.invoke(1, 'workstation.status', {});
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as WorkstationStatus;
}

async function join(w: Workstation, code: string, caller = 1) {
  return w.invoke(caller, 'workstation.joinTeam', {
    url: server.url,
    fingerprint: server.fingerprint,
    code,
    name: 'Front desk 2',
  });
}

const issued = () => teamServerOf(t.backend).inner.services.enrolments.issue('front desk', null);
const issue = async () => (await issued()).code;

beforeAll(async () => {
  t = await openTestBackend();
  server = teamServerOf(t.backend).server;
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  await t.backend.services.auth.createStaff({
    username: 'sam',
    displayName: 'Sam Support',
    role: 'support_agent',
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
  await t.backend.services.auth.createStaff({
    username: 'bea',
    displayName: 'Bea Billing',
    role: 'billing_specialist',
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
});

afterAll(async () => {
  for (const w of started) await w.close();
  await t?.close();
});

/**
 * An account made at the server, a team server of the test's own (so that it can go away and
 * come back on the same port), and a workstation joined to it, signed in as `username`, its
 * offline copy made.
 */
async function offlineScene(desk: string, username: string, fields: Record<string, string>) {
  const inner = teamServerOf(t.backend).inner;
  const admin = inner.openSession();
  await inner.invoke(admin, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
  const made = await inner.invoke(admin, 'accounts.create', {
    fields,
    provenance: { source: 'phone', date: '2026-01-05' },
  });
  if (!made.ok) throw new Error(made.error.message);
  const id = (made.value as { id: string }).id;
  const spool = path.join(t.dir, `spool-${desk}`);
  const own = await startTestServer(inner, undefined, TEST_LIMITS, undefined, spool);
  const port = Number(new URL(own.url).port);
  const w = await start(path.join(t.dir, desk));
  await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
  const joined = await w.invoke(1, 'workstation.joinTeam', {
    url: own.url,
    fingerprint: own.fingerprint,
    code: await issue(),
    name: `Laptop ${desk}`,
  });
  expect(joined.ok).toBe(true);
  expect((await w.invoke(1, 'auth.login', { username, password: STAFF_PASSWORD })).ok).toBe(true);
  const linkOf = async () => {
    const s = await w.invoke(1, 'workstation.status', {});
    if (!s.ok) throw new Error(s.error.message);
    return (s.value as WorkstationStatus).offline!;
  };
  // The copy is made in the background after sign-in.
  await expect.poll(async () => (await linkOf()).lastSync, { timeout: 30_000 }).not.toBeNull();
  return { inner, admin, id, own, spool, port, w, linkOf };
}

describe('a workstation in team mode', () => {
  let userData: string;
  let code: string;

  it('an administrator of the embedded database enrols it; calls then go to the server', async () => {
    userData = path.join(t.dir, 'desk-1');
    const w = await start(userData);
    // Set up its own database's administrator (the person at the desk), then join.
    expect((await w.invoke(1, 'setup.createFirstAdmin', ADMIN)).ok).toBe(true);
    code = await issue();
    const joined = await join(w, code);
    if (!joined.ok) throw new Error(joined.error.message);
    expect(joined.value).toMatchObject({
      mode: 'team',
      state: { kind: 'ready' },
      server: { url: server.url, fingerprint: server.fingerprint, name: 'Front desk 2' },
      database: null,
    });
    // The server answers now: a fresh session there, the sign-in is the server's staff's.
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { initialised: true, session: null },
    });
    const signedIn = await w.invoke(1, 'auth.login', {
      username: 'sam',
      password: STAFF_PASSWORD,
    });
    expect(signedIn).toMatchObject({ ok: true, value: { user: { role: 'support_agent' } } });
    // What is kept: the certificate, and the key sealed; no private key or password in clear.
    const kept = fs.readFileSync(path.join(userData, CHOICE_FILE), 'utf8');
    expect(kept).toContain('BEGIN CERTIFICATE');
    expect(kept).not.toMatch(/PRIVATE KEY|password/i);
    expect(fs.statSync(path.join(userData, CHOICE_FILE)).mode & 0o077).toBe(0);
    // A support agent may not take the workstation out of the team.
    expect(await w.invoke(1, 'workstation.useEmbedded', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('starts again enrolled, and a reused code is refused', async () => {
    const w = await start(userData);
    expect((await status(w)).state).toEqual({ kind: 'ready' });
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({ ok: true });
    const other = await start(path.join(t.dir, 'desk-2'));
    await other.invoke(1, 'setup.createFirstAdmin', ADMIN);
    const reused = await join(other, code);
    if (reused.ok) throw new Error('a used enrolment code was accepted again');
    expect(reused.error.message).toMatch(/code/i);
    expect((await status(other)).mode).toBe('embedded');
  });

  it('a keychain that lost the enrolment key sends the workstation back to enrolment', async () => {
    const w = await start(userData, keychainWith(randomBytes(16)));
    const s = await status(w);
    expect(s.state.kind).toBe('team-setup');
    if (s.state.kind === 'team-setup') expect(s.state.problem).toMatch(/enrolment key/);
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_READY' },
    });
    // Not ready: whoever is at it may enrol it again with a new code.
    const again = await join(w, await issue());
    expect(again).toMatchObject({ ok: true, value: { state: { kind: 'ready' } } });
  });

  it('a revoked workstation is refused at once, with a message saying what to do', async () => {
    const w = await start(path.join(t.dir, 'desk-3'));
    await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
    const enrolment = await issued();
    expect((await join(w, enrolment.code)).ok).toBe(true);
    expect((await w.invoke(1, 'app.status', {})).ok).toBe(true);
    await teamServerOf(t.backend).inner.services.enrolments.revoke(enrolment.id, null);
    const refused = await w.invoke(2, 'app.status', {});
    if (refused.ok) throw new Error('a revoked workstation was answered');
    expect(['SERVER_UNREACHABLE', 'NOT_ENROLLED']).toContain(refused.error.code);
    expect(refused.error.message).toMatch(/enrol|administrator/i);
    // Nobody can sign in there now, so whoever is at it may enrol it again with a new code.
    const again = await join(w, await issue(), 3);
    expect(again).toMatchObject({ ok: true, value: { state: { kind: 'ready' } } });
    expect(await w.invoke(3, 'app.status', {})).toMatchObject({ ok: true });
  });

  it('an administrator signed in at the server may take it back to its own database', async () => {
    const w = await start(path.join(t.dir, 'desk-4'));
    await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
    expect((await join(w, await issue())).ok).toBe(true);
    expect(
      (await w.invoke(1, 'auth.login', { username: ADMIN.username, password: ADMIN.password })).ok,
    ).toBe(true);
    // An export made at the server lands in this workstation's own export folder.
    const exported = await w.invoke(1, 'exports.accounts', {
      fields: ['firstName', 'lastName'],
      format: 'csv',
      fileName: 'desk-4.csv',
    });
    if (!exported.ok) throw new Error(exported.error.message);
    const placed = path.join(t.dir, 'desk-4', 'exports', 'desk-4.csv');
    expect(fs.existsSync(placed)).toBe(true);
    expect(createHash('sha256').update(fs.readFileSync(placed)).digest('hex')).toBe(
      (exported.value as { sha256: string }).sha256,
    );
    const back = await w.invoke(1, 'workstation.useEmbedded', {});
    expect(back).toMatchObject({ ok: true, value: { mode: 'embedded', server: null } });
    // Its own database again, with its own staff.
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { initialised: true, session: null },
    });
  });

  it('offline: reads come from the signed-in member’s copy, an edit waits in the outbox and reaches the server when it is back', async () => {
    const scene = await offlineScene('desk-5', 'sam', {
      firstName: 'Olive',
      lastName: 'Offline',
      email: 'olive@example.com',
    });
    const { inner, admin, id, spool, port, w, linkOf } = scene;
    let own = scene.own;
    // Another window, not signed in, has no copy.
    const other = await w.invoke(2, 'workstation.status', {});
    expect(other).toMatchObject({ ok: true, value: { offline: null } });
    const online = await w.invoke(1, 'accounts.get', { id });
    if (!online.ok) throw new Error(online.error.message);

    await own.close();
    // The server is gone: the same read answers from the copy, in the same shape.
    const offline = await w.invoke(1, 'accounts.get', { id });
    expect(offline).toEqual(online);
    const listed = await w.invoke(1, 'accounts.list', { search: 'Offline', limit: 10 });
    expect(listed).toMatchObject({ ok: true, value: { rows: [expect.objectContaining({ id })] } });
    const version = (online.value as { version: number }).version;
    const edited = await w.invoke(1, 'accounts.update', {
      id,
      version,
      changes: { phone: '+1 415 555 0199' },
      provenance: { source: 'phone', date: '2026-12-07' },
    });
    expect(edited.ok ? 'queued' : edited.error.message).toBe('queued');
    expect(await linkOf()).toMatchObject({ online: false, outbox: 1 });
    // What needs the server says so, and queues nothing.
    const refused = await w.invoke(1, 'staff.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });

    // Back on the same address: the outbox is replayed through the server's own handlers.
    own = await startTestServer(inner, undefined, TEST_LIMITS, undefined, spool, port);
    await w.invoke(1, 'app.status', {});
    await expect.poll(async () => (await linkOf()).outbox, { timeout: 30_000 }).toBe(0);
    const after = await inner.invoke(admin, 'accounts.get', { id });
    expect(after).toMatchObject({ ok: true, value: { version: version + 1 } });
    await expect.poll(async () => (await linkOf()).syncing, { timeout: 30_000 }).toBe(false);

    // Offline again, while someone at the server changes the same field: never overwritten.
    await own.close();
    const mine = await w.invoke(1, 'accounts.update', {
      id,
      version: version + 1,
      changes: { email: 'olive.mine@example.com' },
      provenance: { source: 'phone', date: '2026-12-07' },
    });
    expect(mine.ok).toBe(true);
    const theirs = await inner.invoke(admin, 'accounts.update', {
      id,
      version: version + 1,
      changes: { email: 'olive.theirs@example.com' },
      provenance: { source: 'email', date: '2026-12-07' },
    });
    expect(theirs.ok).toBe(true);
    own = await startTestServer(inner, undefined, TEST_LIMITS, undefined, spool, port);
    await w.invoke(1, 'app.status', {});
    await expect.poll(async () => (await linkOf()).conflicts.length, { timeout: 30_000 }).toBe(1);
    const [conflict] = (await linkOf()).conflicts;
    expect(conflict!.fields).toEqual([
      { field: 'email', mine: 'olive.mine@example.com', theirs: 'olive.theirs@example.com' },
    ]);
    expect(await inner.invoke(admin, 'accounts.get', { id })).toMatchObject({
      ok: true,
      value: { fields: { email: 'olive.theirs@example.com' } },
    });
    // The staff member keeps their own version: it is sent again on the server's version.
    const chosen = await w.invoke(1, 'workstation.resolveConflict', {
      id: conflict!.id,
      keep: 'mine',
    });
    expect(chosen).toMatchObject({ ok: true, value: { offline: { conflicts: [], outbox: 0 } } });
    expect(await inner.invoke(admin, 'accounts.get', { id })).toMatchObject({
      ok: true,
      value: { fields: { email: 'olive.mine@example.com' }, version: version + 3 },
    });
    await own.close();
  });

  it('offline: a standing change and a hold wait in the outbox, show at once, and reach the server with their time of making', async () => {
    const scene = await offlineScene('desk-6', 'bea', {
      firstName: 'Stan',
      lastName: 'Standing',
      email: 'stan@example.com',
    });
    const { inner, admin, id, spool, port, w, linkOf } = scene;
    let own = scene.own;

    await own.close();
    const marked = await w.invoke(1, 'standing.transition', {
      accountId: id,
      to: 'past_due',
      reason: 'missed_payment',
      balanceCents: 4200,
      daysPastDue: 12,
    });
    expect(marked).toMatchObject({
      ok: true,
      value: { from: 'good', to: 'past_due', by: 'You, offline (waiting to be sent)' },
    });
    // The copy shows the new standing at once.
    expect(await w.invoke(1, 'accounts.get', { id })).toMatchObject({
      ok: true,
      value: { fields: { standing: 'past_due', daysPastDue: 12 } },
    });
    const held = await w.invoke(1, 'holds.set', {
      accountId: id,
      kind: 'attorney_represented',
      since: '2026-12-01',
      note: 'Letter from counsel',
    });
    expect(held).toMatchObject({
      ok: true,
      value: [{ kind: 'attorney_represented', setBy: 'You, offline (waiting to be sent)' }],
    });
    expect(await linkOf()).toMatchObject({ online: false, outbox: 2 });
    const madeAt = (marked.ok ? (marked.value as { madeOfflineAt: string }) : null)!.madeOfflineAt;

    own = await startTestServer(inner, undefined, TEST_LIMITS, undefined, spool, port);
    await w.invoke(1, 'app.status', {});
    await expect.poll(async () => (await linkOf()).outbox, { timeout: 30_000 }).toBe(0);
    const timeline = await inner.invoke(admin, 'standing.timeline', { accountId: id });
    expect(timeline).toMatchObject({
      ok: true,
      value: [{ from: 'good', to: 'past_due', by: 'Bea Billing', madeOfflineAt: madeAt }],
    });
    const holds = await inner.invoke(admin, 'holds.list', { accountId: id });
    expect(holds).toMatchObject({
      ok: true,
      value: [{ kind: 'attorney_represented', setBy: 'Bea Billing' }],
    });
    await own.close();
  });
});
