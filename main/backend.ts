import type { Knex } from 'knex';
import type { Result } from '../shared/errors';
import { connect, type DatabaseConfig } from './db/connect';
import { migrateToLatest } from './db/migrations';
import { dispatch } from './ipc/dispatch';
import { consoleLogger, type Logger } from './log';
import { AccountsService } from './services/accounts/service';
import { AuthService } from './services/auth';
import { systemClock, type Clock } from './services/clock';
import { Session, localClientInfo, type ClientInfo } from './services/session';
import { SettingsService } from './services/settings';
import { VisibilityService } from './services/visibility';
import { version } from './version';

export interface Services {
  db: Knex;
  clock: Clock;
  settings: SettingsService;
  visibility: VisibilityService;
  auth: AuthService;
  accounts: AccountsService;
}

export interface BackendOptions {
  database: DatabaseConfig;
  clock?: Clock;
  logger?: Logger;
}

export interface Backend {
  /** A new caller (a window, a test page, a CLI run) with its own sign-in state. */
  openSession(client?: Partial<ClientInfo>): Session;
  invoke(session: Session, channel: unknown, input: unknown): Promise<Result<unknown>>;
  readonly services: Services;
  close(): Promise<void>;
}

export function createServices(db: Knex, clock: Clock): Services {
  const settings = new SettingsService(db);
  const visibility = new VisibilityService(db);
  const auth = new AuthService(db, clock, settings, visibility);
  const accounts = new AccountsService(db, (role) => visibility.accessFor(role));
  return { db, clock, settings, visibility, auth, accounts };
}

/**
 * Opens the whole trusted backend on a database: migrations run first, then every caller goes
 * through the same dispatcher. Electron's ipcMain, the test harness and the CLI all use this.
 */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const db = connect(options.database);
  const log = options.logger ?? consoleLogger();
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const services = createServices(db, options.clock ?? systemClock);
  const local = localClientInfo(version);
  return {
    services,
    openSession: (client) => new Session({ ...local, ...client }),
    invoke: (session, channel, input) => dispatch(services, log, session, channel, input),
    close: () => db.destroy(),
  };
}
