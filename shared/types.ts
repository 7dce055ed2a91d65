import type { FieldKey, ProvenanceSource, SearchKind, Standing } from './catalogue';
import type { Access, AccessMap, AccessMatrix } from './visibility';
import type { Role } from './roles';
import type { ExportFormat, FileFormat, LoggedPurpose, Purpose, RecipientType } from './disclosure';
import type { BatchStatus, HoldKind, StandingReason } from './standing';

export type FieldValue = string | number | null;
/** Customer field values as the caller may see them: hidden fields are absent, masked ones are strings. */
export type VisibleFields = Partial<Record<FieldKey, FieldValue>>;
export type VisibleAccess = Partial<AccessMap>;

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface SessionInfo {
  user: StaffUser;
  locked: boolean;
  mustChangePassword: boolean;
  idleLockMinutes: number;
  /** The caller's access per visible customer field (hidden fields absent). */
  fieldAccess: VisibleAccess;
}

export interface AppStatus {
  initialised: boolean;
  appVersion: string;
  session: SessionInfo | null;
  /**
   * Administrators only: how many stored texts hold what looks like a card number and wait to
   * be redacted (migration 0010's findings). Absent for everyone else.
   */
  cardDataFindings?: number;
}

export interface AccountRow {
  id: string;
  fields: VisibleFields;
}

export interface AccountPage {
  rows: AccountRow[];
  /** Pass back to get the next page; null at the end. */
  nextCursor: string | null;
  access: VisibleAccess;
  searchKind: SearchKind | null;
}

export interface AccountDetail {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: VisibleFields;
  access: VisibleAccess;
}

export interface Settings {
  idleLockMinutes: number;
  accessLogRetentionDays: number;
  /** Hours a team workstation's offline copy opens without reaching the server (issue 16). */
  replicaLeaseHours: number;
}

export interface VisibilityMatrix {
  matrix: AccessMatrix;
  defaults: AccessMatrix;
}

export interface FieldAccessChange {
  id: string;
  role: Role;
  roleLabel: string;
  field: string;
  fieldLabel: string;
  oldAccess: Access;
  newAccess: Access;
  reason: string;
  changedBy: string;
  changedAt: string;
}

export interface StaffSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  version: number;
  /** A privileged role waiting for a second holder's approval; the account does not hold it yet. */
  pendingGrant: PendingGrant | null;
}

/** A grant of the administrator or compliance officer role, waiting for a second holder. */
export interface PendingGrant {
  id: string;
  role: Role;
  /** What approval completes: a new account, a role change, or a reactivation. */
  kind: 'create' | 'role_change' | 'reactivate';
  /** Who asked for it ("the command line" when it came from there). */
  requestedBy: string;
  requestedAt: string;
}

export interface RoleGrantView extends PendingGrant {
  staffId: string;
  displayName: string;
  username: string;
  currentRole: Role;
  active: boolean;
  /** Why the viewer may not approve it (null: they may); they may still reject it. */
  cannotApprove: string | null;
}

export interface FieldChange {
  field: FieldKey;
  label: string;
  access: Access;
  oldValue: FieldValue;
  newValue: FieldValue;
}

export interface HistoryEntry {
  id: string;
  event: 'created' | 'updated';
  /** When the server recorded it. */
  at: string;
  /** When it was made on a workstation offline, by that workstation's clock (never after `at`). */
  madeOfflineAt?: string;
  by: string;
  /**
   * How and when the customer supplied what the event recorded, as far as the viewer may see the
   * account's provenance fields: null where hidden (and the source where masked too, since a
   * masked source says nothing), the date masked where masked.
   */
  source: ProvenanceSource | null;
  sourceDate: string | null;
  /** Only the fields the viewer may see, as far as they may see them. */
  changes: FieldChange[];
}

export interface AuditCheckpoint {
  chain: 'disclosures';
  seq: number;
  hash: string;
  createdAt: string;
  publicKey: string;
  signature: string;
}

export interface AccessLogEntry {
  id: string;
  at: string;
  staff: string;
  staffId: string | null;
  username: string | null;
  hostname: string;
  /** What the workstation reports about itself. */
  ip: string;
  /** The address the team server saw the request come from (null in the embedded mode). */
  seenIp: string | null;
  os: string;
  appVersion: string;
  action: string;
  screen: string;
  queryKind: string | null;
  recordIds: string[];
  resultCount: number;
}

export interface AccessLogPage {
  entries: AccessLogEntry[];
  nextCursor: string | null;
}

export interface Recipient {
  id: string;
  name: string;
  type: RecipientType;
  contact: string;
  reference: string | null;
  /** The fingerprint of the recipient's OpenPGP key: files for them are sealed to it. */
  openpgpFingerprint: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DisclosureApprover {
  staffId: string;
  name: string;
  role: Role;
  at: string;
}

export interface DisclosureRecordView {
  seq: number;
  id: string;
  kind: 'refused' | 'admitted' | 'completed' | 'abandoned';
  /** For admitted records: whether the file was placed (completed), not yet, or never (abandoned). */
  status: 'refused' | 'completed' | 'incomplete' | 'abandoned';
  refSeq: number | null;
  recordedAt: string;
  staffName: string | null;
  workstation: string;
  approvers: DisclosureApprover[];
  recipientName: string | null;
  recipientContact: string | null;
  recipientType: RecipientType | null;
  purpose: LoggedPurpose;
  legalBasis: string;
  accountIds: string[];
  accountCount: number;
  fields: string[];
  rowCount: number;
  fileName: string | null;
  format: FileFormat | null;
  sha256: string | null;
  refusal: string | null;
  /** The approval request or the collection batch this record carries out. */
  requestId: string | null;
}

export interface DisclosureRequestView {
  id: string;
  requester: string;
  requesterId: string;
  recipientName: string;
  recipientType: RecipientType;
  purpose: Purpose;
  accountCount: number;
  fields: string[];
  format: ExportFormat;
  justification: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'done';
  waitingFor: string[];
  approvals: { name: string; role: Role; decision: string; at: string }[];
  createdAt: string;
  /** Whether the caller may approve or reject it now. */
  canDecide: boolean;
}

export interface DisclosureOutcome {
  status: 'refused' | 'pending' | 'completed';
  reasons: string[];
  requestId: string | null;
  waitingFor: string[];
  record: DisclosureRecordView | null;
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  headSeq: number;
  headHash: string;
  problem: { seq: number; message: string } | null;
  checkpoint: { ok: boolean; message: string } | null;
  /** Every witness folder looked in, and what its witness says of the chain. */
  witnesses: WitnessCheck[];
  millis: number;
}

/** One witness of the disclosure log's head, written outside the database after every record. */
export interface WitnessCheck {
  /** The witness file looked for. */
  source: string;
  found: boolean;
  ok: boolean;
  /** The record it witnessed, when found and readable. */
  seq: number | null;
  message: string;
}

export interface StandingEvent {
  id: string;
  accountId: string;
  from: Standing;
  to: Standing;
  reason: StandingReason;
  note: string | null;
  /** Null for a role that may not see balances. */
  balanceCents: number | null;
  daysPastDue: number;
  by: string | null;
  batchId: string | null;
  /** The event's batch was never sent: its placement file was never written (a crash). */
  batchNeverSent?: boolean;
  at: string;
  /** When it was made on a workstation offline, by that workstation's clock (never after `at`). */
  madeOfflineAt?: string;
}

export interface AccountHold {
  kind: HoldKind;
  label: string;
  since: string;
  note: string;
  setBy: string;
  setAt: string;
}

export interface BatchPreview {
  count: number;
  totalCents: number;
  currency: string;
  /** The 20 largest balances, as far as the caller may see them. */
  sample: AccountRow[];
  access: VisibleAccess;
  excludedByHolds: number;
}

export interface CollectionBatch {
  id: string;
  number: string;
  agencyId: string;
  agencyName: string;
  status: BatchStatus;
  currency: string;
  accountCount: number;
  totalCents: number;
  filters: Record<string, unknown>;
  disclosureSeq: number | null;
  createdBy: string;
  sentAt: string;
  recalledAt: string | null;
  recallReason: string | null;
}

export interface DashboardSummary {
  byStanding: { standing: Standing; currency: string; count: number; totalCents: number }[];
  batchesThisMonth: {
    agency: string;
    batches: number;
    accounts: number;
    totalCents: number;
    currency: string;
  }[];
}

export interface BulkPreview {
  selected: number;
  /** How many would change; the rest are refused, with the first reasons. */
  changing: number;
  refused: number;
  reasons: string[];
}

/** A backup made from the console: where, what it holds, and its SHA-256 (issue 14). */
export interface BackupMade {
  file: string;
  createdAt: string;
  sha256: string;
  /** Rows of every table together. */
  rows: number;
  /** The disclosure chain's head record in the backup (null: none yet). */
  chainHeadSeq: number | null;
}
