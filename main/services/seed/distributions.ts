/**
 * What seeded customers look like in aggregate: where they live, when they signed up, how, and
 * how their accounts stand, as fixed weights (fixed, so that a seed means the same data).
 */
import type {
  FraudFlag,
  PAYMENT_BRANDS,
  ProvenanceSource,
  Standing,
} from '../../../shared/catalogue';
import { weighted } from './random';

export const SEED_COUNTRIES = ['US', 'GB', 'CA', 'DE'] as const;
export type SeedCountry = (typeof SEED_COUNTRIES)[number];

/** Seeded customers signed up between these dates (fixed, so that a seed means the same data). */
export const SEED_FIRST_DATE = '2006-01-01';
export const SEED_LAST_DATE = '2025-12-31';

/** The sources of a typical sign-up; imports come from the import command, not from seeding. */
export const SEED_SOURCES = [
  'web_signup',
  'phone',
  'email',
  'in_person',
] as const satisfies readonly ProvenanceSource[];

export const CURRENCY: Record<SeedCountry, string> = {
  US: 'USD',
  GB: 'GBP',
  CA: 'CAD',
  DE: 'EUR',
};
export const countryOf = weighted<SeedCountry>([
  { weight: 55, value: 'US' },
  { weight: 15, value: 'GB' },
  { weight: 15, value: 'CA' },
  { weight: 15, value: 'DE' },
]);
export const sourceOf = weighted<(typeof SEED_SOURCES)[number]>([
  { weight: 55, value: 'web_signup' },
  { weight: 20, value: 'phone' },
  { weight: 10, value: 'email' },
  { weight: 15, value: 'in_person' },
]);
export const standingOf = weighted<Standing>([
  { weight: 88, value: 'good' },
  { weight: 8, value: 'past_due' },
  { weight: 4, value: 'bad_standing' },
]);
export const fraudOf = weighted<FraudFlag>([
  { weight: 980, value: 'none' },
  { weight: 15, value: 'suspected' },
  { weight: 5, value: 'reported' },
]);
export const brandOf = weighted<(typeof PAYMENT_BRANDS)[number]>([
  { weight: 40, value: 'Visa' },
  { weight: 28, value: 'Mastercard' },
  { weight: 10, value: 'American Express' },
  { weight: 5, value: 'Discover' },
  { weight: 1, value: 'Diners Club' },
  { weight: 1, value: 'JCB' },
  { weight: 1, value: 'UnionPay' },
  { weight: 14, value: 'Bank account' },
]);

export const SUPPORT_NOTES = [
  'Asked for paper statements to be stopped.',
  'Called about a duplicate invoice; explained the billing cycle.',
  'Prefers contact by email.',
  'Requested a copy of the privacy policy.',
  'Updated billing address after a move.',
  'Asked how to close the account; decided to stay.',
  'Reported a login problem; password reset sent.',
  'Wants invoices addressed to the company name.',
];
export const FRAUD_NOTES = [
  'Several declined payments from a new device within an hour.',
  'Customer reports a charge they do not recognise.',
  'Address change followed by a payment method change on the same day.',
  'Bank notified us of a disputed payment.',
];
