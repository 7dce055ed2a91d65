/**
 * Realistic fake customers for development, demos and the benchmark. The same seed gives the
 * same customers (whatever the batch size); every value passes the shared field rules. Accounts
 * are written with multi-row inserts, one transaction per batch, and take their account numbers
 * from the same counter as accounts created in the console, so numbers never collide.
 */
import type { Knex } from 'knex';
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
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
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
import { dbNow, isSqlite, toIso } from '../db/connect';
import { valuesToColumns } from './accounts/columns';
import { MAX_BOUND_VALUES, bulkTable } from './import/bulk';

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
 * last names, streets and cities drawn from them once (faker's templates cost more than the
 * rest of an account together).
 */
export interface AccountFaker {
  readonly faker: Faker;
  readonly byCountry: Readonly<Record<SeedCountry, Faker>>;
  readonly pools: Readonly<Record<SeedCountry, Pools>>;
}

interface Pools {
  lastNames: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
}

const POOL_SIZES = { lastNames: 1500, streets: 1000, cities: 500 };

export function createAccountFaker(seed: number): AccountFaker {
  const randomizer = generateMersenne53Randomizer(seed);
  const make = (locale: typeof en_US) => new Faker({ locale: [locale, en, base], randomizer });
  const byCountry = { US: make(en_US), GB: make(en_GB), CA: make(en_CA), DE: make(de) };
  const pool = (f: Faker): Pools => ({
    lastNames: Array.from({ length: POOL_SIZES.lastNames }, () => f.person.lastName()),
    streets: Array.from({ length: POOL_SIZES.streets }, () => f.location.street()),
    cities: Array.from({ length: POOL_SIZES.cities }, () => f.location.city()),
  });
  return {
    faker: make(en_US),
    byCountry,
    pools: {
      US: pool(byCountry.US),
      GB: pool(byCountry.GB),
      CA: pool(byCountry.CA),
      DE: pool(byCountry.DE),
    },
  };
}

const CURRENCY: Record<SeedCountry, string> = { US: 'USD', GB: 'GBP', CA: 'CAD', DE: 'EUR' };
const COUNTRY_WEIGHTS = [
  { weight: 55, value: 'US' },
  { weight: 15, value: 'GB' },
  { weight: 15, value: 'CA' },
  { weight: 15, value: 'DE' },
] as const satisfies { weight: number; value: SeedCountry }[];
const SOURCE_WEIGHTS = [
  { weight: 55, value: 'web_signup' },
  { weight: 20, value: 'phone' },
  { weight: 10, value: 'email' },
  { weight: 15, value: 'in_person' },
] as const satisfies { weight: number; value: (typeof SEED_SOURCES)[number] }[];
const STANDING_WEIGHTS = [
  { weight: 88, value: 'good' },
  { weight: 8, value: 'past_due' },
  { weight: 4, value: 'bad_standing' },
] as const satisfies { weight: number; value: Standing }[];
const FRAUD_WEIGHTS = [
  { weight: 980, value: 'none' },
  { weight: 15, value: 'suspected' },
  { weight: 5, value: 'reported' },
] as const satisfies { weight: number; value: FraudFlag }[];
const BRAND_WEIGHTS: { weight: number; value: (typeof PAYMENT_BRANDS)[number] }[] = [
  { weight: 40, value: 'Visa' },
  { weight: 28, value: 'Mastercard' },
  { weight: 10, value: 'American Express' },
  { weight: 5, value: 'Discover' },
  { weight: 1, value: 'Diners Club' },
  { weight: 1, value: 'JCB' },
  { weight: 1, value: 'UnionPay' },
  { weight: 14, value: 'Bank account' },
];
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

function pick(f: Faker, alphabet: string): string {
  return alphabet.charAt(f.number.int({ min: 0, max: alphabet.length - 1 }));
}

function digits(f: Faker, n: number): string {
  return String(f.number.int({ min: 0, max: 10 ** n - 1 })).padStart(n, '0');
}

function postalCode(f: Faker, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      const zip = String(f.number.int({ min: 1001, max: 99950 })).padStart(5, '0');
      return f.datatype.boolean(0.2) ? `${zip}-${digits(f, 4)}` : zip;
    }
    case 'DE':
      return String(f.number.int({ min: 1067, max: 99998 })).padStart(5, '0');
    case 'CA':
      return `${pick(f, CA_FIRST_LETTERS)}${digits(f, 1)}${pick(f, CA_LETTERS)} ${digits(f, 1)}${pick(f, CA_LETTERS)}${digits(f, 1)}`;
    case 'GB': {
      const area = f.helpers.arrayElement(GB_AREAS);
      const district = f.number.int({ min: 1, max: area.length === 1 ? 20 : 9 });
      return `${area}${district} ${digits(f, 1)}${pick(f, GB_INWARD_LETTERS)}${pick(f, GB_INWARD_LETTERS)}`;
    }
  }
}

/**
 * At most 12 digits: the card number rule refuses any 13-19 digit run that passes Luhn, which a
 * real 13-15 digit international number does one time in ten.
 */
function phone(f: Faker, country: SeedCountry): string {
  switch (country) {
    case 'US':
    case 'CA': {
      const area = `${f.number.int({ min: 2, max: 9 })}${digits(f, 2)}`;
      const exchange = `${f.number.int({ min: 2, max: 9 })}${digits(f, 2)}`;
      const line = digits(f, 4);
      return f.helpers.arrayElement([
        `(${area}) ${exchange}-${line}`,
        `+1 ${area} ${exchange} ${line}`,
        `${area}-${exchange}-${line}`,
        `${area}.${exchange}.${line}`,
      ]);
    }
    case 'GB':
      return f.datatype.boolean(0.6)
        ? `+44 7${digits(f, 3)} ${digits(f, 6)}`
        : `+44 20 ${digits(f, 4)} ${digits(f, 4)}`;
    case 'DE':
      return f.datatype.boolean(0.5)
        ? `+49 15${digits(f, 1)} ${digits(f, 7)}`
        : `+49 30 ${digits(f, 8)}`;
  }
}

/** National tax or insurance number in the country's usual shape; never 13+ digits in a row. */
function taxId(f: Faker, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      let area = f.number.int({ min: 1, max: 899 });
      if (area === 666) area = 665;
      const group = f.number.int({ min: 1, max: 99 });
      const serial = f.number.int({ min: 1, max: 9999 });
      return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
    }
    case 'CA':
      return `${f.number.int({ min: 1, max: 9 })}${digits(f, 2)}-${digits(f, 3)}-${digits(f, 3)}`;
    case 'GB':
      return `${pick(f, NI_FIRST)}${pick(f, NI_SECOND)}${digits(f, 6)}${pick(f, 'ABCD')}`;
    case 'DE':
      return `${f.number.int({ min: 1, max: 9 })}${digits(f, 10)}`;
  }
}

function streetAddress(f: Faker, street: string, country: SeedCountry): string {
  switch (country) {
    case 'DE': {
      const suffix = f.datatype.boolean(0.1) ? pick(f, 'abc') : '';
      return `${street} ${f.number.int({ min: 1, max: 150 })}${suffix}`;
    }
    case 'GB':
      return `${f.number.int({ min: 1, max: 200 })} ${street}`;
    default:
      return `${f.number.int({ min: 1, max: 9999 })} ${street}`;
  }
}

function region(f: Faker, country: SeedCountry): string {
  if (country === 'GB') return f.location.county();
  return f.location.state({ abbreviated: country !== 'DE' });
}

function addressLine2(f: Faker, country: SeedCountry): string {
  const n = f.number.int({ min: 1, max: 40 });
  switch (country) {
    case 'GB':
      return `Flat ${n}`;
    case 'DE':
      return `${f.number.int({ min: 1, max: 6 })}. OG`;
    default:
      return f.helpers.arrayElement([`Apt ${n}${pick(f, 'ABCD')}`, `Suite ${n * 10}`, `Unit ${n}`]);
  }
}

/** Letters and digits only, for the local part of an email address. */
function emailWord(text: string): string {
  return searchKey(text)
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

function email(f: Faker, first: string, last: string): string {
  const a = emailWord(first) || 'customer';
  const b = emailWord(last) || 'account';
  const local = f.helpers.arrayElement([
    `${a}.${b}`,
    `${a}${b}`,
    `${a.charAt(0)}${b}`,
    `${a}.${b}${f.number.int({ min: 1, max: 99 })}`,
    `${b}.${a}${f.number.int({ min: 1940, max: 2006 })}`,
  ]);
  return `${local}@${f.helpers.arrayElement(EMAIL_DOMAINS)}`;
}

/** A day chosen uniformly between two days (inclusive), as an ISO date. */
function dayBetween(f: Faker, from: number, to: number): string {
  return isoDay(f.number.int({ min: from, max: Math.max(from, to) }));
}

/** One realistic customer: a typical sign-up with contact details, payment method and standing. */
export function fakeAccount(af: AccountFaker): SeedAccount {
  const f = af.faker;
  const country = f.helpers.weightedArrayElement(COUNTRY_WEIGHTS);
  const local = af.byCountry[country];
  const pools = af.pools[country];

  const sex = f.helpers.arrayElement(['female', 'male'] as const);
  const firstName = local.person.firstName(sex);
  const lastName = f.helpers.arrayElement(pools.lastNames);
  const birthDay = f.number.int({ min: BIRTH_FIRST_DAY, max: BIRTH_LAST_DAY });
  // Customers sign up as adults, within the seeding window.
  const signUpDay = f.number.int({
    min: Math.min(Math.max(FIRST_DAY, birthDay + 18 * 366), LAST_DAY),
    max: LAST_DAY,
  });

  const standing = f.helpers.weightedArrayElement(STANDING_WEIGHTS);
  let balanceCents = 0;
  let lastPaymentDate: string | null = null;
  let daysPastDue = 0;
  if (standing === 'good') {
    if (f.datatype.boolean(0.4)) balanceCents = f.number.int({ min: 100, max: 50_000 });
    if (f.datatype.boolean(0.85)) lastPaymentDate = dayBetween(f, signUpDay, LAST_DAY);
  } else {
    // Accounts behind on payments always owe something.
    balanceCents =
      standing === 'past_due'
        ? f.number.int({ min: 1_000, max: 200_000 })
        : f.number.int({ min: 5_000, max: 500_000 });
    const behind = standing === 'past_due' ? [31, 90] : [91, 400];
    const overdue = f.number.int({ min: behind[0]!, max: behind[1]! });
    const paidDay = LAST_DAY - overdue;
    daysPastDue = overdue;
    if (paidDay >= signUpDay && f.datatype.boolean(0.8)) lastPaymentDate = isoDay(paidDay);
  }

  const hasCard = f.datatype.boolean(0.75);
  const paymentBrand = hasCard ? f.helpers.weightedArrayElement(BRAND_WEIGHTS) : null;
  const paymentLast4 = hasCard ? digits(f, 4) : null;

  const fraudFlag = f.helpers.weightedArrayElement(FRAUD_WEIGHTS);

  return {
    firstName,
    lastName,
    dateOfBirth: f.datatype.boolean(0.9) ? isoDay(birthDay) : null,
    email: f.datatype.boolean(0.95) ? email(f, firstName, lastName) : null,
    phone: f.datatype.boolean(0.85) ? phone(f, country) : null,
    addressLine1: streetAddress(f, f.helpers.arrayElement(pools.streets), country),
    addressLine2: f.datatype.boolean(0.15) ? addressLine2(f, country) : null,
    city: f.helpers.arrayElement(pools.cities),
    region: region(local, country),
    postalCode: postalCode(f, country),
    country,
    taxId: f.datatype.boolean(0.6) ? taxId(f, country) : null,
    paymentBrand,
    paymentLast4,
    balanceCents,
    currency: CURRENCY[country],
    lastPaymentDate,
    standing,
    daysPastDue,
    supportNotes: f.datatype.boolean(0.08) ? f.helpers.arrayElement(SUPPORT_NOTES) : null,
    fraudFlag,
    fraudNotes: fraudFlag === 'none' ? null : f.helpers.arrayElement(FRAUD_NOTES),
    provenanceSource: f.helpers.weightedArrayElement(SOURCE_WEIGHTS),
    provenanceDate: isoDay(signUpDay),
  };
}

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export { MAX_BOUND_VALUES };
export const DEFAULT_SEED_BATCH = 1000;
/** SQLite page cache while seeding, in KiB (a negative cache_size means KiB). */
const SEED_CACHE_KIB = 256 * 1024;
const ACCOUNT_NUMBER_BASE = 1_000_000;

const PROVENANCE_COLUMNS = [
  'id',
  'account_id',
  'event',
  'source',
  'source_date',
  'fields',
  'staff_id',
  'recorded_at',
] as const;

/** The fields that feed the derived search keys (valuesToColumns computes those keys). */
const KEYED_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const satisfies FieldKey[];

/** Search-key columns that valuesToColumns derives from the keyed fields. */
const DERIVED_COLUMNS: readonly string[] = (() => {
  const sample = Object.fromEntries(KEYED_FIELDS.map((k) => [k, 'x'])) as Record<
    FieldKey,
    FieldValue
  >;
  const fieldColumns = new Set<string>(FIELDS.map((f) => f.column));
  return Object.keys(valuesToColumns(sample, sample)).filter((c) => !fieldColumns.has(c));
})();

const ACCOUNT_COLUMNS: readonly string[] = [
  'id',
  ...FIELDS.map((f) => f.column),
  ...DERIVED_COLUMNS,
  'created_at',
  'updated_at',
  'updated_by',
  'version',
];
const column = (name: string) => ACCOUNT_COLUMNS.indexOf(name);
const ID_AT = column('id');
const NUMBER_AT = column('account_number');
const CREATED_AT = column('created_at');
const UPDATED_AT = column('updated_at');
const VERSION_AT = column('version');
/** [row index, field] for every catalogue field but the account number (set when written). */
const FIELD_SLOTS = FIELDS.filter((f) => f.key !== 'accountNumber').map(
  (f) => [column(f.column), f.key as Exclude<FieldKey, 'accountNumber'>] as const,
);
const DERIVED_SLOTS = DERIVED_COLUMNS.map((c) => [column(c), c] as const);

/** One account as a row of ACCOUNT_COLUMNS, but for its account number and times. */
function accountRow(id: string, values: SeedAccount): unknown[] {
  const row: unknown[] = new Array<unknown>(ACCOUNT_COLUMNS.length).fill(null);
  row[ID_AT] = id;
  row[VERSION_AT] = 1;
  for (const [at, key] of FIELD_SLOTS) row[at] = values[key];
  const keyed = {
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email,
    phone: values.phone,
  };
  const derived = valuesToColumns(keyed, values as Record<FieldKey, FieldValue>);
  for (const [at, name] of DERIVED_SLOTS) row[at] = derived[name] ?? null;
  return row;
}

/** The customer-supplied fields listed in a seeded account's provenance record. */
const SUPPLIED_FIELDS = FIELDS.filter((f: { system?: boolean }) => !f.system).map(
  (f) => f.key as keyof SeedAccount,
);

export interface SeedOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  /** Called after each committed batch with the number of accounts written so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  count: number;
  firstAccountNumber: string | null;
  lastAccountNumber: string | null;
  milliseconds: number;
}

/**
 * Writes `count` fake accounts and their provenance records, `batchSize` accounts per
 * transaction. A batch reserves its account numbers from the counter in its own transaction,
 * so accounts created meanwhile in the console keep unique numbers. The next batch is generated
 * while the database writes the current one.
 */
export async function seedAccounts(db: Knex, options: SeedOptions): Promise<SeedResult> {
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
  let writing: Promise<void> = Promise.resolve();

  const restoreCache = await enlargeSqliteCache(db);
  try {
    for (let prepared = 0; prepared < count;) {
      const batch = await prepareBatch(af, ids, Math.min(batchSize, count - prepared));
      prepared += batch.size;
      await writing;
      writing = writeBatch(db, batch).then((numbers) => {
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
    await restoreCache();
  }
  return {
    count,
    firstAccountNumber: first,
    lastAccountNumber: last,
    milliseconds: performance.now() - started,
  };
}

/**
 * Inserts land at random places in the name, email and phone indexes: with SQLite's default
 * 2 MB page cache a large seed would re-read index pages from disk for every batch. The larger
 * cache is for this connection and only while seeding.
 */
async function enlargeSqliteCache(db: Knex): Promise<() => Promise<void>> {
  if (!isSqlite(db)) return async () => undefined;
  const rows = (await db.raw('PRAGMA cache_size')) as { cache_size: number }[];
  const before = Number(rows[0]?.cache_size);
  if (!Number.isSafeInteger(before)) return async () => undefined;
  await db.raw(`PRAGMA cache_size = -${SEED_CACHE_KIB}`);
  return async () => {
    await db.raw(`PRAGMA cache_size = ${before}`);
  };
}

/** UUIDv7 ids with their random bits drawn from a pooled buffer (one system call per 1024 ids). */
class IdSource {
  private pool = new Uint8Array(16 * 1024);
  private offset = this.pool.length;

  next(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const random = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return uuidv7({ random });
  }
}

/** A batch's rows, complete but for the account numbers and times set when it is written. */
interface PreparedBatch {
  size: number;
  accountRows: unknown[][];
  provenanceRows: unknown[][];
}

const RECORDED_AT = PROVENANCE_COLUMNS.indexOf('recorded_at');

/**
 * Generates a batch in slices, giving way between slices: this runs while the database writes
 * the previous batch.
 */
async function prepareBatch(af: AccountFaker, ids: IdSource, n: number): Promise<PreparedBatch> {
  const accountRows: unknown[][] = [];
  const provenanceRows: unknown[][] = [];
  while (accountRows.length < n) {
    const slice = Math.min(n - accountRows.length, 50);
    for (let i = 0; i < slice; i++) {
      const values = fakeAccount(af);
      const id = ids.next();
      accountRows.push(accountRow(id, values));
      provenanceRows.push([
        ids.next(),
        id,
        'created',
        values.provenanceSource,
        values.provenanceDate,
        JSON.stringify(SUPPLIED_FIELDS.filter((k) => values[k] !== null)),
        null,
        null,
      ]);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { size: n, accountRows, provenanceRows };
}

async function writeBatch(
  db: Knex,
  batch: PreparedBatch,
): Promise<{ first: string; last: string }> {
  return db.transaction(async (trx) => {
    const end = await reserveAccountNumbers(trx, batch.size);
    const firstNumber = ACCOUNT_NUMBER_BASE + end - batch.size + 1;
    const now = await databaseTime(trx);
    batch.accountRows.forEach((row, i) => {
      row[NUMBER_AT] = `C-${firstNumber + i}`;
      row[CREATED_AT] = now;
      row[UPDATED_AT] = now;
    });
    for (const row of batch.provenanceRows) row[RECORDED_AT] = now;
    const accounts = await bulkTable(trx, 'accounts', ACCOUNT_COLUMNS);
    const provenance = await bulkTable(trx, 'account_provenance', PROVENANCE_COLUMNS);
    try {
      await accounts.write(batch.accountRows);
      await provenance.write(batch.provenanceRows);
    } finally {
      await accounts.close();
      await provenance.close();
    }
    return { first: `C-${firstNumber}`, last: `C-${firstNumber + batch.size - 1}` };
  });
}

/** Advances the account number counter by n; returns its new value (the last number reserved). */
async function reserveAccountNumbers(trx: Knex.Transaction, n: number): Promise<number> {
  const rows = (await trx('counters')
    .where({ name: 'account_number' })
    .increment('value', n)
    .returning('value')) as { value: number | string }[];
  const value = Number(rows[0]?.value);
  if (!Number.isSafeInteger(value)) throw new Error('account number counter missing');
  return value;
}

async function databaseTime(trx: Knex.Transaction): Promise<string> {
  const row = (await trx.first({ now: dbNow(trx) })) as { now: unknown } | undefined;
  return toIso(row?.now);
}
