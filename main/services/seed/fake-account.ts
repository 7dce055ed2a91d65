/** One realistic fake customer, put together from the pools and weights with one random stream. */
import type { FieldKey } from '../../../shared/catalogue';
import type { FieldValue } from '../../../shared/types';
import type { AccountFaker } from './account-faker';
import { addressLine2, phone, postalCode, streetAddress, taxId } from './country-formats';
import {
  CURRENCY,
  FRAUD_NOTES,
  SEED_FIRST_DATE,
  SEED_LAST_DATE,
  SUPPORT_NOTES,
  brandOf,
  countryOf,
  fraudOf,
  sourceOf,
  standingOf,
} from './distributions';
import { email } from './email';
import { chance, digits, int, oneOf } from './random';

/** One fake customer: every catalogue field except the account number, which is assigned on insert. */
export type SeedAccount = Omit<Record<FieldKey, FieldValue>, 'accountNumber'>;

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoDays = new Map<number, string>();
const isoDay = (day: number): string => {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
};
const FIRST_DAY = dayNumber(SEED_FIRST_DATE);
const LAST_DAY = dayNumber(SEED_LAST_DATE);
const BIRTH_FIRST_DAY = dayNumber('1940-01-01');
const BIRTH_LAST_DAY = dayNumber('2006-12-31');

/** One realistic customer: a typical sign-up with contact details, payment method and standing. */
export function fakeAccount(af: AccountFaker): SeedAccount {
  const r = af.random;
  const where = countryOf(r);
  const pools = af.pools[where];

  const firstName = oneOf(r, chance(r, 0.5) ? pools.femaleNames : pools.maleNames);
  const lastName = oneOf(r, pools.lastNames);
  const birthDay = int(r, BIRTH_FIRST_DAY, BIRTH_LAST_DAY);
  // Customers sign up as adults, within the seeding window.
  const signUpDay = int(r, Math.min(Math.max(FIRST_DAY, birthDay + 18 * 366), LAST_DAY), LAST_DAY);

  const standing = standingOf(r);
  let balanceCents = 0;
  let lastPaymentDate: string | null = null;
  let daysPastDue = 0;
  if (standing === 'good') {
    if (chance(r, 0.4)) balanceCents = int(r, 100, 50_000);
    if (chance(r, 0.85)) lastPaymentDate = isoDay(int(r, signUpDay, LAST_DAY));
  } else {
    // Accounts behind on payments always owe something.
    balanceCents = standing === 'past_due' ? int(r, 1_000, 200_000) : int(r, 5_000, 500_000);
    const overdue = standing === 'past_due' ? int(r, 31, 90) : int(r, 91, 400);
    daysPastDue = overdue;
    const paidDay = LAST_DAY - overdue;
    if (paidDay >= signUpDay && chance(r, 0.8)) lastPaymentDate = isoDay(paidDay);
  }

  const hasCard = chance(r, 0.75);
  const paymentBrand = hasCard ? brandOf(r) : null;
  const paymentLast4 = hasCard ? digits(r, 4) : null;
  const fraudFlag = fraudOf(r);

  return {
    firstName,
    lastName,
    dateOfBirth: chance(r, 0.9) ? isoDay(birthDay) : null,
    email: chance(r, 0.95) ? email(r, firstName, lastName) : null,
    phone: chance(r, 0.85) ? phone(r, where) : null,
    addressLine1: streetAddress(r, oneOf(r, pools.streets), where),
    addressLine2: chance(r, 0.15) ? addressLine2(r, where) : null,
    city: oneOf(r, pools.cities),
    region: oneOf(r, pools.regions),
    postalCode: postalCode(r, where),
    country: where,
    taxId: chance(r, 0.6) ? taxId(r, where) : null,
    paymentBrand,
    paymentLast4,
    balanceCents,
    currency: CURRENCY[where],
    lastPaymentDate,
    standing,
    daysPastDue,
    supportNotes: chance(r, 0.08) ? oneOf(r, SUPPORT_NOTES) : null,
    fraudFlag,
    fraudNotes: fraudFlag === 'none' ? null : oneOf(r, FRAUD_NOTES),
    provenanceSource: sourceOf(r),
    provenanceDate: isoDay(signUpDay),
  };
}
