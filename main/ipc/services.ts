import type { AccessLogService } from '../services/access-log';
import type { AccountsService } from '../services/accounts/service';
import type { AuditService } from '../services/audit/audit-service';
import type { WitnessLog } from '../services/audit/witness';
import type { AuthService } from '../services/auth';
import type { BackupsService } from '../services/backups';
import type { CardFindingsService } from '../services/card-findings';
import type { Clock } from '../services/clock';
import type { CollectionsService } from '../services/collections/batches';
import type { StandingService } from '../services/collections/standing';
import type { PlacementDisclosures } from '../services/disclosures/placement';
import type { RecipientsService } from '../services/disclosures/recipients';
import type { DisclosureRegister } from '../services/disclosures/register';
import type { DisclosureWorkflow } from '../services/disclosures/workflow';
import type { InternalExports } from '../services/exports/internal';
import type { ExportRecovery } from '../services/exports/recovery';
import type { ImportDesk } from '../services/import-desk';
import type { JobRegistry } from '../services/jobs';
import type { SessionRegistry } from '../services/session-registry';
import type { SettingsService } from '../services/settings';
import type { StaffService } from '../services/staff';
import type { VisibilityService } from '../services/visibility';
import type { EnrolmentService } from '../services/enrolments';
import type { SyncFeedService } from '../services/sync-feed';

/** What the disclosure side is made of: the log, exports, the workflow, placements, batches. */
export interface DisclosureServices {
  /** The disclosure workflow: request, approve, carry out. */
  disclosures: DisclosureWorkflow;
  /** The register: the log, a customer's accounting, interrupted exports. */
  register: DisclosureRegister;
  /** Verification and checkpoints of the disclosure log. */
  audit: AuditService;
  /** Internal exports (accounts list, access log). */
  exports: InternalExports;
  /** Start-up recovery of interrupted exports. */
  recovery: ExportRecovery;
  /** Placements with collection agencies, used by collection batches. */
  placements: PlacementDisclosures;
  collections: CollectionsService;
  /** Signed heads of the disclosure log, kept outside the database. */
  witnesses: WitnessLog;
}

/**
 * Every service of the backend as the handlers reach them: domain services only, never the
 * connection or the engine (main/app builds them and adds those for its own start-up work).
 */
export interface HandlerServices extends DisclosureServices {
  clock: Clock;
  settings: SettingsService;
  visibility: VisibilityService;
  auth: AuthService;
  accounts: AccountsService;
  staff: StaffService;
  sessions: SessionRegistry;
  accessLog: AccessLogService;
  recipients: RecipientsService;
  standing: StandingService;
  jobs: JobRegistry;
  imports: ImportDesk;
  cardFindings: CardFindingsService;
  /** Workstations enrolled with the team server (used only in team mode). */
  enrolments: EnrolmentService;
  /** The change feed offline workstations fill their replicas from (team mode). */
  sync: SyncFeedService;
  /** Backups and the recovery key of an embedded database. */
  backups: BackupsService;
}
