import type { Role } from './roles';

/**
 * Four eyes count people, not staff accounts (DESIGN.md section 4). An account another person
 * created, re-roled, reactivated or reset may be that person's puppet: they chose or knew its
 * password at that moment. These are the staff events that put an account in someone's hands.
 */
export const LINEAGE_EVENTS = [
  'created',
  'role_changed',
  'role_granted',
  'reactivated',
  'password_reset',
] as const;
export type LineageEvent = (typeof LINEAGE_EVENTS)[number];

/**
 * How long an account stays unable to approve after anyone created, re-roled, reactivated or
 * reset it (or its privileged role took effect). It is a constant on purpose, not a setting:
 * an administrator acting alone could otherwise shorten it to nothing. Seven days give the
 * other staff a working week to notice an account they do not know in the staff list, or a
 * colleague to notice a reset they did not ask for, before that account can count as a second
 * person.
 */
export const COOLING_PERIOD_DAYS = 7;
export const COOLING_PERIOD_MS = COOLING_PERIOD_DAYS * 24 * 60 * 60 * 1000;

/** Roles that approve disclosures and role grants: granting one needs a second holder's approval. */
export const PRIVILEGED_ROLES: readonly Role[] = ['administrator', 'compliance_officer'];

export function isPrivileged(role: Role): boolean {
  return PRIVILEGED_ROLES.includes(role);
}
