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
import { SessionRegistry } from './services/session-registry';
import { SettingsService } from './services/settings';
import { StaffService } from './services/staff';
import { VisibilityService } from './services/visibility';
import { version } from './version';

export interface Services {
  db: Knex;
  clock: Clock;
  settings: SettingsService;
  visibility: VisibilityService;
  auth: AuthService;
  accounts: AccountsService;
  staff: StaffService;
  sessions: SessionRegistry;
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
  /** Forgets a caller (its window closed): its sign-in state is dropped from memory. */
  closeSession(session: Session): void;
  readonly services: Services;
  close(): Promise<void>;
}

export function createServices(db: Knex, clock: Clock): Services {
  const settings = new SettingsService(db);
  const visibility = new VisibilityService(db);
  const auth = new AuthService(db, clock, settings, visibility);
  const accounts = new AccountsService(db, (role) => visibility.accessFor(role));
  const sessions = new SessionRegistry();
  const staff = new StaffService(db, clock, sessions);
  return { db, clock, settings, visibility, auth, accounts, staff, sessions };
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
    openSession: (client) => {
      const session = new Session({ ...local, ...client });
      services.sessions.add(session);
      return session;
    },
    closeSession: (session) => {
      session.signedIn = null;
      services.sessions.remove(session);
    },
    invoke: (session, channel, input) => dispatch(services, log, session, channel, input),
    close: () => db.destroy(),
  };
}
