/**
 * A separate process that opens the backend (which runs start-up recovery) and then runs one
 * export or batch send. With CUSTODIAN_TEST_FAULT set it is killed at that point, as a power cut
 * would kill it. Bundled by the crash tests with esbuild.
 */
import path from 'node:path';
import { createServices, openBackend, signingKeySealer, type Backend } from '../../main/backend';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { openHotStatements } from '../../main/db/engine/hot-statements';
import { dispatch } from '../../main/ipc/dispatch';
import { silentLogger } from '../../main/log';
import { systemClock } from '../../main/services/clock';
import { Session, localClientInfo } from '../../main/services/session';
import { version } from '../../main/version';

interface ChildConfig {
  database: DatabaseConfig;
  exportDir: string;
  keyDir: string;
  /** What to do once open: an internal export (the default), a batch send, or nothing. */
  action?: 'export' | 'batch' | 'open';
  username: string;
  password: string;
  fileName: string;
  /** For a batch send: the agency and the currency of the bad-standing accounts to place. */
  agencyId?: string;
  currency?: string;
  /**
   * false: skip start-up recovery, as a process that crashed again before its start finished
   * would, so that a test can pile up several interrupted records for one recovery.
   */
  recover?: boolean;
}

/** The backend as openBackend builds it, but without start-up recovery. */
function unrecoveredBackend(cfg: ChildConfig): Backend {
  const db = connect(cfg.database);
  const hot = openHotStatements(db);
  const services = createServices(db, hot, systemClock, {
    exportDir: cfg.exportDir,
    keyDir: cfg.keyDir,
    keySealer: signingKeySealer(cfg.database),
    witnessDirs: [path.join(cfg.keyDir, 'witness')],
  });
  return {
    services,
    openSession: () => {
      const session = new Session(localClientInfo(version));
      services.sessions.add(session);
      return session;
    },
    closeSession: () => undefined,
    invoke: (session, channel, input) => dispatch(services, silentLogger, session, channel, input),
    close: async () => {
      await services.accessLog.stop();
      await hot.close();
      await db.destroy();
    },
  };
}

/** The data key crosses as JSON.stringify writes a Buffer: { type: 'Buffer', data: [...] }. */
function reviveBuffers(_key: string, value: unknown): unknown {
  const v = value as { type?: unknown; data?: unknown } | null;
  return v && v.type === 'Buffer' && Array.isArray(v.data)
    ? Buffer.from(v.data as number[])
    : value;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.CUSTODIAN_CHILD_CONFIG ?? '{}', reviveBuffers) as ChildConfig;
  const backend =
    cfg.recover === false
      ? unrecoveredBackend(cfg)
      : await openBackend({
          database: cfg.database,
          exportDir: cfg.exportDir,
          keyDir: cfg.keyDir,
          witnessDirs: [path.join(cfg.keyDir, 'witness')],
          logger: silentLogger,
        });
  const action = cfg.action ?? 'export';
  if (action !== 'open') {
    const session = backend.openSession();
    await backend.invoke(session, 'auth.login', { username: cfg.username, password: cfg.password });
    const result =
      action === 'batch'
        ? await backend.invoke(session, 'batches.send', {
            agencyId: cfg.agencyId,
            currency: cfg.currency,
            format: 'csv',
            fileName: cfg.fileName,
          })
        : await backend.invoke(session, 'exports.accounts', {
            fields: ['lastName'],
            format: 'csv',
            fileName: cfg.fileName,
          });
    process.stdout.write(JSON.stringify(result));
  }
  await backend.close();
}

void main();
