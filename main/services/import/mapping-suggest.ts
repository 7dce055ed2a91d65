/**
 * Suggests what each column of a file becomes, from its header name (the field key itself, or
 * a common name for the field in other systems' exports) and, for a header it does not know,
 * from a sample of the column's values. The user confirms or edits the suggestion.
 */
import type { FieldKey } from '../../../shared/catalogue';
import {
  FULL_NAME,
  IMPORTABLE_DATE_KEYS,
  IMPORTABLE_FIELD_KEYS,
  type ColumnTarget,
  type ImportColumnSuggestion,
} from '../../../shared/import';
import { ACCOUNT_NUMBER_SHAPE } from './rules';
import { shownHeader } from './mapping';
import { suggestDateOrder } from './dates';

const DATE_KEYS = new Set<string>(IMPORTABLE_DATE_KEYS);

/** A header as compared: lower case, accents and everything but letters and digits removed. */
export function normaliseHeader(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Names other systems give these fields, normalised. An amount column is only ever suggested
 * for the balance when its name says cents: "Balance" in a spreadsheet is usually in the major
 * unit, and reading 12.34 as 1234 cents would be wrong by a factor of a hundred.
 */
const NAMES: Partial<Record<FieldKey | typeof FULL_NAME, readonly string[]>> = {
  accountNumber: ['accountno', 'accountnum', 'account', 'acct', 'acctno', 'acctnumber'],
  firstName: ['first', 'fname', 'givenname', 'given', 'givennames', 'forename', 'forenames'],
  lastName: ['last', 'lname', 'surname', 'familyname', 'family'],
  [FULL_NAME]: ['name', 'fullname', 'customername', 'contactname', 'clientname', 'customer'],
  dateOfBirth: ['dob', 'birthdate', 'birthday', 'born'],
  email: ['emailaddress', 'mail', 'emailid', 'mailaddress'],
  phone: [
    'phonenumber',
    'telephone',
    'tel',
    'telno',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'contactnumber',
  ],
  addressLine1: ['address', 'address1', 'addr1', 'street', 'streetaddress', 'addressline'],
  addressLine2: ['address2', 'addr2', 'apt', 'suite', 'apartment'],
  city: ['town', 'locality'],
  region: ['state', 'province', 'county', 'stateprovince', 'stateregion'],
  postalCode: ['zip', 'zipcode', 'postcode', 'postal', 'zippostalcode', 'postalzip'],
  country: ['countrycode', 'nation'],
  taxId: ['ssn', 'tin', 'taxnumber', 'nationalid'],
  paymentBrand: ['cardbrand', 'cardtype'],
  paymentLast4: ['last4', 'cardlast4', 'cardlastfour'],
  balanceCents: ['balanceincents'],
  currency: ['currencycode', 'ccy'],
  lastPaymentDate: ['lastpayment', 'lastpaid', 'lastpaymentdt'],
  standing: ['accountstanding'],
  daysPastDue: ['dayslate', 'daysoverdue'],
  supportNotes: ['notes', 'note', 'comments', 'comment'],
};

const BY_NAME = new Map<string, Exclude<ColumnTarget, null>>();
for (const key of IMPORTABLE_FIELD_KEYS) BY_NAME.set(normaliseHeader(key), key);
for (const [target, names] of Object.entries(NAMES)) {
  for (const n of names) BY_NAME.set(n, target as Exclude<ColumnTarget, null>);
}

/**
 * A header that says nothing of its column ("", "Column 3", "Field B"): only such a column is
 * read by its values, so that a named column ("Fax", "Work phone") is never taken for a field
 * because its values look like one.
 */
const SAYS_NOTHING = /^(col|column|field|f)?[0-9]*[a-z]?$/;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/** A field every sampled value of a column looks like (null: none, or no value to look at). */
function fromValues(values: readonly string[]): FieldKey | null {
  const seen = values.map((v) => v.trim()).filter((v) => v !== '');
  if (seen.length === 0) return null;
  if (seen.every((v) => EMAIL.test(v))) return 'email';
  if (seen.every((v) => ACCOUNT_NUMBER_SHAPE.test(v.toUpperCase()))) return 'accountNumber';
  if (seen.every((v) => PHONE.test(v) && v.replace(/\D/g, '').length >= 7)) return 'phone';
  return null;
}

/** The fields a target fills. */
const fills = (t: ColumnTarget): string[] =>
  t === null ? [] : t === FULL_NAME ? ['firstName', 'lastName'] : [t];

/**
 * A target for each column: by header name first (explicit first and last names before a
 * whole-name column), then by values for the columns whose name says nothing. A target already
 * taken by an earlier column is not suggested twice: the later column is marked a duplicate.
 */
export function suggestMapping(
  header: readonly string[],
  sample: readonly (readonly string[])[],
): ImportColumnSuggestion[] {
  const out: ImportColumnSuggestion[] = header.map((name, i) => ({
    column: i + 1,
    header: shownHeader(name, i + 1),
    target: null,
    reason: 'unknown',
  }));
  const taken = new Set<string>();
  const take = (i: number, target: ColumnTarget, reason: ImportColumnSuggestion['reason']) => {
    if (fills(target).some((f) => taken.has(f))) {
      out[i]!.reason = 'duplicate';
      return;
    }
    for (const f of fills(target)) taken.add(f);
    out[i] = { ...out[i]!, target, reason };
  };
  const named = header.map((name) => BY_NAME.get(normaliseHeader(name)) ?? null);
  named.forEach((t, i) => {
    if (t !== null && t !== FULL_NAME)
      take(i, t, header[i]!.trim() === t ? 'field key' : 'header name');
  });
  named.forEach((t, i) => {
    if (t === FULL_NAME) take(i, t, 'header name');
  });
  named.forEach((t, i) => {
    if (t !== null || !SAYS_NOTHING.test(normaliseHeader(header[i]!))) return;
    const guess = fromValues(sample.map((row) => row[i] ?? ''));
    if (guess !== null && !taken.has(guess)) take(i, guess, 'values');
  });
  // How a date column writes its dates, for a column suggested as a date field or left for the
  // user to choose (who may choose a date field for it).
  out.forEach((c, i) => {
    if (c.target !== null && !DATE_KEYS.has(c.target)) return;
    const date = suggestDateOrder(sample.map((row) => row[i] ?? ''));
    if (date) c.date = date;
  });
  return out;
}
