/**
 * The bench rows through the team server (issue 15): search, a list page, an account's detail
 * and an edit, sent by a TeamServerClient (pinned certificate, mutual TLS, bearer token) to a
 * team server on loopback in front of the same backend the in-process rows use. The calls are
 * timed beside the same calls made in process, in alternating blocks, so the baseline columns of
 * these rows are the in-process figures of the same moments and the difference is what the
 * server adds.
 * Target: the server adds at most 1 ms at p50, and search p95 stays under 5 ms.
 *
 * Each row is measured twice: with the server in this process (client and server then share one
 * thread, so both sides' work adds up), and with the server in a process of its own on the same
 * database, as in use (server-child.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../../main/app/backend';
import type { DatabaseConfig } from '../../main/db/connect';
import { silentLogger } from '../../main/log';
import { TeamServerClient, type RemoteSession } from '../../main/remote/client';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import type { Session } from '../../main/services/session';
import type { Channel, Input } from '../../shared/contract';
import {
  startChildServer,
  timeBackend,
  timeRequests,
  type CallTime,
  type ServerTimes,
} from './server-child';
import { percentile, type Result } from './stats';

export const THROUGH_SERVER = '(through the team server)';
/** The same rows with the server in a process of its own (server-child.ts). */
export const THROUGH_SERVER_CHILD = '(through the team server in its own process)';

/** Calls per side in each block of a paired measurement (see `paired`). */
const BLOCK = 25;

/** Untimed calls through the server before each row: a server in a fresh process starts cold. */
const WARMUP_THROUGH_SERVER = 200;

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Whether a row is one of these, whichever process the server ran in. */
export function throughServer(work: string): boolean {
  return work.endsWith(THROUGH_SERVER) || work.endsWith(THROUGH_SERVER_CHILD);
}

export interface ServerCaseOptions {
  backend: Backend;
  /** The backend's database, for the server in a child process to open too. */
  database: DatabaseConfig;
  /** The bench's bundle (run with --team-server for the child). */
  bundle: string;
  workDir: string;
  n: number;
  warmup: number;
  /** An in-process session of the same staff member the client signs in as. */
  inProcess: Session;
  username: string;
  password: string;
  /** The i-th sampled account. */
  at: (i: number) => { id: string; name_key: string };
  /** The keyset cursor of the middle list page. */
  middleCursor: string;
  add: (r: Omit<Result, 'engine'>) => void;
}

export async function serverCases(o: ServerCaseOptions): Promise<void> {
  const identity = makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 });
  const spoolDir = path.join(o.workDir, 'spool');
  const served = timeRequests();
  const server = await startTeamServer({
    backend: o.backend,
    host: '127.0.0.1',
    port: 0,
    identity,
    log: silentLogger,
    spoolDir,
    limits: { perAddress: 1_000_000, signInPerAddress: 1_000, signInPerUsername: 1_000 },
  });
  served.restore();
  const inServer = timeBackend(o.backend, (session) => session !== o.inProcess);
  try {
    const address = { url: server.url, fingerprint: server.fingerprint };
    const issueCode = async (label: string) =>
      (await o.backend.services.enrolments.issue(label, null)).code;
    const serverTimes = () =>
      Promise.resolve({ backend: inServer.times.splice(0), served: served.times.splice(0) });
    await throughClient(o, { ...address, issueCode, serverTimes }, THROUGH_SERVER);
  } finally {
    inServer.restore();
    await server.close();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  }
  // The same, with the server in a process of its own (as in use; server-child.ts).
  const child = await startChildServer(o.bundle, o.backend.services.db, o.database, o.workDir);
  try {
    await throughClient(o, child, THROUGH_SERVER_CHILD);
  } finally {
    await child.stop();
    fs.rmSync(path.join(o.workDir, 'spool-child'), { recursive: true, force: true });
  }
}

/** Enrols a workstation client with the server at `address`, signs in and measures. */
async function throughClient(
  o: ServerCaseOptions,
  server: {
    url: string;
    fingerprint: string;
    issueCode: (label: string) => Promise<string>;
    serverTimes: () => Promise<ServerTimes>;
  },
  label: string,
): Promise<void> {
  const client = { hostname: 'bench', ip: '127.0.0.1', os: 'bench', appVersion: 'bench' };
  const address = { url: server.url, fingerprint: server.fingerprint };
  const code = await server.issueCode('bench workstation');
  const stranger = new TeamServerClient({ ...address, client });
  const enrolled = await stranger.enrol(code, 'bench workstation', 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(`enrolment: ${enrolled.error.message}`);
  const remote = new TeamServerClient({ ...address, client, clientAuth: enrolled.value });
  try {
    const session = remote.openSession();
    const login = await remote.invoke(session, 'auth.login', {
      username: o.username,
      password: o.password,
    });
    if (!login.ok) throw new Error(`login through the server: ${login.error.message}`);
    await measure(o, remote, session, label, server.serverTimes);
  } finally {
    await remote.close();
  }
}

async function measure(
  o: ServerCaseOptions,
  remote: TeamServerClient,
  session: RemoteSession,
  label: string,
  serverTimes: () => Promise<ServerTimes>,
) {
  const local = async <C extends Channel>(channel: C, input: Input<C>) => {
    const r = await o.backend.invoke(o.inProcess, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as never;
  };
  const over = async <C extends Channel>(channel: C, input: Input<C>) => {
    const r = await remote.invoke(session, channel, input);
    if (!r.ok) throw new Error(`${channel} through the server: ${r.error.message}`);
    return r.value as never;
  };
  /**
   * Times the same call in process and through the server, in alternating blocks of BLOCK calls
   * each (drift in the machine or the database then weighs on both sides alike); adds the row.
   * Blocks, not single calls: a call that follows the other path's call finds the caches and
   * the branch predictors full of that path's work, which in use (a workstation's main process
   * never answers in process while it talks to the server) no call does; alternating call by
   * call made the in-process side itself about a third slower than when timed alone.
   * `channel` is the call timed, whose backend part inside the server the note gives.
   */
  const paired = async (
    work: string,
    channel: Channel,
    count: number,
    call: (via: typeof local, i: number) => Promise<number>,
  ) => {
    // Both paths warm: the server's process (a child starts cold) and this one.
    for (let i = 0; i < WARMUP_THROUGH_SERVER; i++) await call(over, i);
    for (let i = 0; i < o.warmup; i++) await call(local, i);
    await serverTimes();
    const inProc: number[] = [];
    const wire: number[] = [];
    for (let start = 0; start < count; start += BLOCK) {
      const end = Math.min(count, start + BLOCK);
      for (let i = start; i < end; i++) inProc.push(await call(local, o.warmup + i));
      for (let i = start; i < end; i++) wire.push(await call(over, o.warmup + i));
    }
    const times = await serverTimes();
    const of = (list: CallTime[]) => list.filter((t) => t.channel === channel).map((t) => t.ms);
    const [inServer, served] = [of(times.backend), of(times.served)];
    o.add({
      work: `${work} ${label}`,
      rows: 0,
      p50_ms: percentile(wire, 0.5),
      p95_ms: percentile(wire, 0.95),
      baseline_p50_ms: percentile(inProc, 0.5),
      baseline_p95_ms: percentile(inProc, 0.95),
      samples: count,
      server_backend_p50_ms: percentile(inServer, 0.5),
      server_p50_ms: percentile(served, 0.5),
      note: `baseline: the same call in process, in alternating blocks of ${BLOCK} in the same run; inside the server, p50 (p95): request to answer ${ms(percentile(served, 0.5))} (${ms(percentile(served, 0.95))}), of which the backend ${ms(percentile(inServer, 0.5))} (${ms(percentile(inServer, 0.95))})`,
    });
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };

  await paired('search by name prefix', 'accounts.list', o.n, (via, i) =>
    timed(() =>
      via('accounts.list', {
        search: o
          .at(i)
          .name_key.split(' ')[0]!
          .slice(0, 3 + (i % 3)),
        searchKind: 'name',
        sort: 'match',
      }),
    ),
  );
  await paired('list page by name: middle', 'accounts.list', o.n, (via) =>
    timed(() => via('accounts.list', { sort: 'name', limit: 50, cursor: o.middleCursor })),
  );
  await paired('account detail', 'accounts.get', o.n, (via, i) =>
    timed(() => via('accounts.get', { id: o.at(i).id })),
  );
  const today = new Date().toISOString().slice(0, 10);
  await paired('edit (accounts.update)', 'accounts.update', Math.min(o.n, 200), async (via, i) => {
    // Each side edits accounts of its own; the read before the edit is not timed.
    const id = o.at(via === local ? i + 31 : i + 57).id;
    const detail = (await via('accounts.get', { id })) as { version: number };
    return timed(() =>
      via('accounts.update', {
        id,
        version: detail.version,
        changes: { city: `Bench ${i % 97}` },
        provenance: { source: 'phone', date: today },
      }),
    );
  });
}
