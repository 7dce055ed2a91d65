/**
 * The "server" test engine: the test's backend stays in this process for the tests' own set-up
 * (backend.services), but every channel call the tests make goes over HTTPS through a real team
 * server (main/server) with a pinned certificate and a bearer token, as a workstation's does.
 */
import type { Backend } from '../../main/app/backend';
import { silentLogger } from '../../main/log';
import { TeamServerClient, type RemoteSession } from '../../main/remote/client';
import { makeServerIdentity, type ServerIdentity } from '../../main/server/identity';
import { startTeamServer, type RunningServer } from '../../main/server/serve';
import type { Clock } from '../../main/services/clock';
import type { Session } from '../../main/services/session';

let identity: ServerIdentity | undefined;

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
): Promise<RunningServer> {
  return startTeamServer({
    backend,
    host: '127.0.0.1',
    port: 0,
    identity: testServerIdentity(),
    log: silentLogger,
    limits,
    ...(clock ? { clock } : {}),
  });
}

/** The backend as the tests see it, its invoke going through a team server over HTTPS. */
export async function throughTeamServer(backend: Backend, clock?: Clock): Promise<Backend> {
  const server = await startTestServer(backend, clock);
  const client = new TeamServerClient({
    url: server.url,
    fingerprint: server.fingerprint,
    client: TEST_CLIENT,
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
  behind.set(wrapped, { server, inner: backend });
  return wrapped;
}

const behind = new WeakMap<Backend, { server: RunningServer; inner: Backend }>();

/** The team server a "server" engine test backend talks to, and the backend behind it. */
export function teamServerOf(backend: Backend): { server: RunningServer; inner: Backend } {
  const found = behind.get(backend);
  if (!found) throw new Error('not a backend of the "server" test engine');
  return found;
}
