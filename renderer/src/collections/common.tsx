/** Small pieces shared by the standing, bulk-marking, collections and dashboard screens. */
import { Badge } from '@mantine/core';
import { STANDINGS, type Standing } from '../../../shared/catalogue';
import type { Role } from '../../../shared/roles';
import { formatMoney } from '../../../shared/rules';
import { STANDING_REASON_LABELS, TRANSITIONS, type StandingReason } from '../../../shared/standing';
import type { VisibleAccess } from '../../../shared/types';
import { canRead } from '../../../shared/visibility';
import { STANDING_COLORS, STANDING_LABELS } from '../format';

export function isStanding(value: unknown): value is Standing {
  return STANDINGS.some((s) => s === value);
}

/** A standing as a coloured badge; a value that is no standing (e.g. masked) as it is, in grey. */
export function StandingBadge({ standing, size = 'md' }: { standing: string; size?: 'sm' | 'md' }) {
  const known = isStanding(standing);
  return (
    <Badge
      color={known ? STANDING_COLORS[standing] : 'gray'}
      variant="light"
      radius="sm"
      size={size}
    >
      {known ? STANDING_LABELS[standing] : standing}
    </Badge>
  );
}

export function reasonLabel(reason: StandingReason): string {
  return STANDING_REASON_LABELS[reason];
}

/** Integer minor units as money; the bare number when the currency code is unknown. */
export function money(minor: number, currency: string): string {
  try {
    return formatMoney(minor, currency);
  } catch {
    return `${minor} ${currency}`;
  }
}

/** Whether a role may move any account's standing by hand (bulk marking is offered to it). */
export function canMarkStanding(role: Role): boolean {
  return TRANSITIONS.some((t) => !t.viaBatch && t.roles.includes(role));
}

/** Standings a role may move accounts to by hand, from any standing, in workflow order. */
export function manualTargets(role: Role): Standing[] {
  const targets = TRANSITIONS.filter((t) => !t.viaBatch && t.roles.includes(role)).map((t) => t.to);
  return [...new Set(targets)];
}

/** Balances and standing both readable: the dashboard and the batch list are for such roles. */
export function seesBalancesAndStanding(access: VisibleAccess): boolean {
  const balance = access.balanceCents;
  const standing = access.standing;
  return balance !== undefined && standing !== undefined && canRead(balance) && canRead(standing);
}
