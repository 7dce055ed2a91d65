/**
 * The standing workflow (DESIGN.md section 5): which transitions exist, who may make them, and
 * the reasons staff choose from. main enforces it; the renderer offers only what it allows.
 */
import type { Standing } from './catalogue';
import type { Role } from './roles';

export interface TransitionRule {
  from: Standing;
  to: Standing;
  roles: readonly Role[];
  /** Made only by sending or recalling a collection batch, never by hand. */
  viaBatch?: boolean;
  /** The balance owed must be above zero. */
  needsBalance?: boolean;
}

const BILLING: Role = 'billing_specialist';
const COLLECTIONS: Role = 'collections_agent';

export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'good', to: 'past_due', roles: [BILLING, COLLECTIONS], needsBalance: true },
  { from: 'past_due', to: 'bad_standing', roles: [BILLING, COLLECTIONS], needsBalance: true },
  { from: 'past_due', to: 'good', roles: [BILLING] },
  { from: 'bad_standing', to: 'good', roles: [BILLING] },
  { from: 'bad_standing', to: 'in_collection', roles: [COLLECTIONS], viaBatch: true },
  { from: 'in_collection', to: 'bad_standing', roles: [COLLECTIONS], viaBatch: true },
  { from: 'in_collection', to: 'settled', roles: [BILLING, COLLECTIONS] },
  { from: 'in_collection', to: 'written_off', roles: [BILLING] },
  { from: 'bad_standing', to: 'written_off', roles: [BILLING] },
  { from: 'settled', to: 'good', roles: [BILLING] },
  { from: 'written_off', to: 'good', roles: [BILLING] },
];

export function findTransition(from: Standing, to: Standing): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** The transitions a role may make by hand from a standing (batch ones are excluded). */
export function manualTransitionsFrom(from: Standing, role: Role): Standing[] {
  return TRANSITIONS.filter((t) => t.from === from && !t.viaBatch && t.roles.includes(role)).map(
    (t) => t.to,
  );
}

export const STANDING_LABELS: Record<Standing, string> = {
  good: 'Good',
  past_due: 'Past due',
  bad_standing: 'Bad standing',
  in_collection: 'In collection',
  settled: 'Settled',
  written_off: 'Written off',
};

export const STANDING_REASONS = [
  'missed_payment',
  'partial_payment',
  'returned_payment',
  'broken_promise_to_pay',
  'no_contact',
  'payment_received',
  'settled_by_agency',
  'uncollectible',
  'placed_with_agency',
  'recalled_from_agency',
  'placement_never_sent',
  'other',
] as const;
export type StandingReason = (typeof STANDING_REASONS)[number];

export const STANDING_REASON_LABELS: Record<StandingReason, string> = {
  missed_payment: 'Missed payment',
  partial_payment: 'Partial payment',
  returned_payment: 'Returned payment',
  broken_promise_to_pay: 'Broken promise to pay',
  no_contact: 'Customer cannot be reached',
  payment_received: 'Payment received',
  settled_by_agency: 'Settled through the agency',
  uncollectible: 'Uncollectible',
  placed_with_agency: 'Placed with a collection agency',
  recalled_from_agency: 'Recalled from the agency',
  placement_never_sent: 'Placement never sent: its file was never written, back to bad standing',
  other: 'Other (explain)',
};

/** Reasons only a collection batch records (sent, recalled, or found never sent), never chosen by hand. */
export const BATCH_REASONS: readonly StandingReason[] = [
  'placed_with_agency',
  'recalled_from_agency',
  'placement_never_sent',
];

/**
 * A batch is sent (its file written after its record), recalled from the agency, or never sent:
 * a crash left its record and placements without a placement file, so it never left.
 */
export const BATCH_STATUSES = ['sent', 'recalled', 'never_sent'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  sent: 'Sent',
  recalled: 'Recalled',
  never_sent: 'Never sent',
};

/** Collection holds: an account with any of them is never placed with an agency. */
export const HOLD_KINDS = ['bankruptcy', 'deceased', 'attorney_represented'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];
export const HOLD_LABELS: Record<HoldKind, string> = {
  bankruptcy: 'Bankruptcy',
  deceased: 'Deceased',
  attorney_represented: 'Attorney-represented',
};
export const HOLD_ROLES: readonly Role[] = [BILLING, COLLECTIONS, 'compliance_officer'];
