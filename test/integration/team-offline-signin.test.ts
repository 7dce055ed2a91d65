/**
 * Offline sign-in on a team workstation (issue 16): an online sign-in leaves a wrap of the
 * member's replica key under their password; a workstation started while the server cannot be
 * reached signs them in with it, reads the replica and queues edits; a wrong password gets the
 * online words, five lock offline sign-in until an online one; when the server answers again the
 * window is locked until the password gets a server session, and then the outbox is replayed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log';
import { openReplicaFile, replicaFile } from '../../main/replica/file';
import type { RunningServer } from '../../main/server/serve';
import { replicaDirIn } from '../../main/workstation/offline';
import { signInWrapFile } from '../../main/workstation/signin-wrap';
import { Workstation } from '../../main/workstation/workstation';
import type { Result } from '../../shared/errors';
import type { SessionInfo } from '../../shared/types';
import type { OfflineStatus, WorkstationStatus } from '../../shared/workstation';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD } from '../support/staff';
import { TEST_CLIENT, TEST_LIMITS, startTestServer, teamServerOf } from '../support/team-server';
import { keychainWith } from '../support/keychain';

const keychain = keychainWith(randomBytes(16));

let t: TestBackend;
let server: RunningServer | null = null;
let port = 0;
const spool = () => path.join(t.dir, 'spool-signin');
const started: Workstation[] = [];
const userData = () => path.join(t.dir, 'laptop');
const replicas = () => replicaDirIn(userData());
let admin: ReturnType<ReturnType<typeof teamServerOf>['inner']['openSession']>;
let accountId = '';
let onlineWrongPassword = '';
const ids: Record<string, string> = {};
const NEW_PASSWORD = 'a new staff password 456';
const TEMPORARY_PASSWORD = 'temporary password 789';

const inner = () => teamServerOf(t.backend).inner;
const asAdmin = async (channel: string, input: unknown) => {
  const answer = await inner().invoke(admin, channel, input);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as never;
};

async function serverUp(): Promise<void> {
  if (server) return;
  server = await startTestServer(inner(), undefined, TEST_LIMITS, undefined, spool(), port);
  port = Number(new URL(server.url).port);
}
async function serverDown(): Promise<void> {
  await server?.close();
  server = null;
}

async function start(): Promise<Workstation> {
  const w = await Workstation.start({
    userData: userData(),
    databaseFile: path.join(userData(), 'custodian.sqlite'),
    keychain,
    client: TEST_CLIENT,
    logger: silentLogger,
    embedded: {
      exportDir: path.join(userData(), 'exports'),
      keyDir: userData(),
      witnessDirs: [path.join(userData(), 'witness')],
    },
    enrolmentModulus: 2048,
  });
  started.push(w);
  return w;
}

async function linkOf(w: Workstation, caller = 1): Promise<OfflineStatus | null> {
  const s = await w.invoke(caller, 'workstation.status', {});
  if (!s.ok) throw new Error(s.error.message);
  return (s.value as WorkstationStatus).offline;
}

const login = (w: Workstation, username: string, password = STAFF_PASSWORD, caller = 1) =>
  w.invoke(caller, 'auth.login', { username, password });

/** Signs in online and waits for the replica's first fill. */
async function signInOnline(w: Workstation, username: string, caller = 1): Promise<SessionInfo> {
  const answer = await login(w, username, STAFF_PASSWORD, caller);
  if (!answer.ok) throw new Error(answer.error.message);
  await expect
    .poll(async () => (await linkOf(w, caller))?.lastSync, { timeout: 30_000 })
    .toBeTruthy();
  return answer.value as SessionInfo;
}

const wrapOf = (username: string) => signInWrapFile(replicaFile(replicas(), ids[username]!));
const errorOf = (answer: Result<unknown>) => (answer.ok ? null : answer.error);

beforeAll(async () => {
  t = await openTestBackend();
  admin = inner().openSession();
  await inner().invoke(admin, 'setup.createFirstAdmin', ADMIN);
  for (const username of ['sam', 'bea', 'dee', 'lou']) {
    await t.backend.services.auth.createStaff({
      username,
      displayName: `Staff ${username}`,
      role: 'support_agent',
      password: STAFF_PASSWORD,
      mustChangePassword: false,
    });
  }
  const made = await asAdmin('accounts.create', {
    fields: { firstName: 'Rhoda', lastName: 'Road', email: 'rhoda@example.com' },
    provenance: { source: 'phone', date: '2026-01-05' },
  });
  accountId = (made as { id: string }).id;
  await serverUp();
  const w = await start();
  await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
  const { code } = await inner().services.enrolments.issue('laptop', null);
  const joined = await w.invoke(1, 'workstation.joinTeam', {
    url: server!.url,
    fingerprint: server!.fingerprint,
    code,
    name: 'Laptop',
  });
  if (!joined.ok) throw new Error(joined.error.message);
});

afterAll(async () => {
  for (const w of started) await w.close();
  await serverDown();
  await t?.close();
});

describe('offline sign-in on a team workstation', () => {
  it('an online sign-in leaves a wrap holding neither the password nor the replica key in clear', async () => {
    const w = started[0]!;
    onlineWrongPassword = errorOf(await login(w, 'sam', 'not the password'))!.message;
    for (const username of ['sam', 'bea', 'dee']) {
      const session = await signInOnline(w, username);
      ids[username] = session.user.id;
      expect(fs.existsSync(wrapOf(username))).toBe(true);
      expect((await w.invoke(1, 'auth.logout', {})).ok).toBe(true);
    }
    const replicaKey = keychain.open(
      fs.readFileSync(`${replicaFile(replicas(), ids.sam!)}.key`, 'utf8').trim(),
    );
    const bytes = fs.readFileSync(wrapOf('sam'));
    // The keychain's layer taken off (a real keychain's is encryption): still nothing in clear.
    const inside = keychain.open(bytes.toString('utf8').trim());
    for (const layer of [bytes, inside]) {
      expect(layer.includes(Buffer.from(STAFF_PASSWORD))).toBe(false);
      expect(layer.includes(replicaKey)).toBe(false);
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        expect(layer.includes(Buffer.from(replicaKey.toString(encoding)))).toBe(false);
      }
    }
    expect(JSON.parse(inside.toString('utf8'))).toMatchObject({
      user: { id: ids.sam, username: 'sam', role: 'support_agent' },
      failures: 0,
    });
    expect(fs.statSync(wrapOf('sam')).mode & 0o077).toBe(0);
  });

  it('started with the server unreachable: the right password signs in on the replica, reads and queues an edit', async () => {
    await serverDown();
    const w = await start();
    const answer = await login(w, 'sam');
    if (!answer.ok) throw new Error(answer.error.message);
    const session = answer.value as SessionInfo;
    expect(session).toMatchObject({
      user: { id: ids.sam, username: 'sam', displayName: 'Staff sam', role: 'support_agent' },
      locked: false,
      mustChangePassword: false,
    });
    expect(Object.keys(session).sort()).toEqual(
      ['fieldAccess', 'idleLockMinutes', 'locked', 'mustChangePassword', 'user'].sort(),
    );
    expect(session.fieldAccess.email).toBeDefined();
    expect(await linkOf(w)).toMatchObject({ online: false, signedInOffline: true, outbox: 0 });
    // The window's session as the console asks for it at start.
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { initialised: true, session: { user: { id: ids.sam }, locked: false } },
    });

    const read = await w.invoke(1, 'accounts.get', { id: accountId });
    if (!read.ok) throw new Error(read.error.message);
    const detail = read.value as { version: number; fields: Record<string, unknown> };
    expect(detail.fields.lastName).toBe('Road');
    const edited = await w.invoke(1, 'accounts.update', {
      id: accountId,
      version: detail.version,
      changes: { phone: '+1 415 555 0142' },
      provenance: { source: 'phone', date: '2026-12-07' },
    });
    expect(edited.ok ? 'queued' : edited.error.message).toBe('queued');
    expect(await linkOf(w)).toMatchObject({ online: false, outbox: 1, reconnect: false });
    // Idle lock and unlock work offline too, with the same password.
    expect((await w.invoke(1, 'auth.lock', {})).ok).toBe(true);
    expect(errorOf(await w.invoke(1, 'accounts.get', { id: accountId }))?.code).toBe(
      'SESSION_LOCKED',
    );
    expect(errorOf(await w.invoke(1, 'auth.unlock', { password: 'wrong' }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      fieldErrors: { password: expect.any(String) },
    });
    expect(await w.invoke(1, 'auth.unlock', { password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
  });

  it('a wrong password gets the online words; an unknown name is told to sign in online once', async () => {
    const w = await start();
    const wrong = errorOf(await login(w, 'sam', 'not the password', 2));
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', message: onlineWrongPassword });
    expect(await linkOf(w, 2)).toBeNull();
    const unknown = errorOf(await login(w, 'nobody', STAFF_PASSWORD, 2));
    expect(unknown?.message).toBe(
      'This workstation has no offline copy for nobody: sign in once while the team server can be reached.',
    );
    // The right password after a wrong one still signs in (and the count starts again).
    expect((await login(w, 'sam', STAFF_PASSWORD, 2)).ok).toBe(true);
  });

  it('five wrong passwords lock offline sign-in until an online sign-in', async () => {
    const w = await start();
    for (let i = 1; i <= 4; i++) {
      expect(errorOf(await login(w, 'bea', `wrong ${i}`))?.code).toBe('UNAUTHENTICATED');
    }
    const fifth = errorOf(await login(w, 'bea', 'wrong 5'));
    expect(fifth?.code).toBe('LOGIN_LOCKED');
    expect(fifth?.message).toMatch(/team server can be reached/);
    // Locked: even the right password, even after a restart (the count is in the sealed file).
    expect(errorOf(await login(w, 'bea'))?.code).toBe('LOGIN_LOCKED');
    expect(errorOf(await login(await start(), 'bea'))?.code).toBe('LOGIN_LOCKED');
    // Another member's offline sign-in is not affected.
    expect((await login(w, 'dee', STAFF_PASSWORD, 3)).ok).toBe(true);

    await serverUp();
    const online = await start();
    await signInOnline(online, 'bea');
    await online.invoke(1, 'auth.logout', {});
    await serverDown();
    expect((await login(await start(), 'bea')).ok).toBe(true);
  });

  it('a replica past its lease does not open, and says so', async () => {
    const key = keychain.open(
      fs.readFileSync(`${replicaFile(replicas(), ids.dee!)}.key`, 'utf8').trim(),
    );
    const replica = await openReplicaFile({ dir: replicas(), staffId: ids.dee!, key });
    const lastWeek = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
    await replica.store.transaction((w) => w.setMeta({ lastContact: lastWeek }));
    await replica.close();
    const refused = errorOf(await login(await start(), 'dee'));
    expect(refused?.code).toBe('SERVER_UNREACHABLE');
    expect(refused?.message).toMatch(/longer than the 72 hours allowed/);
  });

  it('the server back: the window locks, the password reconnects it, and the outbox is replayed', async () => {
    const w = await start();
    expect((await login(w, 'sam')).ok).toBe(true);
    expect(await linkOf(w)).toMatchObject({ outbox: 1, signedInOffline: true });
    const before = (await asAdmin('accounts.get', { id: accountId })) as { version: number };

    await serverUp();
    // The first call to find the server is refused: the password is asked for, nothing is sent.
    const locked = errorOf(await w.invoke(1, 'accounts.get', { id: accountId }));
    expect(locked).toMatchObject({ code: 'SESSION_LOCKED' });
    expect(locked?.message).toMatch(/reconnect/);
    expect(await linkOf(w)).toMatchObject({ reconnect: true, outbox: 1 });
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { session: { user: { id: ids.sam }, locked: true } },
    });
    expect(await asAdmin('accounts.get', { id: accountId })).toMatchObject({
      version: before.version,
    });

    // Gone again before the password was typed: it unlocks offline, and stays unlocked.
    await serverDown();
    expect(await w.invoke(1, 'auth.unlock', { password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
    expect(await linkOf(w)).toMatchObject({ reconnect: false, online: false, outbox: 1 });
    expect((await w.invoke(1, 'accounts.get', { id: accountId })).ok).toBe(true);
    await serverUp();
    expect(errorOf(await w.invoke(1, 'accounts.get', { id: accountId }))?.code).toBe(
      'SESSION_LOCKED',
    );

    expect(
      errorOf(await w.invoke(1, 'auth.unlock', { password: 'not the password' })),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
      fieldErrors: { password: expect.any(String) },
    });
    const back = await w.invoke(1, 'auth.unlock', { password: STAFF_PASSWORD });
    expect(back).toMatchObject({ ok: true, value: { user: { id: ids.sam }, locked: false } });
    await expect.poll(async () => (await linkOf(w))?.outbox, { timeout: 30_000 }).toBe(0);
    expect(await linkOf(w)).toMatchObject({ signedInOffline: false, reconnect: false });
    expect(await asAdmin('accounts.get', { id: accountId })).toMatchObject({
      version: before.version + 1,
      fields: { phone: '+1 415 555 0142' },
    });
    // The session is the server's now: a call goes there.
    expect(await w.invoke(1, 'staff.list', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('a password changed online makes the wrap again; a password reset by an administrator takes it away', async () => {
    await serverUp();
    const w = await start();
    await signInOnline(w, 'dee');
    const changed = await w.invoke(1, 'auth.changePassword', {
      currentPassword: STAFF_PASSWORD,
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    if (!changed.ok) throw new Error(changed.error.message);
    await w.invoke(1, 'auth.logout', {});
    await serverDown();
    // The online contact renewed the lease the earlier test had run out.
    const away = await start();
    expect(errorOf(await login(away, 'dee', STAFF_PASSWORD))?.code).toBe('UNAUTHENTICATED');
    expect(await login(away, 'dee', NEW_PASSWORD)).toMatchObject({
      ok: true,
      value: { user: { id: ids.dee } },
    });

    await serverUp();
    await asAdmin('staff.resetPassword', { id: ids.dee, temporaryPassword: TEMPORARY_PASSWORD });
    expect(await login(w, 'dee', TEMPORARY_PASSWORD)).toMatchObject({
      ok: true,
      value: { mustChangePassword: true },
    });
    // A password the server wants changed signs nobody in offline, nor does the one before it.
    expect(fs.existsSync(wrapOf('dee'))).toBe(false);
    await w.invoke(1, 'auth.logout', {});
  });

  it("a deactivated member's replica and wrap are removed at the next contact", async () => {
    await serverDown();
    const w = await start();
    expect((await login(w, 'bea')).ok).toBe(true);
    expect(fs.existsSync(wrapOf('bea'))).toBe(true);
    await serverUp();
    const staff = (await asAdmin('staff.list', {})) as { id: string; version: number }[];
    const bea = staff.find((s) => s.id === ids.bea)!;
    await asAdmin('staff.update', { id: bea.id, version: bea.version, active: false });
    // The window's status poll is the contact that finds out.
    await expect
      .poll(
        async () => {
          await linkOf(w);
          return fs.existsSync(wrapOf('bea'));
        },
        { timeout: 30_000 },
      )
      .toBe(false);
    expect(fs.existsSync(replicaFile(replicas(), ids.bea!))).toBe(false);
    const ended = errorOf(await w.invoke(1, 'accounts.get', { id: accountId }));
    expect(ended).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ended?.message).toMatch(/no longer active/);
  });
});

describe('a member signed in online, the server gone', () => {
  it('locks the window here, and unlocks it with the password by the offline wrap', async () => {
    await serverUp();
    const w = await start();
    ids.lou = (await signInOnline(w, 'lou')).user.id;
    await serverDown();
    expect((await w.invoke(1, 'accounts.get', { id: accountId })).ok).toBe(true);
    expect(await w.invoke(1, 'auth.lock', {})).toEqual({ ok: true, value: null });
    // Locked: the replica answers nothing, as the server would not.
    expect(errorOf(await w.invoke(1, 'accounts.get', { id: accountId }))?.code).toBe(
      'SESSION_LOCKED',
    );
    expect(errorOf(await w.invoke(1, 'accounts.list', {}))?.code).toBe('SESSION_LOCKED');
    expect(errorOf(await w.invoke(1, 'auth.unlock', { password: 'not it' }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      fieldErrors: { password: expect.any(String) },
    });
    expect(await w.invoke(1, 'auth.unlock', { password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { user: { id: ids.lou }, locked: false },
    });
    expect((await w.invoke(1, 'accounts.get', { id: accountId })).ok).toBe(true);

    // Signed out while away: nothing more from the replica, and no session when the server is back.
    expect(await w.invoke(1, 'auth.logout', {})).toEqual({ ok: true, value: null });
    expect(errorOf(await w.invoke(1, 'accounts.get', { id: accountId }))?.code).toBe(
      'SERVER_UNREACHABLE',
    );
    expect(await linkOf(w)).toBeNull();
    await serverUp();
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { session: null },
    });
  });
});

describe('a deactivated member signed in online', () => {
  it('loses the wrap with the replica when the workstation next reaches the server', async () => {
    await serverUp();
    const w = await start();
    await signInOnline(w, 'sam');
    expect(fs.existsSync(wrapOf('sam'))).toBe(true);
    await serverDown();
    expect((await w.invoke(1, 'accounts.get', { id: accountId })).ok).toBe(true);
    expect(await linkOf(w)).toMatchObject({ online: false, signedInOffline: false });
    const staff = (await asAdmin('staff.list', {})) as { id: string; version: number }[];
    const sam = staff.find((s) => s.id === ids.sam)!;
    await asAdmin('staff.update', { id: sam.id, version: sam.version, active: false });
    await serverUp();
    await expect
      .poll(
        async () => {
          await linkOf(w);
          return fs.existsSync(wrapOf('sam'));
        },
        { timeout: 30_000 },
      )
      .toBe(false);
    expect(fs.existsSync(replicaFile(replicas(), ids.sam!))).toBe(false);
    await serverDown();
    expect(errorOf(await login(await start(), 'sam'))?.message).toMatch(/no offline copy for sam/);
  });
});
