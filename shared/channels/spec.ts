/** The shape of a channel's declaration, and who may call it. */
import { z } from 'zod';
import { HOLD_ROLES } from '../standing';
import { ROLE_LABELS, type Role } from '../roles';

/** Who may call a channel: anyone, a caller with an unlocked session, or a locked one too. */
export type Gate = 'public' | 'session' | 'locked-ok' | 'password-change';

/** What an access-log entry says was done (policy P3). */
export type AccessAction =
  | 'view_account'
  | 'view_history'
  | 'view_disclosures'
  | 'list'
  | 'search'
  | 'export'
  | 'view_access_log'
  | 'export_access_log'
  /** A page of a workstation's offline replica filled from the change feed (issue 16). */
  | 'replica_sync';

/** What an entry holds besides its action: ids, the kind of query, a count; never the values. */
export interface AccessDetails {
  /** The kind of query (e.g. "name", "phone"), never the text searched for. */
  queryKind?: string | null;
  recordIds?: readonly string[];
  resultCount?: number;
}

/**
 * The access-log entry a successful call writes, declared beside its input: main's dispatch
 * writes it once for every caller, after the handler answered and before the answer leaves.
 */
export interface AccessAudit<I = never, O = never> {
  action: AccessAction | ((input: I, output: O) => AccessAction);
  screen: string;
  details?: (input: I, output: O) => AccessDetails;
}

declare const OUTPUT: unique symbol;
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  gate: Gate;
  /** Whether the channel returns customer data (the leak tests call every such channel). */
  readsCustomerData?: boolean;
  /** The roles that may call it, enforced once in main's dispatch; absent: every role. */
  roles?: RoleRule;
  /** The access-log entry each successful call writes (policy P3); absent: none. */
  audit?: AccessAudit<z.infer<I>, O>;
  readonly [OUTPUT]?: O;
}
export function channel<O>() {
  return <I extends z.ZodType>(spec: Omit<ChannelSpec<I, O>, typeof OUTPUT>): ChannelSpec<I, O> =>
    spec as ChannelSpec<I, O>;
}

/** Who may call a channel, and what a refused caller is told. */
export interface RoleRule {
  only: readonly Role[];
  refusal: string;
}

/** "Only an administrator may manage staff.": the roles named as the list of who may. */
export function only(roles: readonly Role[], to: string): RoleRule {
  const who = roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(' or ');
  const article = /^[aeiou]/.test(who) ? 'an' : 'a';
  return { only: roles, refusal: `Only ${article} ${who} may ${to}.` };
}

export const ADMINISTRATOR: readonly Role[] = ['administrator'];
export const COMPLIANCE: readonly Role[] = ['compliance_officer'];
export const OVERSIGHT: readonly Role[] = ['compliance_officer', 'administrator'];
export const HOLD_SETTERS: RoleRule = {
  only: HOLD_ROLES,
  refusal: `Collection holds are set by: ${HOLD_ROLES.map((r) => ROLE_LABELS[r]).join(', ')}.`,
};
export const BATCH_AGENTS: RoleRule = {
  only: ['collections_agent'],
  refusal: 'Collection batches are built and sent by collections agents.',
};

export const empty = z.object({}).strict();
