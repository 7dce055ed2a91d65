/**
 * Realistic fake customers for development, demos and the benchmark. The same seed gives the
 * same customers (whatever the batch size); every value passes the shared field rules. Accounts
 * are written with multi-row inserts, one transaction per batch, and take their account numbers
 * from the same counter as accounts created in the console, so numbers never collide.
 */
import {
  Faker,
  base,
  de,
  en,
  en_CA,
  en_GB,
  en_US,
  generateMersenne53Randomizer,
} from '@faker-js/faker';
import {
  FIELDS,
  type PAYMENT_BRANDS,
  type FieldKey,
  type FraudFlag,
  type ProvenanceSource,
  type Standing,
} from '../../shared/catalogue';
import { searchKey } from '../../shared/search';
import type { FieldValue } from '../../shared/types';
import type { Db } from '../db/handle';
import {
  MAX_BOUND_VALUES,
  loadSeedBatches,
  seedAccountRow,
  type BatchNumbers,
  type PreparedBatch,
} from '../db/stores/accounts/seed-load';
import { IdSource } from '../db/engine/ids';

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

/** One fake customer: every catalogue field except the account number, which is assigned on insert. */
export type SeedAccount = Omit<Record<FieldKey, FieldValue>, 'accountNumber'>;

/**
 * Fakers per country that share one random stream, so one seed fixes every value; plus pools of
 * names, streets, cities and regions drawn from them once. faker's templates and argument checks
 * cost more than the rest of an account together, so accounts are put together from the pools
 * with the same random stream read directly (`random`, uniform in [0, 1)).
 */
export interface AccountFaker {
  readonly faker: Faker;
  readonly byCountry: Readonly<Record<SeedCountry, Faker>>;
  readonly pools: Readonly<Record<SeedCountry, Pools>>;
  readonly random: () => number;
}

interface Pools {
  lastNames: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
  femaleNames: readonly string[];
  maleNames: readonly string[];
  regions: readonly string[];
}

const POOL_SIZES = {
  lastNames: 1500,
  streets: 1000,
  cities: 500,
  femaleNames: 400,
  maleNames: 400,
  regions: 300,
};

export function createAccountFaker(seed: number): AccountFaker {
  const randomizer = generateMersenne53Randomizer(seed);
  const make = (locale: typeof en_US) => new Faker({ locale: [locale, en, base], randomizer });
  const byCountry = { US: make(en_US), GB: make(en_GB), CA: make(en_CA), DE: make(de) };
  const draw = <T>(n: number, fn: () => T): T[] => Array.from({ length: n }, fn);
  const pool = (f: Faker, country: SeedCountry): Pools => ({
    lastNames: draw(POOL_SIZES.lastNames, () => f.person.lastName()),
    streets: draw(POOL_SIZES.streets, () => f.location.street()),
    cities: draw(POOL_SIZES.cities, () => f.location.city()),
    femaleNames: draw(POOL_SIZES.femaleNames, () => f.person.firstName('female')),
    maleNames: draw(POOL_SIZES.maleNames, () => f.person.firstName('male')),
    regions: draw(POOL_SIZES.regions, () =>
      country === 'GB' ? f.location.county() : f.location.state({ abbreviated: country !== 'DE' }),
    ),
  });
  return {
    faker: make(en_US),
    byCountry,
    pools: {
      US: pool(byCountry.US, 'US'),
      GB: pool(byCountry.GB, 'GB'),
      CA: pool(byCountry.CA, 'CA'),
      DE: pool(byCountry.DE, 'DE'),
    },
    random: () => randomizer.next(),
  };
}

type Random = () => number;
type Weighted<T> = { weight: number; value: T };

/** A choice by weight, with the cumulative weights computed once. */
function weighted<T>(table: readonly Weighted<T>[]): (r: Random) => T {
  let total = 0;
  const cumulative = table.map((w) => (total += w.weight));
  return (r) => {
    const x = r() * total;
    for (let i = 0; i < table.length; i++) if (x < cumulative[i]!) return table[i]!.value;
    return table[table.length - 1]!.value;
  };
}

const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const oneOf = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const chance = (r: Random, p: number) => r() < p;

const CURRENCY: Record<SeedCountry, string> = { US: 'USD', GB: 'GBP', CA: 'CAD', DE: 'EUR' };
const country = weighted<SeedCountry>([
  { weight: 55, value: 'US' },
  { weight: 15, value: 'GB' },
  { weight: 15, value: 'CA' },
  { weight: 15, value: 'DE' },
]);
const source = weighted<(typeof SEED_SOURCES)[number]>([
  { weight: 55, value: 'web_signup' },
  { weight: 20, value: 'phone' },
  { weight: 10, value: 'email' },
  { weight: 15, value: 'in_person' },
]);
const standingOf = weighted<Standing>([
  { weight: 88, value: 'good' },
  { weight: 8, value: 'past_due' },
  { weight: 4, value: 'bad_standing' },
]);
const fraudOf = weighted<FraudFlag>([
  { weight: 980, value: 'none' },
  { weight: 15, value: 'suspected' },
  { weight: 5, value: 'reported' },
]);
const brandOf = weighted<(typeof PAYMENT_BRANDS)[number]>([
  { weight: 40, value: 'Visa' },
  { weight: 28, value: 'Mastercard' },
  { weight: 10, value: 'American Express' },
  { weight: 5, value: 'Discover' },
  { weight: 1, value: 'Diners Club' },
  { weight: 1, value: 'JCB' },
  { weight: 1, value: 'UnionPay' },
  { weight: 14, value: 'Bank account' },
]);
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
const GB_AREAS = ['SW', 'SE', 'NW', 'EC', 'WC', 'N', 'E', 'W', 'B', 'M', 'L', 'LS', 'G', 'EH'];
const GB_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CA_FIRST_LETTERS = 'ABCEGHJKLMNPRSTVXY';
const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const NI_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const SUPPORT_NOTES = [
  'Asked for paper statements to be stopped.',
  'Called about a duplicate invoice; explained the billing cycle.',
  'Prefers contact by email.',
  'Requested a copy of the privacy policy.',
  'Updated billing address after a move.',
  'Asked how to close the account; decided to stay.',
  'Reported a login problem; password reset sent.',
  'Wants invoices addressed to the company name.',
];
const FRAUD_NOTES = [
  'Several declined payments from a new device within an hour.',
  'Customer reports a charge they do not recognise.',
  'Address change followed by a payment method change on the same day.',
  'Bank notified us of a disputed payment.',
];

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

function pick(r: Random, alphabet: string): string {
  return alphabet.charAt(Math.floor(r() * alphabet.length));
}

function digits(r: Random, n: number): string {
  return String(int(r, 0, 10 ** n - 1)).padStart(n, '0');
}

function postalCode(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      const zip = String(int(r, 1001, 99950)).padStart(5, '0');
      return chance(r, 0.2) ? `${zip}-${digits(r, 4)}` : zip;
    }
    case 'DE':
      return String(int(r, 1067, 99998)).padStart(5, '0');
    case 'CA':
      return `${pick(r, CA_FIRST_LETTERS)}${digits(r, 1)}${pick(r, CA_LETTERS)} ${digits(r, 1)}${pick(r, CA_LETTERS)}${digits(r, 1)}`;
    case 'GB': {
      const area = oneOf(r, GB_AREAS);
      const district = int(r, 1, area.length === 1 ? 20 : 9);
      return `${area}${district} ${digits(r, 1)}${pick(r, GB_INWARD_LETTERS)}${pick(r, GB_INWARD_LETTERS)}`;
    }
  }
}

/**
 * At most 12 digits: the card number rule refuses any 13-19 digit run that passes Luhn, which a
 * real 13-15 digit international number does one time in ten.
 */
function phone(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US':
    case 'CA': {
      const area = `${int(r, 2, 9)}${digits(r, 2)}`;
      const exchange = `${int(r, 2, 9)}${digits(r, 2)}`;
      const line = digits(r, 4);
      switch (int(r, 0, 3)) {
        case 0:
          return `(${area}) ${exchange}-${line}`;
        case 1:
          return `+1 ${area} ${exchange} ${line}`;
        case 2:
          return `${area}-${exchange}-${line}`;
        default:
          return `${area}.${exchange}.${line}`;
      }
    }
    case 'GB':
      return chance(r, 0.6)
        ? `+44 7${digits(r, 3)} ${digits(r, 6)}`
        : `+44 20 ${digits(r, 4)} ${digits(r, 4)}`;
    case 'DE':
      return chance(r, 0.5) ? `+49 15${digits(r, 1)} ${digits(r, 7)}` : `+49 30 ${digits(r, 8)}`;
  }
}

/** National tax or insurance number in the country's usual shape; never 13+ digits in a row. */
function taxId(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      let area = int(r, 1, 899);
      if (area === 666) area = 665;
      const group = int(r, 1, 99);
      const serial = int(r, 1, 9999);
      return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
    }
    case 'CA':
      return `${int(r, 1, 9)}${digits(r, 2)}-${digits(r, 3)}-${digits(r, 3)}`;
    case 'GB':
      return `${pick(r, NI_FIRST)}${pick(r, NI_SECOND)}${digits(r, 6)}${pick(r, 'ABCD')}`;
    case 'DE':
      return `${int(r, 1, 9)}${digits(r, 10)}`;
  }
}

function streetAddress(r: Random, street: string, country: SeedCountry): string {
  switch (country) {
    case 'DE': {
      const suffix = chance(r, 0.1) ? pick(r, 'abc') : '';
      return `${street} ${int(r, 1, 150)}${suffix}`;
    }
    case 'GB':
      return `${int(r, 1, 200)} ${street}`;
    default:
      return `${int(r, 1, 9999)} ${street}`;
  }
}

function addressLine2(r: Random, country: SeedCountry): string {
  const n = int(r, 1, 40);
  switch (country) {
    case 'GB':
      return `Flat ${n}`;
    case 'DE':
      return `${int(r, 1, 6)}. OG`;
    default:
      switch (int(r, 0, 2)) {
        case 0:
          return `Apt ${n}${pick(r, 'ABCD')}`;
        case 1:
          return `Suite ${n * 10}`;
        default:
          return `Unit ${n}`;
      }
  }
}

/** Letters and digits only, for the local part of an email address (cached per name). */
const emailWords = new Map<string, string>();
function emailWord(text: string): string {
  let word = emailWords.get(text);
  if (word === undefined) {
    word = searchKey(text)
      .replace(/ß/g, 'ss')
      .replace(/[^a-z0-9]/g, '');
    emailWords.set(text, word);
  }
  return word;
}

function email(r: Random, first: string, last: string): string {
  const a = emailWord(first) || 'customer';
  const b = emailWord(last) || 'account';
  let local: string;
  switch (int(r, 0, 4)) {
    case 0:
      local = `${a}.${b}`;
      break;
    case 1:
      local = `${a}${b}`;
      break;
    case 2:
      local = `${a.charAt(0)}${b}`;
      break;
    case 3:
      local = `${a}.${b}${int(r, 1, 99)}`;
      break;
    default:
      local = `${b}.${a}${int(r, 1940, 2006)}`;
  }
  return `${local}@${oneOf(r, EMAIL_DOMAINS)}`;
}

/** One realistic customer: a typical sign-up with contact details, payment method and standing. */
export function fakeAccount(af: AccountFaker): SeedAccount {
  const r = af.random;
  const where = country(r);
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
    provenanceSource: source(r),
    provenanceDate: isoDay(signUpDay),
  };
}

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export { MAX_BOUND_VALUES };
export const DEFAULT_SEED_BATCH = 1000;

/** The customer-supplied fields listed in a seeded account's provenance record. */
const SUPPLIED_FIELDS = FIELDS.filter((f: { system?: boolean }) => !f.system).map(
  (f) => f.key as keyof SeedAccount,
);

export interface SeedOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  /** Called after each written batch with the number of accounts written so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Writes every batch in one transaction (nothing is kept if it fails), and a load larger than
   * the accounts already there builds their plain indexes once at the end instead of row by row
   * (SQLite): the way to fill a large database for the benchmark.
   */
  oneTransaction?: boolean;
}

export interface SeedResult {
  count: number;
  firstAccountNumber: string | null;
  lastAccountNumber: string | null;
  milliseconds: number;
}

/**
 * Writes `count` fake accounts and their provenance records, `batchSize` accounts per
 * transaction (or all in one, with `oneTransaction`). A batch reserves its account numbers from
 * the counter in the transaction that writes it, so accounts created meanwhile in the console
 * keep unique numbers. The next batch is generated while the database writes the current one.
 */
export async function seedAccounts(db: Db, options: SeedOptions): Promise<SeedResult> {
  const { count, seed = 1, batchSize = DEFAULT_SEED_BATCH, onProgress } = options;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('count must be >= 0');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be >= 1');
  }
  const started = performance.now();
  const af = createAccountFaker(seed);
  const ids = new IdSource();
  let first: string | null = null;
  let last: string | null = null;
  let done = 0;

  /** Generates batch after batch while the previous one is written by `write`. */
  const pipeline = async (write: (batch: PreparedBatch) => Promise<BatchNumbers>) => {
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let prepared = 0; prepared < count;) {
        const batch = await prepareBatch(af, ids, Math.min(batchSize, count - prepared));
        prepared += batch.size;
        await writing;
        writing = write(batch).then((numbers) => {
          first ??= numbers.first;
          last = numbers.last;
          done += batch.size;
          onProgress?.(done, count);
        });
        // Awaited above or below; this only keeps Node from reporting the rejection too early.
        writing.catch(() => undefined);
      }
      await writing;
    } finally {
      await writing.catch(() => undefined);
    }
  };

  await loadSeedBatches(db, { count, oneTransaction: options.oneTransaction ?? false }, pipeline);
  return {
    count,
    firstAccountNumber: first,
    lastAccountNumber: last,
    milliseconds: performance.now() - started,
  };
}

/**
 * Generates a batch in slices, giving way between slices: this runs while the database writes
 * the previous batch.
 */
async function prepareBatch(af: AccountFaker, ids: IdSource, n: number): Promise<PreparedBatch> {
  const accountRows: unknown[][] = [];
  const provenanceRows: unknown[][] = [];
  while (accountRows.length < n) {
    const slice = Math.min(n - accountRows.length, 256);
    for (let i = 0; i < slice; i++) {
      const values = fakeAccount(af);
      const id = ids.next();
      accountRows.push(seedAccountRow(id, values));
      provenanceRows.push([
        ids.next(),
        id,
        values.provenanceSource,
        values.provenanceDate,
        suppliedFields(values),
      ]);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { size: n, accountRows, provenanceRows };
}

/** The JSON list of the fields a seeded customer supplied, cached per combination. */
const suppliedJson = new Map<string, string>();
function suppliedFields(values: SeedAccount): string {
  let signature = '';
  for (const k of SUPPLIED_FIELDS) signature += values[k] === null ? '0' : '1';
  let json = suppliedJson.get(signature);
  if (json === undefined) {
    json = JSON.stringify(SUPPLIED_FIELDS.filter((k) => values[k] !== null));
    suppliedJson.set(signature, json);
  }
  return json;
}
