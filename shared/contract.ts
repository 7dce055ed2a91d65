/**
 * The IPC contract: every channel, its input schema, its output type and who may call it.
 * main validates every input against it; the preload and the tests enumerate it.
 */
import { z } from 'zod';
import {
  accountFieldsInput,
  displayName,
  id,
  isoDate,
  listAccountsInput,
  newPassword,
  passwordPair,
  provenanceInput,
  roleInput,
  safeText,
  username,
} from './schemas';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from './rules';
import { STANDINGS } from './catalogue';
import { EXPORT_FORMATS, PURPOSES } from './disclosure';
import { HOLD_KINDS, HOLD_ROLES } from './standing';
import { PRIVILEGED_ROLES } from './four-eyes';
import { ROLE_LABELS, type Role } from './roles';
import { batchFilters, bulkSelection, transitionInput } from './standing-schemas';
import {
  accessLogFilter,
  disclosureRequestInput,
  exportFileName,
  fieldKey,
  recipientInput,
} from './disclosure-schemas';
import { ACCESS_LEVELS } from './visibility';
import {
  IMPORT_PROBLEM_PAGE,
  IMPORT_PROBLEM_PAGE_MAX,
  type ImportCheck,
  type ImportFileChoice,
  type ImportOutcome,
  type ImportProblemPage,
} from './import';
import type {
  AccessLogPage,
  ConnectionView,
  AccountHold,
  BatchPreview,
  BulkPreview,
  CollectionBatch,
  DashboardSummary,
  StandingEvent,
  AuditCheckpoint,
  ChainVerification,
  DisclosureOutcome,
  DisclosureRecordView,
  DisclosureRequestView,
  Recipient,
  AccountDetail,
  AccountPage,
  AppStatus,
  FieldAccessChange,
  HistoryEntry,
  SessionInfo,
  Settings,
  RoleGrantView,
  StaffSummary,
  VisibilityMatrix,
  VisibleAccess,
} from './types';

/** Who may call a channel: anyone, a caller with an unlocked session, or a locked one too. */
export type Gate = 'public' | 'session' | 'locked-ok' | 'password-change';

declare const OUTPUT: unique symbol;
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  gate: Gate;
  /** Whether the channel returns customer data (the leak tests call every such channel). */
  readsCustomerData?: boolean;
  /** The roles that may call it, enforced once in main's dispatch; absent: every role. */
  roles?: RoleRule;
  readonly [OUTPUT]?: O;
}
function channel<O>() {
  return <I extends z.ZodType>(spec: Omit<ChannelSpec<I, O>, typeof OUTPUT>): ChannelSpec<I, O> =>
    spec as ChannelSpec<I, O>;
}

/** Who may call a channel, and what a refused caller is told. */
export interface RoleRule {
  only: readonly Role[];
  refusal: string;
}

/** "Only an administrator may manage staff.": the roles named as the list of who may. */
function only(roles: readonly Role[], to: string): RoleRule {
  const who = roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(' or ');
  const article = /^[aeiou]/.test(who) ? 'an' : 'a';
  return { only: roles, refusal: `Only ${article} ${who} may ${to}.` };
}

const ADMINISTRATOR: readonly Role[] = ['administrator'];
const COMPLIANCE: readonly Role[] = ['compliance_officer'];
const OVERSIGHT: readonly Role[] = ['compliance_officer', 'administrator'];
const HOLD_SETTERS: RoleRule = {
  only: HOLD_ROLES,
  refusal: `Collection holds are set by: ${HOLD_ROLES.map((r) => ROLE_LABELS[r]).join(', ')}.`,
};
const BATCH_AGENTS: RoleRule = {
  only: ['collections_agent'],
  refusal: 'Collection batches are built and sent by collections agents.',
};

const empty = z.object({}).strict();

// The connection is kept in a file on the workstation: like everything written to disk, no card number.
const noCardNumber = (v: string) => !containsCardNumber(v);

const connectionInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('sqlite') }).strict(),
  z
    .object({
      mode: z.literal('pg'),
      host: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'A host name or IP address.')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      port: z
        .number()
        .int()
        .min(1, 'A port from 1 to 65535.')
        .max(65535, 'A port from 1 to 65535.'),
      database: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.-]{1,63}$/, 'A database name (letters, digits, _ . -).')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      user: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.@-]{1,63}$/, 'A user name (letters, digits, _ . @ -).')
        .refine(noCardNumber, CARD_NUMBER_MESSAGE),
      tls: z.enum(['disable', 'require', 'verify-full']),
      password: z.string().max(1000).optional(),
    })
    .strict(),
]);

export const contract = {
  'app.status': channel<AppStatus>()({ input: empty, gate: 'public' }),
  'setup.createFirstAdmin': channel<SessionInfo>()({
    input: z.intersection(z.object({ displayName, username }), passwordPair),
    gate: 'public',
  }),
  'auth.login': channel<SessionInfo>()({
    input: z.object({ username, password: z.string().min(1, 'Enter your password.').max(256) }),
    gate: 'public',
  }),
  'auth.logout': channel<null>()({ input: empty, gate: 'public' }),
  'auth.lock': channel<null>()({ input: empty, gate: 'locked-ok' }),
  'auth.unlock': channel<SessionInfo>()({
    input: z.object({ password: z.string().min(1, 'Enter your password.').max(256) }),
    gate: 'locked-ok',
  }),
  'auth.heartbeat': channel<null>()({ input: empty, gate: 'session' }),
  'auth.changePassword': channel<SessionInfo>()({
    input: z.intersection(
      z.object({ currentPassword: z.string().min(1, 'Enter your current password.').max(256) }),
      z
        .object({ password: newPassword, passwordConfirm: z.string() })
        .refine((v) => v.password === v.passwordConfirm, {
          message: 'The two passwords differ.',
          path: ['passwordConfirm'],
        }),
    ),
    gate: 'password-change',
  }),
  'accounts.fieldAccess': channel<VisibleAccess>()({ input: empty, gate: 'session' }),
  'accounts.list': channel<AccountPage>()({
    input: listAccountsInput,
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.get': channel<AccountDetail>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.create': channel<AccountDetail>()({
    input: z.object({ fields: accountFieldsInput, provenance: provenanceInput }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.update': channel<AccountDetail>()({
    input: z
      .object({
        id,
        version: z.number().int().min(1),
        changes: accountFieldsInput,
        provenance: provenanceInput,
      })
      .strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.history': channel<HistoryEntry[]>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'staff.list': channel<StaffSummary[]>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.create': channel<StaffSummary>()({
    input: z
      .object({ username, displayName, role: roleInput, temporaryPassword: newPassword })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.update': channel<StaffSummary>()({
    input: z
      .object({
        id,
        version: z.number().int().min(1),
        displayName: displayName.optional(),
        role: roleInput.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.resetPassword': channel<StaffSummary>()({
    input: z.object({ id, temporaryPassword: newPassword }).strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'manage staff'),
  }),
  'staff.grants': channel<RoleGrantView[]>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see role grants'),
  }),
  'staff.decideGrant': channel<RoleGrantView>()({
    input: z
      .object({
        id,
        decision: z.enum(['approved', 'rejected']),
        note: safeText(1000).optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'decide on role grants'),
  }),
  'visibility.matrix': channel<VisibilityMatrix>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see the access matrix'),
  }),
  'visibility.update': channel<VisibilityMatrix>()({
    input: z
      .object({
        changes: z
          .array(
            z.object({
              role: roleInput,
              field: fieldKey,
              access: z.enum(ACCESS_LEVELS),
            }),
          )
          .min(1, 'Change at least one cell.')
          .max(500),
        reason: safeText(1000).refine((v) => v.length >= 10, 'Say why, in at least 10 characters.'),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change the access matrix'),
  }),
  'visibility.changes': channel<FieldAccessChange[]>()({
    input: empty,
    gate: 'session',
    roles: only(PRIVILEGED_ROLES, 'see matrix changes'),
  }),
  'recipients.list': channel<Recipient[]>()({ input: empty, gate: 'session' }),
  'recipients.create': channel<Recipient>()({
    input: recipientInput.strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'register recipients'),
  }),
  'recipients.update': channel<Recipient>()({
    input: recipientInput
      .partial()
      .extend({ id, version: z.number().int().min(1), active: z.boolean().optional() })
      .strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'change recipients'),
  }),
  'disclosures.request': channel<DisclosureOutcome>()({
    input: disclosureRequestInput,
    gate: 'session',
  }),
  'disclosures.inbox': channel<DisclosureRequestView[]>()({ input: empty, gate: 'session' }),
  'disclosures.decide': channel<DisclosureRequestView>()({
    input: z
      .object({
        requestId: id,
        decision: z.enum(['approved', 'rejected']),
        note: safeText(1000).optional(),
      })
      .strict(),
    gate: 'session',
  }),
  'disclosures.execute': channel<DisclosureOutcome>()({
    input: z.object({ requestId: id, fileName: exportFileName }).strict(),
    gate: 'session',
  }),
  'disclosures.log': channel<{ records: DisclosureRecordView[]; nextCursor: number | null }>()({
    input: z
      .object({
        purpose: z.enum([...PURPOSES, 'internal']).optional(),
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'read the disclosure log'),
  }),
  'disclosures.accounting': channel<DisclosureRecordView[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    roles: only(OVERSIGHT, "read a customer's accounting of disclosures"),
  }),
  'disclosures.accountingReport': channel<DisclosureRecordView>()({
    input: z
      .object({ accountId: id, format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'save an accounting of disclosures'),
  }),
  'disclosures.verify': channel<ChainVerification>()({
    input: z.object({ checkpoint: z.string().max(10_000).optional() }).strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'verify the disclosure log'),
  }),
  'disclosures.checkpoint': channel<{ checkpoint: AuditCheckpoint; fileName: string }>()({
    input: z.object({ fileName: exportFileName }).strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'save a checkpoint of the disclosure log'),
  }),
  'disclosures.recovered': channel<DisclosureRecordView[]>()({
    input: empty,
    gate: 'session',
    roles: only(OVERSIGHT, 'see interrupted disclosures'),
  }),
  'exports.accounts': channel<DisclosureRecordView>()({
    input: z
      .object({
        search: listAccountsInput.shape.search,
        searchKind: listAccountsInput.shape.searchKind,
        sort: listAccountsInput.shape.sort,
        direction: listAccountsInput.shape.direction,
        fields: z.array(fieldKey).min(1, 'Choose at least one field.'),
        format: z.enum(EXPORT_FORMATS),
        fileName: exportFileName,
      })
      .strict(),
    gate: 'session',
  }),
  'accessLog.list': channel<AccessLogPage>()({
    input: accessLogFilter
      .extend({
        cursor: id.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'read the access log'),
  }),
  'accessLog.export': channel<DisclosureRecordView>()({
    input: accessLogFilter
      .extend({ format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'export the access log'),
  }),
  'accessLog.prune': channel<{ removed: number; cutoff: string }>()({
    input: empty,
    gate: 'session',
    roles: only(OVERSIGHT, 'prune the access log'),
  }),
  'standing.timeline': channel<StandingEvent[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'standing.transition': channel<StandingEvent>()({
    input: transitionInput.extend({ accountId: id }).strict(),
    gate: 'session',
  }),
  'standing.bulkPreview': channel<BulkPreview>()({
    input: z.object({ selection: bulkSelection, to: z.enum(STANDINGS) }).strict(),
    gate: 'session',
  }),
  'standing.bulkMark': channel<{ changed: number }>()({
    input: transitionInput
      .extend({ selection: bulkSelection, jobId: id.optional() })
      .omit({ balanceCents: true, daysPastDue: true })
      .strict(),
    gate: 'session',
  }),
  'jobs.progress': channel<{ done: number; total: number; finished: boolean } | null>()({
    input: z.object({ jobId: id }).strict(),
    gate: 'session',
  }),
  'holds.list': channel<AccountHold[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'holds.set': channel<AccountHold[]>()({
    input: z
      .object({
        accountId: id,
        kind: z.enum(HOLD_KINDS),
        since: isoDate,
        note: safeText(1000).refine((v) => v.length > 0, 'Say what the hold rests on.'),
      })
      .strict(),
    gate: 'session',
    roles: HOLD_SETTERS,
    readsCustomerData: true,
  }),
  'holds.clear': channel<AccountHold[]>()({
    input: z
      .object({
        accountId: id,
        kind: z.enum(HOLD_KINDS),
        note: safeText(1000).refine((v) => v.length > 0, 'Say why the hold ends.'),
      })
      .strict(),
    gate: 'session',
    roles: HOLD_SETTERS,
    readsCustomerData: true,
  }),
  'batches.preview': channel<BatchPreview>()({
    input: batchFilters,
    gate: 'session',
    roles: BATCH_AGENTS,
    readsCustomerData: true,
  }),
  'batches.send': channel<{ batch: CollectionBatch | null; outcome: DisclosureOutcome }>()({
    input: batchFilters
      .extend({ format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: BATCH_AGENTS,
  }),
  'batches.recall': channel<CollectionBatch>()({
    input: z
      .object({
        batchId: id,
        reason: safeText(1000).refine((v) => v.length > 0, 'Say why the batch is recalled.'),
      })
      .strict(),
    gate: 'session',
    roles: BATCH_AGENTS,
  }),
  'batches.list': channel<CollectionBatch[]>()({ input: empty, gate: 'session' }),
  'dashboard.summary': channel<DashboardSummary>()({ input: empty, gate: 'session' }),
  // Import answers counts, line numbers, field keys and reasons, never a cell's value; the
  // account numbers import.run answers are projected by the importer's access to them.
  'import.chooseFile': channel<ImportFileChoice | null>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.check': channel<ImportCheck>()({
    input: z.object({ token: id, jobId: id.optional() }).strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.problems': channel<ImportProblemPage>()({
    input: z
      .object({
        token: id,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(IMPORT_PROBLEM_PAGE_MAX).default(IMPORT_PROBLEM_PAGE),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'import.run': channel<ImportOutcome>()({
    input: z
      .object({
        token: id,
        accept: z.literal(true, 'Accept the valid rows to import them.'),
        jobId: id.optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'import accounts'),
  }),
  'connection.get': channel<ConnectionView>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'see the database connection'),
  }),
  'connection.test': channel<{ ok: boolean; message: string }>()({
    input: connectionInput,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'test a database connection'),
  }),
  'connection.save': channel<ConnectionView>()({
    input: connectionInput,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change the database connection'),
  }),
  'settings.get': channel<Settings>()({ input: empty, gate: 'session' }),
  'settings.update': channel<Settings>()({
    input: z
      .object({
        idleLockMinutes: z
          .number()
          .int('Whole minutes.')
          .min(1, 'At least 1 minute.')
          .max(120, 'At most 120 minutes.')
          .optional(),
        accessLogRetentionDays: z
          .number()
          .int('Whole days.')
          .min(30, 'At least 30 days.')
          .max(3650, 'At most 10 years.')
          .optional(),
      })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'change settings'),
  }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> =
  Contract[C] extends ChannelSpec<z.ZodType, infer O> ? O : never;

export { displayName, username };
