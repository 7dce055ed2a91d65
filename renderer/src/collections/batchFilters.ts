/** The batch filters as typed, and their reading into what main is asked. */
import type { Input } from '../../../shared/contract';
import { parseMoney } from '../../../shared/rules';

export const FILTER_FIELDS = [
  'agencyId',
  'currency',
  'minBalanceCents',
  'minDaysPastDue',
  'region',
  'format',
  'fileName',
] as const;

export interface TypedFilters {
  agencyId: string | null;
  currency: string;
  minBalance: string;
  minDays: number | string;
  region: string;
}

export type Filters = Input<'batches.preview'>;

export function initialFilters(agencyIds: readonly string[]): TypedFilters {
  return {
    agencyId: agencyIds.length === 1 ? agencyIds[0]! : null,
    currency: 'USD',
    minBalance: '',
    minDays: '',
    region: '',
  };
}

/** The filters as main takes them, or the inline errors of those that are not valid. */
export function readFilters(
  t: TypedFilters,
): { filters: Filters; problems: null } | { filters: null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!t.agencyId) problems.agencyId = 'Choose the agency.';
  const code = t.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) problems.currency = 'A three-letter currency code.';
  let minBalanceCents: number | undefined;
  if (t.minBalance.trim() && !problems.currency) {
    const parsed = parseMoney(t.minBalance.trim(), code);
    if (parsed === null) problems.minBalanceCents = 'An amount such as 100.00.';
    else minBalanceCents = parsed;
  }
  if (!t.agencyId || Object.keys(problems).length > 0) return { filters: null, problems };
  return {
    filters: {
      agencyId: t.agencyId,
      currency: code,
      ...(minBalanceCents !== undefined ? { minBalanceCents } : {}),
      ...(typeof t.minDays === 'number' ? { minDaysPastDue: t.minDays } : {}),
      ...(t.region.trim() ? { region: t.region.trim() } : {}),
    },
    problems: null,
  };
}

/** A file name stem from the agency's name: "placement-acme-collections". */
export function placementStem(agencyName: string | undefined): string {
  const slug = (agencyName ?? 'agency')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `placement-${slug}`;
}
