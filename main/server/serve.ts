/**
 * Runs the team server: the same backend as the workstation (openBackend, one handler table, one
 * contract) on PostgreSQL, behind the HTTPS front door, with sessions held in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openBackend, type Backend, type BackendOptions } from '../app/backend';
import type { Logger } from '../log';
import type { Clock } from '../services/clock';
import { systemClock } from '../services/clock';
import { FileDeliveryService } from '../services/file-deliveries';
import { RateCounterService } from '../services/rate-counters';
import {
  DEFAULT_SESSION_LIMITS,
  ServerSessionService,
  type ServerSessionLimits,
} from '../services/server-sessions';
import type { ServeConfig } from './config';
import { buildTeamServer, type RateLimits } from './http';
import { fingerprintOf, makeServerIdentity, type ServerIdentity } from './identity';

const PRUNE_MS = 10 * 60_000;

export interface RunningServer {
  url: string;
  port: number;
  fingerprint: string;
  backend: Backend;
  close(): Promise<void>;
}

/**
 * `serve --init`: makes the key (readable by this OS user only) and the certificate, unless they
 * exist, and answers the certificate's fingerprint either way.
 */
export function initServerIdentity(
  config: ServeConfig,
  names: readonly string[],
): { created: boolean; fingerprint: string } {
  if (fs.existsSync(config.certFile) || fs.existsSync(config.keyFile)) {
    return { created: false, fingerprint: fingerprintOf(fs.readFileSync(config.certFile, 'utf8')) };
  }
  fs.mkdirSync(config.dir, { recursive: true, mode: 0o700 });
  const identity = makeServerIdentity({ names });
  fs.writeFileSync(config.keyFile, identity.keyPem, { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(config.certFile, identity.certPem, { mode: 0o644, flag: 'wx' });
  return { created: true, fingerprint: identity.fingerprint };
}

export function readServerIdentity(config: ServeConfig): ServerIdentity {
  if (!fs.existsSync(config.certFile) || !fs.existsSync(config.keyFile)) {
    throw new Error(
      `No server certificate in ${config.dir}: run 'custodian serve --init' first (it makes the key and certificate and prints the fingerprint workstations pin).`,
    );
  }
  const certPem = fs.readFileSync(config.certFile, 'utf8');
  return {
    certPem,
    keyPem: fs.readFileSync(config.keyFile, 'utf8'),
    fingerprint: fingerprintOf(certPem),
  };
}

export interface StartOptions {
  host: string;
  port: number;
  identity: ServerIdentity;
  log: Logger;
  /** An already open backend (tests share theirs); otherwise one is opened on `database`. */
  backend?: Backend;
  database?: BackendOptions['database'];
  /** Exports, the audit key and the witness live here when the server opens the backend. */
  dir?: string;
  /**
   * Files made for workstations wait here, encrypted, until fetched (default: DIR/spool). Several
   * instances behind one address share it, as they share the database.
   */
  spoolDir?: string;
  clock?: Clock;
  limits?: Partial<RateLimits>;
  sessionLimits?: ServerSessionLimits;
}

export async function startTeamServer(options: StartOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const owned = !options.backend;
  let backend = options.backend;
  if (!backend) {
    if (!options.database || !options.dir) throw new Error('a database and a folder are needed');
    backend = await openBackend({
      database: options.database,
      // The server's role may not migrate: the owner does, with 'custodian migrate'.
      migrations: 'check',
      logger: options.log,
      clock,
      exportDir: path.join(options.dir, 'exports'),
      keyDir: options.dir,
      witnessDirs: [path.join(options.dir, 'witness')],
    });
  }
  const sessionLimits = options.sessionLimits ?? DEFAULT_SESSION_LIMITS;
  const sessions = new ServerSessionService(
    backend.services.db,
    clock,
    sessionLimits,
    backend.services.hot,
  );
  backend.services.sessions.onSignOut((staffId) => sessions.endAllFor(staffId));
  const spoolDir = options.spoolDir ?? (options.dir ? path.join(options.dir, 'spool') : null);
  if (!spoolDir) {
    throw new Error(
      'The team server needs a folder (dir) or a spool folder (spoolDir) for files it makes for workstations.',
    );
  }
  const deliveries = new FileDeliveryService(backend.services.db, clock, spoolDir);
  await deliveries.sweep();
  const app = await buildTeamServer({
    deliveries,
    backend,
    sessions,
    idleMs: sessionLimits.idleMs,
    tls: options.identity,
    log: options.log,
    ...(options.limits ? { limits: options.limits } : {}),
    rateCounters: new RateCounterService(backend.services.db, clock),
  });
  // Rows of sessions that expired or idled out are refused anyway; this keeps the table small.
  const pruning = setInterval(() => {
    sessions
      .prune()
      .catch((err: unknown) =>
        options.log.error('session prune failed', { kind: (err as Error).name }),
      );
  }, PRUNE_MS);
  pruning.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(pruning);
    done();
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    if (owned) await backend.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const opened = backend;
  return {
    url: `https://${host}:${port}`,
    port,
    fingerprint: options.identity.fingerprint,
    backend: opened,
    close: async () => {
      await app.close();
      if (owned) await opened.close();
    },
  };
}
