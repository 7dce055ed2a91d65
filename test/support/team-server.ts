/**
 * The "server" test engine: the test's backend stays in this process for the tests' own set-up
 * (backend.services), but every channel call the tests make goes over HTTPS through a real team
 * server (main/server) with a pinned certificate and a bearer token, as a workstation's does.
 */
import type { Backend } from '../../main/app/backend';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { grantServerRole } from '../../main/db/server-role';
import { silentLogger } from '../../main/log';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TeamServerClient, type RemoteOptions, type RemoteSession } from '../../main/remote/client';
import { makeServerIdentity, type ServerIdentity } from '../../main/server/identity';
import { startTeamServer, type RunningServer } from '../../main/server/serve';
import type { Clock } from '../../main/services/clock';
import type { ServerSessionLimits } from '../../main/services/server-sessions';
import type { Session } from '../../main/services/session';
import { withMadeOfflineAt } from '../../main/services/offline-claim';
import type { Result } from '../../shared/errors';

let identity: ServerIdentity | undefined;

export const SERVER_ROLE = 'custodian_server';

/**
 * The connection the team server uses: the test database as SERVER_ROLE, granted what
 * `custodian grant-server-role` grants (the cluster trusts local connections: no password).
 */
export async function asServerRole(
  owner: Extract<DatabaseConfig, { client: 'pg' }>,
): Promise<Extract<DatabaseConfig, { client: 'pg' }>> {
  const db = connect(owner);
  try {
    // Several test workers may create it at once.
    await db.raw(`DO $$ BEGIN CREATE ROLE ${SERVER_ROLE} LOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await grantServerRole(db, SERVER_ROLE);
  } finally {
    await db.destroy();
  }
  if (typeof owner.connection === 'string') throw new Error('expected a connection object');
  return { ...owner, connection: { ...owner.connection, user: SERVER_ROLE } };
}

/** One key and certificate per test process (RSA key generation is the slow part). */
export function testServerIdentity(): ServerIdentity {
  identity ??= makeServerIdentity({ names: ['127.0.0.1', 'localhost'], modulusLength: 2048 });
  return identity;
}

export const TEST_CLIENT = {
  hostname: 'test-workstation',
  ip: '10.9.8.7',
  os: 'TestOS 1',
  appVersion: 'test',
};

/** Sign-in limits far above what a test file does; the rate-limit tests set their own. */
export const TEST_LIMITS = {
  perAddress: 100_000,
  signInPerAddress: 10_000,
  signInPerUsername: 10_000,
};

export async function startTestServer(
  backend: Backend,
  clock?: Clock,
  limits: Partial<typeof TEST_LIMITS> = TEST_LIMITS,
  sessionLimits?: ServerSessionLimits,
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-spool-')),
  /** A port of its own (a server restarted where its workstations know it); 0: any free one. */
  port = 0,
): Promise<RunningServer> {
  return startTeamServer({
    backend,
    spoolDir,
    host: '127.0.0.1',
    port,
    identity: testServerIdentity(),
    log: silentLogger,
    limits,
    ...(clock ? { clock } : {}),
    ...(sessionLimits ? { sessionLimits } : {}),
  });
}

/**
 * A workstation enrolled with the server as an administrator would enrol it: a one-time code,
 * a key made here, a client certificate back; mutual TLS from then on.
 */
export async function enrolledClient(
  backend: Backend,
  server: RunningServer,
  extra: Pick<RemoteOptions, 'exportDir' | 'chooseImportFile' | 'timeoutMs'> = {},
): Promise<TeamServerClient> {
  const address = { url: server.url, fingerprint: server.fingerprint, client: TEST_CLIENT };
  const { code } = await backend.services.enrolments.issue('test workstation', null);
  const stranger = new TeamServerClient(address);
  const enrolled = await stranger.enrol(code, 'test workstation', 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(`enrolment failed: ${enrolled.error.message}`);
  return new TeamServerClient({ ...address, ...extra, clientAuth: enrolled.value });
}

/** The backend as the tests see it, its invoke going through a team server over HTTPS. */
export async function throughTeamServer(
  backend: Backend,
  opts: {
    clock?: Clock;
    /** The workstation's export folder, where files the server produced are placed. */
    exportDir?: string;
    spoolDir?: string;
    /** The workstation's file picker for imports (the file is uploaded to the server). */
    chooseImportFile?: () => Promise<string | null>;
  } = {},
): Promise<Backend> {
  const server = await startTestServer(backend, opts.clock, TEST_LIMITS, undefined, opts.spoolDir);
  const client = await enrolledClient(backend, server, {
    ...(opts.exportDir ? { exportDir: opts.exportDir } : {}),
    ...(opts.chooseImportFile ? { chooseImportFile: opts.chooseImportFile } : {}),
  });
  const remote = new WeakMap<Session, RemoteSession>();
  const remoteOf = (session: Session) => {
    let r = remote.get(session);
    if (!r) {
      r = client.openSession();
      remote.set(session, r);
    }
    return r;
  };
  const wrapped: Backend = {
    ...backend,
    invoke: (session, channel, input) => client.invoke(remoteOf(session), String(channel), input),
    closeSession: (session) => {
      const r = remote.get(session);
      if (r) client.closeSession(r);
      backend.closeSession(session);
    },
    close: async () => {
      await client.close();
      await server.close();
      await backend.close();
    },
  };
  behind.set(wrapped, { server, inner: backend, client, remoteOf });
  return wrapped;
}

interface Behind {
  server: RunningServer;
  inner: Backend;
  client: TeamServerClient;
  /** The client-side session a test Session calls through. */
  remoteOf: (session: Session) => RemoteSession;
}
const behind = new WeakMap<Backend, Behind>();

/** The team server a "server" engine test backend talks to, and the backend behind it. */
export function teamServerOf(backend: Backend): Behind {
  const found = behind.get(backend);
  if (!found) throw new Error('not a backend of the "server" test engine');
  return found;
}

/**
 * Calls `channel` as a workstation replaying a change made offline at `madeAt`: through the
 * team server, the time travels in the request's envelope as a workstation's main process sends
 * it; in process, the call runs in the claim the server would set.
 */
export function invokeMadeOffline(
  backend: Backend,
  session: Session,
  channel: string,
  input: unknown,
  madeAt: string,
): Promise<Result<unknown>> {
  const found = behind.get(backend);
  if (found) {
    return found.client.invoke(found.remoteOf(session), channel, input, { madeOfflineAt: madeAt });
  }
  return withMadeOfflineAt(madeAt, new Date(), () => backend.invoke(session, channel, input));
}
