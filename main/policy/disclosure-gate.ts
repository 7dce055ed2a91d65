import { FIELD_BY_KEY, type FieldKey, type FraudFlag, type Standing } from '../../shared/catalogue';
import {
  COLLECTION_FIELDS,
  PURPOSE_LABELS,
  PURPOSE_RULES,
  RECIPIENT_TYPE_LABELS,
  type InstrumentType,
  type Purpose,
  type RecipientType,
} from '../../shared/disclosure';
import { ROLE_LABELS, type Role } from '../../shared/roles';
import { HOLD_LABELS, type HoldKind } from '../../shared/standing';
import { canRead, type AccessMap } from '../../shared/visibility';

export interface GateAccount {
  id: string;
  accountNumber: string;
  standing: Standing;
  fraudFlag: FraudFlag;
  /** Collection holds in force (bankruptcy, deceased, attorney-represented). */
  holds: readonly HoldKind[];
}

export interface GateApproval {
  staffId: string;
  role: Role;
  decision: 'approved' | 'rejected';
}

export interface LegalInstrument {
  instrumentType: InstrumentType;
  reference: string;
  authority: string;
  date: string;
}

export interface GateRequest {
  purpose: Purpose;
  recipient: { name: string; type: RecipientType; active: boolean };
  requester: { staffId: string; role: Role };
  access: AccessMap;
  fields: readonly FieldKey[];
  /** The named accounts (empty for a business transfer of all accounts). */
  accounts: readonly GateAccount[];
  missingAccountIds: readonly string[];
  allAccounts: boolean;
  legal: LegalInstrument | null;
  justification: string | null;
  approvals: readonly GateApproval[];
  today: string;
}

export type GateDecision =
  | { outcome: 'admitted' }
  | { outcome: 'refused'; reasons: string[] }
  | { outcome: 'needs_approval'; waitingFor: string[] };

const MAX_NAMED = 10;

function named(accounts: readonly GateAccount[]): string {
  const shown = accounts
    .slice(0, MAX_NAMED)
    .map((a) => a.accountNumber)
    .join(', ');
  return accounts.length > MAX_NAMED ? `${shown} and ${accounts.length - MAX_NAMED} more` : shown;
}

/** The purpose's own conditions, per account or on the request; each failing one is a reason. */
type PurposeCheck = (req: GateRequest) => string[];

/** Up to MAX_NAMED reasons, one per account, then one line counting the rest. */
function perAccount(
  accounts: readonly GateAccount[],
  reason: (a: GateAccount) => string,
  rest: (n: number) => string,
): string[] {
  const out = accounts.slice(0, MAX_NAMED).map(reason);
  if (accounts.length > MAX_NAMED) out.push(rest(accounts.length - MAX_NAMED));
  return out;
}

function debtCollection(req: GateRequest): string[] {
  const good = req.accounts.filter(
    (a) => a.standing !== 'bad_standing' && a.standing !== 'in_collection',
  );
  const held = req.accounts.filter((a) => a.holds.length > 0);
  const extra = req.fields.filter((f) => !COLLECTION_FIELDS.includes(f));
  return [
    ...perAccount(
      good,
      (a) =>
        `account ${a.accountNumber} is in ${a.standing.replace(/_/g, ' ')} standing; debt collection disclosures need bad standing`,
      (n) => `and ${n} more accounts not in bad standing`,
    ),
    ...perAccount(
      held,
      (a) =>
        `account ${a.accountNumber} has a ${a.holds.map((h) => HOLD_LABELS[h].toLowerCase()).join(' and ')} hold; accounts with a collection hold are never placed with an agency`,
      (n) => `and ${n} more accounts with a collection hold`,
    ),
    ...(extra.length > 0
      ? [
          `debt collection disclosures are limited to the collection field set; remove ${extra.map((f) => FIELD_BY_KEY[f].label).join(', ')}`,
        ]
      : []),
  ];
}

function fraudPrevention(req: GateRequest): string[] {
  const clean = req.accounts.filter((a) => a.fraudFlag === 'none');
  if (clean.length === 0) return [];
  const many = clean.length > 1;
  return [
    `account${many ? 's' : ''} ${named(clean)} ha${many ? 've' : 's'} no suspected or reported fraud; fraud prevention disclosures need a fraud flag`,
  ];
}

function legalProcess(req: GateRequest): string[] {
  const l = req.legal;
  if (!l) {
    return [
      'legal process disclosures need the instrument type, reference, issuing authority and date',
    ];
  }
  const out: string[] = [];
  if (!l.reference.trim()) out.push('give the reference number of the legal instrument');
  if (!l.authority.trim()) out.push('give the issuing authority of the legal instrument');
  if (l.date > req.today) out.push('the legal instrument cannot be dated in the future');
  return out;
}

const PURPOSE_CHECKS: Record<Purpose, PurposeCheck> = {
  debt_collection: debtCollection,
  fraud_prevention: fraudPrevention,
  legal_process: legalProcess,
  exigent_circumstances: (req) =>
    !req.justification || req.justification.trim().length < 20
      ? ['exigent circumstances need a written justification of at least 20 characters']
      : [],
  business_transfer: (req) => (req.allAccounts ? [] : ['a business transfer covers all accounts']),
};

/**
 * The disclosure gate (DESIGN.md section 4): admits exactly what the policy allows and names
 * the rule behind every refusal. Pure: the service gathers the facts, this decides.
 */
export function evaluateDisclosure(req: GateRequest): GateDecision {
  const reasons: string[] = [];
  const rule = PURPOSE_RULES[req.purpose];
  const purpose = PURPOSE_LABELS[req.purpose].toLowerCase();

  if (!req.recipient.active) {
    reasons.push(
      `recipient ${req.recipient.name} is deactivated; register it again before disclosing to it`,
    );
  }
  if (!rule.recipientTypes.includes(req.recipient.type)) {
    const allowed = rule.recipientTypes
      .map((t) => RECIPIENT_TYPE_LABELS[t].toLowerCase())
      .join(' or ');
    reasons.push(
      `${req.recipient.name} is a ${RECIPIENT_TYPE_LABELS[req.recipient.type].toLowerCase()}; ${purpose} disclosures go only to a ${allowed}`,
    );
  }
  if (req.fields.length === 0) reasons.push('choose at least one field');
  const unreadable = req.fields.filter((f) => !canRead(req.access[f]));
  if (unreadable.length > 0) {
    reasons.push(
      `your role (${ROLE_LABELS[req.requester.role]}) may not read ${unreadable.map((f) => FIELD_BY_KEY[f].label).join(', ')}, so it cannot disclose it`,
    );
  }
  if (req.missingAccountIds.length > 0) {
    reasons.push(`${req.missingAccountIds.length} of the named accounts do not exist`);
  }
  if (req.allAccounts && req.purpose !== 'business_transfer') {
    reasons.push(`${purpose} disclosures are limited to named accounts, never all accounts`);
  }
  if (!req.allAccounts && req.accounts.length === 0 && req.missingAccountIds.length === 0) {
    reasons.push('name at least one account');
  }

  const blind = rule.conditionFields.filter((f) => !canRead(req.access[f]));
  if (blind.length > 0) {
    // Refused before any account is looked at, so the answer is the same whatever the named
    // accounts hold: a refusal never tells the requester a fact their role cannot read.
    reasons.push(
      `your role (${ROLE_LABELS[req.requester.role]}) may not read ${blind.map((f) => FIELD_BY_KEY[f].label.toLowerCase()).join(' or ')}, on which ${purpose} disclosures depend, so it cannot ask for one; a colleague whose role reads it can`,
    );
  } else {
    reasons.push(...PURPOSE_CHECKS[req.purpose](req));
  }

  const rejected = req.approvals.find((a) => a.decision === 'rejected');
  if (rejected) reasons.push(`an approver (${ROLE_LABELS[rejected.role]}) rejected the request`);
  if (reasons.length > 0) return { outcome: 'refused', reasons };

  // Approvals: each required role by a different person, none of them the requester.
  const approvers = req.approvals.filter(
    (a) => a.decision === 'approved' && a.staffId !== req.requester.staffId,
  );
  const used = new Set<string>();
  const waitingFor: string[] = [];
  for (const role of rule.approvals) {
    const a = approvers.find((x) => x.role === role && !used.has(x.staffId));
    if (a) used.add(a.staffId);
    else waitingFor.push(ROLE_LABELS[role]);
  }
  if (waitingFor.length > 0) return { outcome: 'needs_approval', waitingFor };
  return { outcome: 'admitted' };
}
