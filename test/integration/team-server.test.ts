/**
 * The team server itself (issue 15), only in the "server" project: sessions held as token hashes
 * and shared by two instances, the address the server saw in the access log, the pinned
 * certificate, TLS 1.3 only, rate-limited sign-in, and bad input at the door answered with a
 * structured error, nothing written.
 */
import { createHash } from 'node:crypto';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import { TeamServerClient, type RemoteSession } from '../../main/remote/client';
import { makeServerIdentity } from '../../main/server/identity';
import type { RunningServer } from '../../main/server/serve';
import { INVOKE_PATH, MAX_BODY_BYTES } from '../../shared/team-wire';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD } from '../support/staff';
import {
  TEST_CLIENT,
  TEST_LIMITS,
  startTestServer,
  teamServerOf,
  testServerIdentity,
} from '../support/team-server';

let t: TestBackend;
let server: RunningServer;
/** A second server instance on the same database, with its own backend. */
let secondBackend: Backend;
let second: RunningServer;
/** This test workstation's client certificate and key (enrolled in beforeAll). */
let creds: { certPem: string; keyPem: string };

beforeAll(async () => {
  t = await openTestBackend();
  server = teamServerOf(t.backend).server;
  secondBackend = await openBackend({
    database: t.database,
    logger: silentLogger,
    exportDir: `${t.dir}/exports2`,
    keyDir: t.dir,
    witnessDirs: [`${t.dir}/witness`],
  });
  second = await startTestServer(secondBackend);
  const { code } = await t.backend.services.enrolments.issue('team-server test', null);
  const stranger = new TeamServerClient({
    url: server.url,
    fingerprint: server.fingerprint,
    client: TEST_CLIENT,
  });
  const enrolled = await stranger.enrol(code, 'team-server test', 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  creds = enrolled.value;
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  await t.backend.services.auth.createStaff({
    username: 'sam',
    displayName: 'Sam Support',
    role: 'support_agent',
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
});

afterAll(async () => {
  await second?.close();
  await secondBackend?.close();
  await t?.close();
});

function clientOf(
  s: RunningServer,
  fingerprint = s.fingerprint,
  /** null: a workstation that is not enrolled. */
  clientAuth: typeof creds | null = creds,
): TeamServerClient {
  return new TeamServerClient({
    url: s.url,
    fingerprint,
    client: TEST_CLIENT,
    ...(clientAuth ? { clientAuth } : {}),
  });
}

async function signIn(c: TeamServerClient, username = 'sam', password = STAFF_PASSWORD) {
  const session = c.openSession();
  const r = await c.invoke(session, 'auth.login', { username, password });
  expect(r.ok).toBe(true);
  expect(session.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  return session;
}

/** A raw HTTPS request to the server (trusting its certificate), for what a client never sends. */
async function raw(
  s: RunningServer,
  path: string,
  init: { headers?: Record<string, string>; body?: string; method?: 'POST' | 'GET' } = {},
) {
  const ca = teamServerCert();
  const agent = new Agent({
    connect: { ca, cert: creds.certPem, key: creds.keyPem, checkServerIdentity: () => undefined },
  });
  try {
    const res = await request(new URL(path, s.url), {
      method: init.method ?? 'POST',
      dispatcher: agent,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    return { status: res.statusCode, body: (await res.body.json()) as TestAnswer };
  } finally {
    await agent.close();
  }
}

/** Every test server of this process shares one identity. */
const teamServerCert = () => testServerIdentity().certPem;

interface TestAnswer {
  result: { ok: boolean; error: { code: string; message: string } };
  token?: string | null;
}

const json = { 'content-type': 'application/json' };
const body = (input: unknown) => JSON.stringify({ input, client: TEST_CLIENT });

describe('sessions held by the server', () => {
  it('stores only the SHA-256 of the token, never the token', async () => {
    const c = clientOf(server);
    const s = await signIn(c);
    const rows = await t.backend.services.db('server_sessions').select();
    const hash = createHash('sha256').update(s.token!).digest('hex');
    expect(rows.map((r) => r.token_hash)).toContain(hash);
    expect(JSON.stringify(rows)).not.toContain(s.token!);
    await c.close();
  });

  it('a session made on one instance works on the other, and a sign-out on one ends it on both', async () => {
    const one = clientOf(server);
    const two = clientOf(second);
    const s = await signIn(one);
    const elsewhere: RemoteSession = two.openSession();
    elsewhere.token = s.token;
    expect((await two.invoke(elsewhere, 'accounts.list', {})).ok).toBe(true);
    expect((await two.invoke(elsewhere, 'auth.logout', {})).ok).toBe(true);
    expect(elsewhere.token).toBeNull();
    const replayed = await one.invoke(s, 'accounts.list', {});
    expect(replayed.ok).toBe(false);
    if (!replayed.ok) {
      expect(replayed.error.code).toBe('UNAUTHENTICATED');
      expect(replayed.error.message).toMatch(/session has ended/);
    }
    expect(s.token).toBeNull();
    await one.close();
    await two.close();
  });

  it('deactivation on one instance ends the session on the other at once', async () => {
    await t.backend.services.auth.createStaff({
      username: 'dee',
      displayName: 'Dee',
      role: 'support_agent',
      password: STAFF_PASSWORD,
      mustChangePassword: false,
    });
    const one = clientOf(server);
    const two = clientOf(second);
    const dee = await signIn(one, 'dee');
    const admin = await signIn(two, ADMIN.username, ADMIN.password);
    const list = await two.invoke(admin, 'staff.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const row = (list.value as { id: string; username: string; version: number }[]).find(
      (r) => r.username === 'dee',
    )!;
    const off = await two.invoke(admin, 'staff.update', {
      id: row.id,
      version: row.version,
      active: false,
    });
    expect(off.ok).toBe(true);
    const r = await one.invoke(dee, 'accounts.list', {});
    expect(r.ok ? null : r.error.code).toBe('UNAUTHENTICATED');
    expect(r.ok ? null : r.error.message).toMatch(/session has ended|no longer active/);
    await one.close();
    await two.close();
  });

  // The server's own clock decides (the backend behind it keeps the real one).
  it.each([
    ['long-unused', { lifetimeMs: 10 * 3_600_000, idleMs: 600_000 }, /long time unused/],
    ['expired', { lifetimeMs: 600_000, idleMs: 10 * 3_600_000 }, /session expired/],
  ])('a %s session is refused and forgotten, its row deleted', async (_kind, limits, message) => {
    const clock = new ManualClock(Date.now());
    const timed = await startTestServer(teamServerOf(t.backend).inner, clock, undefined, limits);
    const c = clientOf(timed);
    const s = await signIn(c);
    const hash = createHash('sha256').update(s.token!).digest('hex');
    expect((await c.invoke(s, 'auth.heartbeat', {})).ok).toBe(true);
    clock.advance(11 * 60_000);
    const r = await c.invoke(s, 'auth.heartbeat', {});
    expect(r.ok ? null : r.error).toMatchObject({ code: 'UNAUTHENTICATED', message });
    expect(s.token).toBeNull();
    expect(await t.backend.services.db('server_sessions').where({ token_hash: hash })).toEqual([]);
    await c.close();
    await timed.close();
  });

  it('records the address the server saw beside what the workstation reports', async () => {
    const c = clientOf(second);
    const s = await signIn(c);
    expect((await c.invoke(s, 'accounts.list', {})).ok).toBe(true);
    const entries = await t.backend.services.db('access_log').select('ip', 'seen_ip', 'hostname');
    expect(entries.length).toBeGreaterThan(0);
    const mine = entries.filter((e) => e.hostname === TEST_CLIENT.hostname);
    expect(mine.length).toBeGreaterThan(0);
    for (const e of mine) {
      expect(e.ip).toBe(TEST_CLIENT.ip);
      expect(e.seen_ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    }
    await c.close();
  });
});

describe('the pinned certificate', () => {
  it('refuses a server whose certificate is not the pinned one, saying what to check', async () => {
    const other = makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 });
    const c = clientOf(server, other.fingerprint);
    const r = await c.invoke(c.openSession(), 'app.status', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SERVER_UNREACHABLE');
      expect(r.error.message).toContain(server.fingerprint);
      expect(r.error.message).toContain(other.fingerprint);
      expect(r.error.message).toMatch(/nothing was sent.*Settings → Team server/s);
    }
    await c.close();
  });

  it('says so when the server cannot be reached', async () => {
    const c = new TeamServerClient({
      url: 'https://127.0.0.1:1',
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
    });
    const r = await c.invoke(c.openSession(), 'app.status', {});
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'SERVER_UNREACHABLE',
      message: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)/),
    });
  });

  it('speaks TLS 1.3 only', async () => {
    const url = new URL(server.url);
    const error = await new Promise<Error | null>((resolve) => {
      const socket = tls.connect({
        host: url.hostname,
        port: Number(url.port),
        maxVersion: 'TLSv1.2',
        rejectUnauthorized: false,
      });
      socket.once('secureConnect', () => {
        socket.end();
        resolve(null);
      });
      socket.once('error', resolve);
    });
    expect(error).not.toBeNull();
  });
});

describe('bad input at the door', () => {
  const path = `${INVOKE_PATH}accounts.list`;

  async function staffCount() {
    return Number((await t.backend.services.db('staff').count({ n: '*' }))[0]!.n);
  }

  it('malformed JSON, wrong content types, oversized bodies and unknown channels', async () => {
    const staff = await staffCount();
    const cases = [
      [{ headers: json, body: '{"input": ' }, 400, 'VALIDATION', /not valid JSON/],
      [{ headers: { 'content-type': 'text/plain' }, body: body({}) }, 415, 'VALIDATION', /json/],
      [
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' },
        415,
        'VALIDATION',
        /json/,
      ],
      [
        { headers: json, body: body({ search: 'x'.repeat(MAX_BODY_BYTES) }) },
        413,
        'VALIDATION',
        /larger than/,
      ],
      [{ headers: json, body: JSON.stringify({ input: {} }) }, 400, 'VALIDATION', /form/],
      [{ headers: json, body: JSON.stringify([1, 2]) }, 400, 'VALIDATION', /form/],
      // A time of making is for an offline change replayed, and must be a time.
      [
        { headers: json, body: JSON.stringify({ ...JSON.parse(body({})), madeOfflineAt: 'soon' }) },
        400,
        'VALIDATION',
        /form/,
      ],
      [
        {
          headers: json,
          body: JSON.stringify({ ...JSON.parse(body({})), madeOfflineAt: '2025-01-01T00:00:00Z' }),
        },
        400,
        'VALIDATION',
        /can be made offline/,
      ],
    ] as const;
    for (const [init, status, code, message] of cases) {
      const r = await raw(server, path, init);
      expect(r.status).toBe(status);
      expect(r.body.result).toMatchObject({ ok: false, error: { code } });
      expect(r.body.result.error.message).toMatch(message);
    }
    const unknown = await raw(server, `${INVOKE_PATH}accounts.dropAll`, {
      headers: json,
      body: body({}),
    });
    expect(unknown.body.result.error.code).toBe('UNKNOWN_CHANNEL');
    const nowhere = await raw(server, '/v1/other', { method: 'GET' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.result.error.code).toBe('UNKNOWN_CHANNEL');
    expect(await staffCount()).toBe(staff);
  });

  it('missing, malformed and forged tokens get no data', async () => {
    const missing = await raw(server, path, { headers: json, body: body({}) });
    expect(missing.body.result.error.code).toBe('UNAUTHENTICATED');
    const malformed = await raw(server, path, {
      headers: { ...json, authorization: 'Bearer not a token!' },
      body: body({}),
    });
    expect(malformed.status).toBe(401);
    expect(malformed.body.result.error.code).toBe('UNAUTHENTICATED');
    const forged = await raw(server, path, {
      headers: { ...json, authorization: `Bearer ${'A'.repeat(43)}` },
      body: body({}),
    });
    expect(forged.body.result.error.code).toBe('UNAUTHENTICATED');
    expect(forged.body.token).toBeNull();
    expect(JSON.stringify(forged.body)).not.toMatch(/rows/);
  });

  it('a staff id or role written into the input changes nothing about who calls', async () => {
    const c = clientOf(server);
    const s = await signIn(c);
    const admins = await t.backend.services.db('staff').where({ role: 'administrator' });
    for (const extra of [{ staffId: admins[0]!.id }, { role: 'administrator' }]) {
      const r = await c.invoke(s, 'staff.list', extra);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['VALIDATION', 'FORBIDDEN']).toContain(r.error.code);
    }
    const r = await raw(server, `${INVOKE_PATH}staff.list`, {
      headers: { ...json, authorization: `Bearer ${s.token!}` },
      body: JSON.stringify({ input: {}, client: TEST_CLIENT, staffId: admins[0]!.id }),
    });
    expect(r.status).toBe(400);
    expect(r.body.result.error.code).toBe('VALIDATION');
    await c.close();
  });
});

describe('sign-in rate limits', () => {
  it('refuses sign-in attempts beyond the limit for one username, with a clear message', async () => {
    // The address limit stays high: the counters are shared by every server on the database.
    const limited = await startTestServer(teamServerOf(t.backend).inner, undefined, {
      ...TEST_LIMITS,
      signInPerUsername: 3,
    });
    const c = clientOf(limited);
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await c.invoke(c.openSession(), 'auth.login', {
        username: 'nobody-here',
        password: 'wrong password 1',
      });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
    const last = await c.invoke(c.openSession(), 'auth.login', {
      username: 'nobody-here',
      password: 'wrong password 1',
    });
    expect(last.ok ? '' : last.error.message).toMatch(
      /Too many sign-in attempts for this username or code/,
    );
    // Another username from the same address is not held back by it (one not signed in with
    // yet: the counters are shared with the other tests' servers).
    await t.backend.services.auth.createStaff({
      username: 'rita',
      displayName: 'Rita Rate',
      role: 'support_agent',
      password: STAFF_PASSWORD,
      mustChangePassword: false,
    });
    const other = await c.invoke(c.openSession(), 'auth.login', {
      username: 'rita',
      password: STAFF_PASSWORD,
    });
    expect(other.ok ? 'ok' : other.error.message).toBe('ok');
    await c.close();
    await limited.close();
  });
});

describe('sign-in rate limits across instances', () => {
  it('two instances on one database count the same attempts, keyed by a hash only', async () => {
    const inner = teamServerOf(t.backend).inner;
    const limits = { ...TEST_LIMITS, signInPerUsername: 3 };
    const a = await startTestServer(inner, undefined, limits);
    const b = await startTestServer(secondBackend, undefined, limits);
    const ca = clientOf(a);
    const cb = clientOf(b);
    const attempt = (c: typeof ca) =>
      c.invoke(c.openSession(), 'auth.login', {
        username: 'spread-guesser',
        password: 'wrong password 2',
      });
    const codes: string[] = [];
    for (const c of [ca, cb, ca, cb]) {
      const r = await attempt(c);
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    // Three attempts in all, whichever instance took them; the fourth is refused.
    expect(codes).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
    const names = (await inner.services.db('rate_counters').pluck('name')) as string[];
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^[0-9a-f]{64}$/.test(n))).toBe(true);
    expect(names.join(' ')).not.toContain('spread-guesser');
    for (const c of [ca, cb]) await c.close();
    await a.close();
    await b.close();
  });
});

describe('enrolment', () => {
  async function issue(label: string) {
    return t.backend.services.enrolments.issue(label, null);
  }

  async function enrolWith(code: string) {
    const c = clientOf(server, server.fingerprint, null);
    const r = await c.enrol(code, 'desk 7', 2048);
    await c.close();
    return r;
  }

  it('refuses an unenrolled workstation before sign-in, saying what to do', async () => {
    const c = clientOf(server, server.fingerprint, null);
    const r = await c.invoke(c.openSession(), 'auth.login', {
      username: 'sam',
      password: STAFF_PASSWORD,
    });
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'NOT_ENROLLED',
      message: expect.stringMatching(/not enrolled.*enrolment code.*Settings → Team server/),
    });
    await c.close();
  });

  it('a code works once: a reused code is refused', async () => {
    const { code } = await issue('desk 7');
    expect((await enrolWith(code)).ok).toBe(true);
    const again = await enrolWith(code);
    expect(again.ok ? null : again.error).toMatchObject({
      code: 'NOT_ENROLLED',
      message: expect.stringMatching(/already used; a code works once/),
    });
  });

  it('an expired code is refused with the time it expired', async () => {
    const { id, code } = await issue('desk 8');
    await t.backend.services
      .db('workstation_enrolments')
      .where({ id })
      .update({ expires_at: '2020-01-01T08:30:00.000Z' });
    const r = await enrolWith(code);
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'NOT_ENROLLED',
      message: expect.stringMatching(/expired at 2020-01-01 08:30 UTC/),
    });
    const unknown = await enrolWith('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(unknown.ok ? null : unknown.error.message).toMatch(/not known to the server/);
  });

  it('an administrator lists and revokes enrolments; a revoked workstation is refused at once on every instance', async () => {
    const { code } = await issue('desk 9');
    const enrolled = await enrolWith(code);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const desk9one = clientOf(server, server.fingerprint, enrolled.value);
    const desk9two = clientOf(second, second.fingerprint, enrolled.value);
    const s1 = await signIn(desk9one);
    expect((await desk9one.invoke(s1, 'accounts.list', {})).ok).toBe(true);

    const adminClient = clientOf(second);
    const admin = await signIn(adminClient, ADMIN.username, ADMIN.password);
    const list = await adminClient.invoke(admin, 'enrolments.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const row = (list.value as { id: string; label: string; state: string }[]).find(
      (e) => e.label === 'desk 9',
    )!;
    expect(row.state).toBe('enrolled');
    const samList = await desk9one.invoke(s1, 'enrolments.list', {});
    expect(samList.ok ? null : samList.error.code).toBe('FORBIDDEN');

    const revoked = await adminClient.invoke(admin, 'enrolments.revoke', { id: row.id });
    expect(revoked.ok && (revoked.value as { state: string }).state).toBe('revoked');
    for (const c of [desk9one, desk9two]) {
      const r = await c.invoke(s1, 'accounts.list', {});
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'NOT_ENROLLED',
        message: expect.stringMatching(/enrolment was revoked/),
      });
    }
    for (const c of [desk9one, desk9two, adminClient]) await c.close();
  });
});
