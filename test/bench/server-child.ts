/**
 * A team server in a process of its own for the bench (issue 15): in use the server runs apart
 * from the workstation (often on another machine), so these rows keep the client's and the
 * server's work off one thread. The bench bundle runs itself with `--team-server`; the database
 * (with the SQLCipher key, if any) arrives over the IPC channel, never in a file or an argument.
 *
 * On SQLite the child serves a copy of the bench's database, made when it starts: two processes
 * on one SQLite file each lose their page cache whenever the other writes (and every read writes
 * an access-log entry), which would slow both the server and the in-process baseline in a way no
 * deployment sees (the server has its database to itself). On PostgreSQL both share the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Backend } from '../../main/app/backend';
import { copyInto } from '../../main/db/backup';
import type { DatabaseConfig } from '../../main/db/connect';
import { silentLogger } from '../../main/log';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import type { Session } from '../../main/services/session';
import { INVOKE_PATH } from '../../shared/team-wire';

export const SERVER_CHILD_FLAG = '--team-server';

interface ChildConfig {
  database: DatabaseConfig;
  /** The backend's folder: the same key and witness folders as the in-process backend's. */
  dir: string;
}

interface Listening {
  url: string;
  fingerprint: string;
}

export interface ChildServer extends Listening {
  /** A one-time enrolment code, issued by the child's backend (its database may be a copy). */
  issueCode(label: string): Promise<string>;
  /** The calls the child answered since the last time asked, timed. */
  serverTimes(): Promise<ServerTimes>;
  stop(): Promise<void>;
}

/** In the child: serves until the parent disconnects; issues enrolment codes when asked. */
export async function serveForBench(): Promise<void> {
  const cfg = await new Promise<ChildConfig>((resolve) => {
    process.once('message', (m) => resolve(m as ChildConfig));
  });
  const database: DatabaseConfig =
    cfg.database.client === 'sqlite'
      ? {
          ...cfg.database,
          // Structured clone turns the key's Buffer into a Uint8Array.
          key: cfg.database.key ? Buffer.from(cfg.database.key) : null,
        }
      : cfg.database;
  const served = timeRequests();
  const server = await startTeamServer({
    host: '127.0.0.1',
    port: 0,
    identity: makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 }),
    log: silentLogger,
    database,
    dir: cfg.dir,
    spoolDir: path.join(cfg.dir, 'spool-child'),
    limits: { perAddress: 1_000_000, signInPerAddress: 1_000, signInPerUsername: 1_000 },
  });
  // The backend's own part of each call the server answers, for the bench to set beside the
  // whole call (what the server adds is the rest: the door, the envelope, TLS and the wire).
  served.restore();
  const inServer = timeBackend(server.backend, () => true).times;
  process.on('message', (m: { issue?: string; timings?: true }) => {
    if (m.timings) {
      process.send!({
        backend: inServer.splice(0),
        served: served.times.splice(0),
      } satisfies ServerTimes);
      return;
    }
    if (typeof m.issue !== 'string') return;
    server.backend.services.enrolments.issue(m.issue, null).then(
      ({ code }) => process.send!({ code }),
      (err: unknown) => process.send!({ error: String(err) }),
    );
  });
  const stopped = new Promise<void>((resolve) => process.once('disconnect', resolve));
  process.send!({ url: server.url, fingerprint: server.fingerprint } satisfies Listening);
  await stopped;
  await server.close();
}

/**
 * In the bench: starts the child (on a copy of an SQLite database, on the same PostgreSQL
 * database) and waits until it listens.
 */
export async function startChildServer(
  bundle: string,
  db: Knex,
  database: DatabaseConfig,
  dir: string,
): Promise<ChildServer> {
  let served = database;
  const copy = path.join(dir, 'team-server-copy.sqlite');
  if (database.client === 'sqlite') {
    removeCopy(copy);
    await copyInto(db, copy);
    served = { ...database, filename: copy };
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [...profileFlags(), '--enable-source-maps', bundle, SERVER_CHILD_FLAG],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const died = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`the team server child exited (${code})`))),
  );
  died.catch(() => undefined);
  const next = <T>() =>
    Promise.race([
      new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T))),
      died,
    ]);
  const listening = next<Listening>();
  child.send({ database: served, dir } satisfies ChildConfig);
  const address = await listening;
  return {
    ...address,
    issueCode: async (label) => {
      const answer = next<{ code?: string; error?: string }>();
      child.send({ issue: label });
      const { code, error } = await answer;
      if (!code) throw new Error(`enrolment code from the team server child: ${error}`);
      return code;
    },
    serverTimes: async () => {
      const answer = next<ServerTimes>();
      child.send({ timings: true });
      return answer;
    },
    stop: async () => {
      child.disconnect();
      await exited;
      removeCopy(copy);
    },
  };
}

/**
 * BENCH_SERVER_PROFILE_DIR=dir: the child writes a CPU profile of its whole life there (for
 * finding what the server adds; Chrome's DevTools, Performance panel).
 */
function profileFlags(): string[] {
  const dir = process.env.BENCH_SERVER_PROFILE_DIR;
  return dir
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, '--cpu-prof-interval=200']
    : [];
}

function removeCopy(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/** How long one call on `channel` took. */
export interface CallTime {
  channel: string;
  ms: number;
}

/** A team server's own times for the calls it answered. */
export interface ServerTimes {
  /** The backend's part of each call. */
  backend: CallTime[];
  /** Each request, from its headers read to its answer handed to the socket. */
  served: CallTime[];
}

/**
 * Records each request of the HTTPS servers made until `restore` (a team server started
 * meanwhile), from its 'request' event (headers read) to its answer's 'finish'.
 */
export function timeRequests(): { times: CallTime[]; restore: () => void } {
  const times: CallTime[] = [];
  const createServer = https.createServer;
  https.createServer = ((...args: Parameters<typeof https.createServer>) => {
    const made = createServer(...args);
    made.prependListener('request', (req, res) => {
      const started = performance.now();
      const channel = decodeURIComponent((req.url ?? '').slice(INVOKE_PATH.length));
      res.once('finish', () => times.push({ channel, ms: performance.now() - started }));
    });
    return made;
  }) as typeof https.createServer;
  return { times, restore: () => (https.createServer = createServer) };
}

/**
 * Records how long `backend.invoke` takes for the calls `counted` picks (the server's sessions,
 * not the bench's in-process one) in `times`, until `restore`.
 */
export function timeBackend(
  backend: Backend,
  counted: (session: Session) => boolean,
): { times: CallTime[]; restore: () => void } {
  const times: CallTime[] = [];
  const own = Object.hasOwn(backend, 'invoke');
  const invoke = backend.invoke;
  backend.invoke = async (session, channel, input) => {
    const started = performance.now();
    try {
      return await invoke.call(backend, session, channel, input);
    } finally {
      if (counted(session))
        times.push({ channel: String(channel), ms: performance.now() - started });
    }
  };
  const restore = () => {
    if (own) backend.invoke = invoke;
    else delete (backend as { invoke?: unknown }).invoke;
  };
  return { times, restore };
}
