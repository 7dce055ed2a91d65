import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Result } from '../shared/errors';
import { connect, type DatabaseConfig } from './db/connect';
import { openHotStatements, type HotStatements } from './db/engine/hot-statements';
import { migrateToLatest } from './db/migrations';
import { dispatch } from './ipc/dispatch';
import { consoleLogger, silentLogger, type Logger } from './log';
import { AccountsService } from './services/accounts/service';
import { AuthService } from './services/auth';
import { systemClock, type Clock } from './services/clock';
import { Session, localClientInfo, type ClientInfo } from './services/session';
import { AccessLogService } from './services/access-log';
import { loadSigningKey } from './services/audit/checkpoint';
import { WitnessLog } from './services/audit/witness';
import { DisclosureService } from './services/disclosures/service';
import { RecipientsService } from './services/disclosures/recipients';
import { CollectionsService } from './services/collections/batches';
import { ConnectionStore, noSecretStore } from './services/connection';
import { StandingService } from './services/collections/standing';
import { ImportDesk, type ImportFilePicker } from './services/import-desk';
import { JobRegistry } from './services/jobs';
import { SessionRegistry } from './services/session-registry';
import { SettingsService } from './services/settings';
import { StaffService } from './services/staff';
import { VisibilityService } from './services/visibility';
import { CONNECTION_FILE, defaultExportDir, defaultWitnessDir, userDataDir } from './paths';
import { version } from './version';

export interface Services {
  db: Knex;
  /** The statements every read of customer data runs (main/db/hot-statements.ts). */
  hot: HotStatements;
  clock: Clock;
  settings: SettingsService;
  visibility: VisibilityService;
  auth: AuthService;
  accounts: AccountsService;
  staff: StaffService;
  sessions: SessionRegistry;
  accessLog: AccessLogService;
  recipients: RecipientsService;
  disclosures: DisclosureService;
  /** Signed heads of the disclosure log, kept outside the database. */
  witnesses: WitnessLog;
  standing: StandingService;
  collections: CollectionsService;
  jobs: JobRegistry;
  connection: ConnectionStore;
  imports: ImportDesk;
}

export interface BackendOptions {
  database: DatabaseConfig;
  /** Where exports and disclosures are written (default: ~/Custodian exports). */
  exportDir?: string;
  /** Where the audit checkpoint signing key lives, outside the database (default: user-data folder). */
  keyDir?: string;
  /**
   * Folders that witness the disclosure log's signed head after every record, outside the
   * database folder (default: CUSTODIAN_WITNESS_DIR, or the OS's own place, see paths.ts).
   */
  witnessDirs?: readonly string[];
  /** The workstation's choice of database (Electron passes one sealed by the OS keychain). */
  connection?: ConnectionStore;
  clock?: Clock;
  logger?: Logger;
  /**
   * Asks the user for a CSV file to import (Electron's open dialog; a fixture in tests). The
   * renderer never names a path; without a picker the import screen cannot choose a file.
   */
  chooseImportFile?: ImportFilePicker;
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

export interface ServicePaths {
  exportDir: string;
  keyDir: string;
  witnessDirs?: readonly string[] | undefined;
  connection?: ConnectionStore | undefined;
  chooseImportFile?: ImportFilePicker | undefined;
}

export function createServices(
  db: Knex,
  hot: HotStatements,
  clock: Clock,
  paths: ServicePaths = { exportDir: defaultExportDir(), keyDir: userDataDir() },
  log: Logger = silentLogger,
): Services {
  const settings = new SettingsService(db);
  const visibility = new VisibilityService(db);
  const auth = new AuthService(db, clock, settings, visibility);
  const accounts = new AccountsService(db, visibility, hot);
  const sessions = new SessionRegistry();
  const staff = new StaffService(db, clock, sessions);
  const accessLog = new AccessLogService(db, hot, clock, settings, (err) =>
    log.error('access log indexing failed; it is retried later', {
      kind: err instanceof Error ? err.name : typeof err,
      code: (err as { code?: unknown }).code,
    }),
  );
  const recipients = new RecipientsService(db);
  let key: KeyObject | undefined;
  const signingKey = () => (key ??= loadSigningKey(paths.keyDir));
  const witnesses = new WitnessLog(
    db,
    signingKey,
    paths.witnessDirs ?? [defaultWitnessDir()],
    clock,
    (err) =>
      log.error('an audit witness could not be written; the next record writes it again', {
        kind: err instanceof Error ? err.name : typeof err,
        code: (err as { code?: unknown }).code,
      }),
  );
  const disclosures = new DisclosureService(
    db,
    clock,
    (role) => visibility.accessFor(role),
    recipients,
    accounts,
    accessLog,
    paths.exportDir,
    signingKey,
    witnesses,
  );
  const standing = new StandingService(db, (role) => visibility.accessFor(role));
  const collections = new CollectionsService(
    db,
    clock,
    (role) => visibility.accessFor(role),
    standing,
    disclosures,
  );
  return {
    db,
    hot,
    clock,
    standing,
    collections,
    jobs: new JobRegistry(),
    imports: new ImportDesk(db, (role) => visibility.accessFor(role), paths.chooseImportFile),
    connection:
      paths.connection ??
      new ConnectionStore(path.join(paths.keyDir, CONNECTION_FILE), noSecretStore),
    settings,
    visibility,
    auth,
    accounts,
    staff,
    sessions,
    accessLog,
    recipients,
    disclosures,
    witnesses,
  };
}

/**
 * Opens the whole trusted backend on a database: migrations run first, then every caller goes
 * through the same dispatcher. Electron's ipcMain, the test harness and the CLI all use this.
 */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const db = connect(options.database);
  const log = options.logger ?? consoleLogger();
  let hot: HotStatements;
  try {
    await migrateToLatest(db);
    hot = openHotStatements(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const services = createServices(
    db,
    hot,
    options.clock ?? systemClock,
    {
      exportDir: options.exportDir ?? defaultExportDir(),
      connection: options.connection,
      chooseImportFile: options.chooseImportFile,
      witnessDirs: options.witnessDirs,
      keyDir:
        options.keyDir ??
        (options.database.client === 'sqlite'
          ? path.dirname(options.database.filename)
          : userDataDir()),
    },
    log,
  );
  const local = localClientInfo(version);
  // Start-up housekeeping: finish or abandon exports a crash interrupted, prune the access log.
  await services.disclosures.recoverIncomplete(local.hostname);
  await services.disclosures.releaseInterruptedClaims();
  // A placement file that never appeared never reached its agency: its batch was never sent.
  await services.collections.recoverNeverSent();
  // A log with records and no witness yet (made before witnesses, or a new witness folder).
  await services.witnesses.ensure();
  await services.accessLog.prune(null);
  // Entries a previous run queued but had not yet indexed when it stopped.
  await services.accessLog.indexPending();
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
    close: async () => {
      await services.accessLog.stop();
      await services.witnesses.flush();
      await hot.close();
      await db.destroy();
    },
  };
}
