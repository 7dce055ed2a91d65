/**
 * Where the team server's added latency goes (issue 15), stage by stage: a small SQLite database,
 * the server on loopback in this process as the bench starts it, and each stage of a request
 * timed on its own (the enrolment check and the session resume apart, the one-statement door that
 * replaced them, the envelope's JSON and zod, a bare mutual-TLS round trip through Fastify with a
 * small and a list-page answer) beside the whole call in process and through the server, with the
 * server's own share (its 'request' event to the answer handed to the socket) and the backend's
 * part inside it. Not part of `npm run bench`; a tool for finding what to cut next.
 *
 *   node scripts/run-ts.mjs test/bench/profile-server.ts [--calls 2000] [--accounts 5000]
 *     [--profile-dir DIR]
 *
 * --profile-dir writes a CPU profile of each of the last loops (in process and through the server
 * alternately, per work) to DIR, e.g. `search-by-name-prefix.cpuprofile`, for Chrome's DevTools.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import Fastify from 'fastify';
import { Agent, request } from 'undici';
import { silentLogger } from '../../main/log';
import { TeamServerClient } from '../../main/remote/client';
import { checkPinned } from '../../main/remote/pin';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import { ServerSessionService } from '../../main/services/server-sessions';
import { systemClock } from '../../main/services/clock';
import { seedAccounts } from '../../main/services/seed';
import { invokeResponse } from '../../shared/team-wire';
import { profiled } from './cpu-profile';
import { percentile } from './stats';
import { timeBackend, timeRequests, type CallTime } from './server-child';
import { benchBackend, runTool } from './tool';

const PASSWORD = 'profile password 1';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function timeEach(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await fn(i);
    out.push(performance.now() - started);
  }
  return out;
}

function report(stage: string, samples: number[]): void {
  const us = (ms: number) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
  process.stdout.write(
    `${stage.padEnd(52)} p50 ${us(percentile(samples, 0.5))}  p95 ${us(percentile(samples, 0.95))}\n`,
  );
}

async function main(): Promise<void> {
  const calls = option('--calls', 2000);
  const accounts = option('--accounts', 5000);
  const dirAt = process.argv.indexOf('--profile-dir');
  const profileDir = dirAt >= 0 ? path.resolve(process.argv[dirAt + 1]!) : null;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-profile-'));
  const backend = await benchBackend(
    { client: 'sqlite', filename: path.join(dir, 'db.sqlite'), key: null },
    dir,
  );
  const identity = makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 });
  // The server's own share of a call: from its 'request' event (headers read) to the answer's
  // 'finish' (handed to the socket).
  const served = timeRequests();
  const server = await startTeamServer({
    backend,
    host: '127.0.0.1',
    port: 0,
    identity,
    log: silentLogger,
    spoolDir: path.join(dir, 'spool'),
    limits: { perAddress: 1_000_000, signInPerAddress: 1_000, signInPerUsername: 1_000 },
  });
  served.restore();
  try {
    await seedAccounts(backend.services.db, { count: accounts, seed: 5 });
    const admin = backend.openSession();
    const made = await backend.invoke(admin, 'setup.createFirstAdmin', {
      displayName: 'Profile Admin',
      username: 'profile.admin',
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    });
    if (!made.ok) throw new Error(made.error.message);
    const local = backend.openSession();
    await backend.invoke(local, 'auth.login', { username: 'profile.admin', password: PASSWORD });
    const ids = (
      (await backend.services.db('accounts').limit(500).select('id', 'name_key')) as {
        id: string;
        name_key: string;
      }[]
    ).map((r) => ({ id: r.id, prefix: r.name_key.slice(0, 3) }));
    const at = (i: number) => ids[i % ids.length]!;

    const address = { url: server.url, fingerprint: server.fingerprint };
    const client = { hostname: 'profile', ip: '127.0.0.1', os: 'profile', appVersion: 'profile' };
    const { code } = await backend.services.enrolments.issue('profile', null);
    const stranger = new TeamServerClient({ ...address, client });
    const enrolled = await stranger.enrol(code, 'profile', 2048);
    await stranger.close();
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const remote = new TeamServerClient({ ...address, client, clientAuth: enrolled.value });
    const session = remote.openSession();
    const login = await remote.invoke(session, 'auth.login', {
      username: 'profile.admin',
      password: PASSWORD,
    });
    if (!login.ok) throw new Error(login.error.message);

    const detail = (i: number) => ({ id: at(i).id });
    const search = (i: number) => ({
      search: at(i).prefix,
      searchKind: 'name' as const,
      sort: 'match' as const,
    });
    // Warm up both paths.
    for (let i = 0; i < 200; i++) {
      await backend.invoke(local, 'accounts.get', detail(i));
      await remote.invoke(session, 'accounts.get', detail(i));
    }

    const serial = (
      (await backend.services.db('workstation_enrolments').whereNotNull('cert_serial').first()) as {
        cert_serial: string;
      }
    ).cert_serial;
    report(
      'enrolment check (one query by serial)',
      await timeEach(calls, () => backend.services.enrolments.checkCertificate(serial)),
    );
    const sessions = new ServerSessionService(backend.services.db, systemClock);
    report(
      'session resume (one query joining staff)',
      await timeEach(calls, () => sessions.resume(session.token!)),
    );
    const prepared = new ServerSessionService(
      backend.services.db,
      systemClock,
      undefined,
      backend.services.hot,
    );
    report(
      'door: enrolment + session, one prepared statement',
      await timeEach(calls, async () => {
        const door = await prepared.atDoor(serial, session.token!);
        return prepared.resume(session.token!, door.session);
      }),
    );
    const got = await backend.invoke(local, 'accounts.get', detail(0));
    const envelope = { result: got };
    report(
      'detail answer: stringify + parse + zod envelope',
      await timeEach(calls, async () =>
        invokeResponse.parse(JSON.parse(JSON.stringify(envelope)) as unknown),
      ),
    );
    const found = await backend.invoke(local, 'accounts.list', search(0));
    report(
      'search answer: stringify + parse + zod envelope',
      await timeEach(calls, async () =>
        invokeResponse.parse(JSON.parse(JSON.stringify({ result: found })) as unknown),
      ),
    );
    process.stdout.write(
      `(detail answer ${JSON.stringify(envelope).length} B, search answer ${JSON.stringify({ result: found }).length} B)\n`,
    );

    // The floor: a TLS 1.3 round trip through a Fastify route that does nothing, mutual TLS.
    const bare = Fastify({
      https: {
        key: identity.keyPem,
        cert: identity.certPem,
        minVersion: 'TLSv1.3',
        requestCert: true,
        rejectUnauthorized: false,
        ca: [identity.certPem],
      },
      logger: false,
    });
    bare.post('/noop', async (req) => {
      void (req.raw.socket as TLSSocket).getPeerCertificate();
      return { result: { ok: true, value: null } };
    });
    // The same with a list page's answer: what the answer's size costs the wire alone.
    const page = await backend.invoke(local, 'accounts.list', { sort: 'name', limit: 50 });
    bare.post('/page', async () => ({ result: page }));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `https://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
    const agent = new Agent({
      connect: {
        ca: identity.certPem,
        checkServerIdentity: (_h, cert) => checkPinned(bareUrl, identity.fingerprint, cert),
        cert: enrolled.value.certPem,
        key: enrolled.value.keyPem,
      },
    });
    const noop = async (path = '/noop') => {
      const res = await request(`${bareUrl}${path}`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: '{"input":{}}',
      });
      await res.body.json();
    };
    for (let i = 0; i < 200; i++) await noop();
    for (let i = 0; i < 200; i++) await noop('/page');
    report('bare Fastify + undici round trip, mutual TLS', await timeEach(calls, () => noop()));
    report(
      `the same, answering a list page (${JSON.stringify({ result: page }).length} B)`,
      await timeEach(calls, () => noop('/page')),
    );
    await agent.close();
    await bare.close();

    // The backend's own work inside the server (the same object answers both paths).
    const inServer = timeBackend(backend, (s) => s !== local).times;
    /** The server's times of `channel` since the last call, emptied. */
    const taken = (list: CallTime[], channel: string) =>
      list
        .splice(0)
        .filter((t) => t.channel === channel)
        .map((t) => t.ms);
    for (const [work, channel, input] of [
      ['account detail', 'accounts.get', detail],
      ['search by name prefix', 'accounts.list', search],
    ] as const) {
      const inProc: number[] = [];
      const wire: number[] = [];
      inServer.length = 0;
      served.times.length = 0;
      const file = profileDir
        ? path.join(profileDir, `${work.replaceAll(' ', '-')}.cpuprofile`)
        : null;
      await profiled(file, async () => {
        for (let i = 0; i < calls; i++) {
          let started = performance.now();
          await backend.invoke(local, channel, input(i));
          inProc.push(performance.now() - started);
          started = performance.now();
          const r = await remote.invoke(session, channel, input(i));
          wire.push(performance.now() - started);
          if (!r.ok) throw new Error(r.error.message);
        }
      });
      report(`${work}: in process`, inProc);
      report(`${work}: through the server`, wire);
      report(`${work}: the server, request to answer sent`, taken(served.times, channel));
      report(`${work}: the backend's part inside the server`, taken(inServer, channel));
    }
    // An edit: back to back in process, spaced by a pause (so that work an edit leaves behind
    // is not counted in the next), and through the server. Each edits accounts of its own.
    const today = new Date().toISOString().slice(0, 10);
    const edit = async (via: 'local' | 'remote', i: number): Promise<number> => {
      const run = (channel: string, input: unknown) =>
        via === 'local'
          ? backend.invoke(local, channel, input)
          : remote.invoke(session, channel, input);
      const id = at(i * 2 + (via === 'local' ? 0 : 1)).id;
      const got = await run('accounts.get', { id });
      if (!got.ok) throw new Error(got.error.message);
      const started = performance.now();
      const r = await run('accounts.update', {
        id,
        version: (got.value as { version: number }).version,
        changes: { city: `Profile ${i % 97}` },
        provenance: { source: 'phone', date: today },
      });
      if (!r.ok) throw new Error(r.error.message);
      return performance.now() - started;
    };
    const edits = Math.min(calls, 400);
    const backToBack: number[] = [];
    const spaced: number[] = [];
    const wireEdits: number[] = [];
    for (let i = 0; i < edits; i++) backToBack.push(await edit('local', i));
    for (let i = 0; i < edits; i++) {
      await new Promise((r) => setTimeout(r, 10));
      spaced.push(await edit('local', i));
    }
    inServer.length = 0;
    served.times.length = 0;
    for (let i = 0; i < edits; i++) wireEdits.push(await edit('remote', i));
    report('edit: in process, back to back', backToBack);
    report('edit: in process, 10 ms apart', spaced);
    report('edit: through the server, back to back', wireEdits);
    report('edit: the server, request to answer sent', taken(served.times, 'accounts.update'));
    report("edit: the backend's part inside the server", taken(inServer, 'accounts.update'));
    await remote.close();
  } finally {
    await server.close();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runTool(main);
