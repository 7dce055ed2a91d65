import path from 'node:path';
import type { Result } from '../../shared/errors';
import { connect, type DatabaseConfig } from '../db/connect';
import { openHotStatements, type HotStatements } from '../db/engine/hot-statements';
import { migrateToLatest, pendingMigrations } from '../db/migrations';
import { dispatch } from '../ipc/dispatch';
import { processLogger, type Logger } from '../log';
import { defaultExportDir, userDataDir } from '../paths';
import { systemClock, type Clock } from '../services/clock';
import type { ImportFilePicker } from '../services/import-desk';
import { Session, localClientInfo, type ClientInfo } from '../services/session';
import { version } from '../version';
import { CHECKPOINT_KEY_PURPOSE, dataKeySealer } from '../keys/sealer';
import type { KeySealer } from '../services/audit/checkpoint';
import { startBackupSchedule, type BackupSchedule } from './backup-schedule';
import { keyOperations } from './key-operations';
import { createServices, type Services } from './services';

export interface BackendOptions {
  database: DatabaseConfig;
  /**
   * 'apply' (default) brings the schema up to date; 'check' only refuses to open a database
   * whose schema is behind: the team server's role may not migrate (migrations run as the owner).
   */
  migrations?: 'apply' | 'check';
  /** Where exports and disclosures are written (default: ~/Custodian exports). */
  exportDir?: string;
  /** Where the audit checkpoint signing key lives, outside the database (default: user-data folder). */
  keyDir?: string;
  /**
   * Folders that witness the disclosure log's signed head after every record, outside the
   * database folder (default: CUSTODIAN_WITNESS_DIR, or the OS's own place, see paths.ts).
   */
  witnessDirs?: readonly string[];
  clock?: Clock;
  logger?: Logger;
  /**
   * Asks the user for a CSV file to import (Electron's open dialog; a fixture in tests). The
   * renderer never names a path; without a picker the import screen cannot choose a file.
   */
  chooseImportFile?: ImportFilePicker;
  /**
   * Automatic backups of an encrypted embedded database while it is open (Electron: daily, 14
   * kept, beside the database). Off unless given.
   */
  backups?: BackupSchedule;
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

/**
 * Opens the whole trusted backend on a database: migrations run first, then every caller goes
 * through the same dispatcher. Electron's ipcMain, the test harness and the CLI all use this.
 */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const db = connect(options.database);
  const log = options.logger ?? processLogger();
  let hot: HotStatements;
  try {
    if (options.migrations === 'check') await requireCurrentSchema(db);
    else await migrateToLatest(db);
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
      chooseImportFile: options.chooseImportFile,
      witnessDirs: options.witnessDirs,
      keySealer: signingKeySealer(options.database),
      keyOperations:
        options.database.client === 'sqlite' && options.database.key
          ? keyOperations(
              db,
              {
                databaseFile: options.database.filename,
                key: options.database.key,
                appVersion: version,
                backupFolder: options.backups?.folder,
              },
              options.clock ?? systemClock,
            )
          : undefined,
      keyDir:
        options.keyDir ??
        (options.database.client === 'sqlite'
          ? path.dirname(options.database.filename)
          : userDataDir()),
    },
    log,
  );
  const local = localClientInfo(version);
  await startUp(services, local.hostname);
  const database = options.database;
  const schedule =
    options.backups && database.client === 'sqlite' && database.key
      ? startBackupSchedule(
          { db, databaseFile: database.filename, key: database.key, appVersion: version },
          options.backups,
          options.clock ?? systemClock,
          log,
        )
      : null;
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
      await schedule?.stop();
      await services.accessLog.stop();
      await services.witnesses.flush();
      await hot.close();
      await db.destroy();
    },
  };
}

async function requireCurrentSchema(db: Parameters<typeof pendingMigrations>[0]): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new Error(
      `The database schema is behind (${pending.length} migration${pending.length === 1 ? '' : 's'} pending): run 'custodian migrate' as the database owner, then grant the server role again ('custodian grant-server-role').`,
    );
  }
}

/** The embedded database's signing key is sealed under its data key (team mode: the server's). */
export function signingKeySealer(database: DatabaseConfig): KeySealer | undefined {
  return database.client === 'sqlite' && database.key
    ? dataKeySealer(database.key, CHECKPOINT_KEY_PURPOSE)
    : undefined;
}

/** Start-up housekeeping: finish or abandon exports a crash interrupted, prune the access log. */
async function startUp(services: Services, hostname: string): Promise<void> {
  await services.recovery.recoverIncomplete(hostname);
  await services.disclosures.releaseInterruptedClaims();
  // A placement file that never appeared never reached its agency: its batch was never sent.
  await services.collections.recoverNeverSent();
  // A log with records and no witness yet (made before witnesses, or a new witness folder).
  await services.witnesses.ensure();
  await services.accessLog.prune(null);
  // Entries a previous run queued but had not yet indexed when it stopped.
  await services.accessLog.indexPending();
}
