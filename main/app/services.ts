import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import type { HotStatements } from '../db/engine/hot-statements';
import { silentLogger, type Logger } from '../log';
import { defaultExportDir, defaultWitnessDir, userDataDir } from '../paths';
import { AccessLogStore } from '../db/stores/access-log';
import { AccountsStore } from '../db/stores/accounts/store';
import { AccessLogService } from '../services/access-log';
import { AccountsService } from '../services/accounts/service';
import { loadSigningKey, type KeySealer } from '../services/audit/checkpoint';
import { BackupsService, type KeyOperations } from '../services/backups';
import { AuthService } from '../services/auth';
import type { Clock } from '../services/clock';
import { StandingService } from '../services/collections/standing';
import { RecipientsService } from '../services/disclosures/recipients';
import { ImportDesk, type ImportFilePicker } from '../services/import-desk';
import { JobRegistry } from '../services/jobs';
import { SessionRegistry } from '../services/session-registry';
import { SettingsService } from '../services/settings';
import { StaffService } from '../services/staff';
import { VisibilityService } from '../services/visibility';
import type { HandlerServices } from '../ipc/services';
import { CardFindingsService } from '../services/card-findings';
import { EnrolmentService } from '../services/enrolments';
import { SyncFeedService } from '../services/sync-feed';
import { createDisclosureServices } from './disclosures';

/** The backend's services: the handlers' view, and the connection and engine for start-up work. */
export interface Services extends HandlerServices {
  db: Knex;
  /** The statements every read of customer data runs (main/db/hot-statements.ts). */
  hot: HotStatements;
}

export interface ServicePaths {
  exportDir: string;
  keyDir: string;
  /** Seals the checkpoint signing key at rest (the embedded database's data key). */
  keySealer?: KeySealer | undefined;
  /** Backups and the recovery key (an encrypted embedded database only). */
  keyOperations?: KeyOperations | undefined;
  witnessDirs?: readonly string[] | undefined;
  chooseImportFile?: ImportFilePicker | undefined;
}

/** Builds every service on one database: the composition root of the backend. */
export function createServices(
  db: Knex,
  hot: HotStatements,
  clock: Clock,
  paths: ServicePaths = { exportDir: defaultExportDir(), keyDir: userDataDir() },
  log: Logger = silentLogger,
): Services {
  const settings = new SettingsService(db);
  const visibility = new VisibilityService(db);
  const accessFor = (role: Parameters<VisibilityService['accessFor']>[0]) =>
    visibility.accessFor(role);
  const auth = new AuthService(db, clock, settings, visibility);
  const accounts = new AccountsService(new AccountsStore(db, hot), visibility);
  const sessions = new SessionRegistry();
  const staff = new StaffService(db, clock, sessions);
  const accessLog = new AccessLogService(new AccessLogStore(db, hot), clock, settings, (err) =>
    log.error('access log indexing failed; it is retried later', {
      kind: err instanceof Error ? err.name : typeof err,
      code: (err as { code?: unknown }).code,
    }),
  );
  let key: KeyObject | undefined;
  const signingKey = () => (key ??= loadSigningKey(paths.keyDir, paths.keySealer));
  const standing = new StandingService(db, accessFor);
  const disclosureSide = createDisclosureServices({
    db,
    clock,
    accessFor,
    accounts,
    accessLog,
    standing,
    exportDir: paths.exportDir,
    witnessDirs: paths.witnessDirs ?? [defaultWitnessDir()],
    signingKey,
    log,
  });
  return {
    ...disclosureSide,
    db,
    hot,
    clock,
    standing,
    jobs: new JobRegistry(),
    imports: new ImportDesk(db, accessFor, paths.chooseImportFile),
    settings,
    visibility,
    auth,
    accounts,
    staff,
    sessions,
    enrolments: new EnrolmentService(db, clock),
    sync: new SyncFeedService(db, visibility, clock, accessLog),
    accessLog,
    recipients: new RecipientsService(db),
    cardFindings: new CardFindingsService(db),
    backups: new BackupsService(paths.keyOperations ?? null),
  };
}
