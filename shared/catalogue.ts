/**
 * The customer field catalogue: every field of a customer account, its category and how it is
 * stored, shown, masked, sorted and searched. Field visibility, the accounts service, the UI and
 * the leak tests all enumerate this list, so a new field is covered everywhere by adding it here.
 */

export const FIELD_CATEGORIES = [
  'identity',
  'contact',
  'sensitive_identifier',
  'payment',
  'balance',
  'standing',
  'support_notes',
  'fraud',
  'provenance',
] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

export const STANDINGS = [
  'good',
  'past_due',
  'bad_standing',
  'in_collection',
  'settled',
  'written_off',
] as const;
export type Standing = (typeof STANDINGS)[number];

export const FRAUD_FLAGS = ['none', 'suspected', 'reported'] as const;
export type FraudFlag = (typeof FRAUD_FLAGS)[number];

/** P1: where the customer supplied the information. There is deliberately no "other". */
export const PROVENANCE_SOURCES = ['web_signup', 'phone', 'email', 'in_person', 'import'] as const;
export type ProvenanceSource = (typeof PROVENANCE_SOURCES)[number];

export const PROVENANCE_LABELS: Record<ProvenanceSource, string> = {
  web_signup: 'Web sign-up',
  phone: 'Phone call',
  email: 'Email',
  in_person: 'In person',
  import: 'Import',
};

export const PAYMENT_BRANDS = [
  'Visa',
  'Mastercard',
  'American Express',
  'Discover',
  'Diners Club',
  'JCB',
  'UnionPay',
  'Bank account',
] as const;

export type FieldType =
  'text' | 'longtext' | 'date' | 'money' | 'integer' | 'currency' | 'enum' | 'country';
export type MaskKind =
  | 'initial'
  | 'email'
  | 'phone'
  | 'year'
  | 'last4'
  | 'card_last4'
  | 'postal'
  | 'amount'
  | 'redacted';

export interface FieldDef<K extends string = string> {
  key: K;
  label: string;
  category: FieldCategory;
  column: string;
  type: FieldType;
  mask: MaskKind;
  maxLength?: number;
  options?: readonly string[];
  /** Set by the system, never typed by staff (e.g. the account number). */
  system?: boolean;
  /** Required when an account is created. */
  required?: boolean;
  /** The sort key this field offers in the accounts list, if any. */
  sortable?: boolean;
}

const FIELD_LIST = [
  {
    key: 'accountNumber',
    label: 'Account number',
    category: 'identity',
    column: 'account_number',
    type: 'text',
    mask: 'redacted',
    system: true,
    sortable: true,
  },
  {
    key: 'firstName',
    label: 'First name',
    category: 'identity',
    column: 'first_name',
    type: 'text',
    mask: 'initial',
    maxLength: 100,
    required: true,
  },
  {
    key: 'lastName',
    label: 'Last name',
    category: 'identity',
    column: 'last_name',
    type: 'text',
    mask: 'initial',
    maxLength: 100,
    required: true,
    sortable: true,
  },
  {
    key: 'dateOfBirth',
    label: 'Date of birth',
    category: 'identity',
    column: 'date_of_birth',
    type: 'date',
    mask: 'year',
  },
  {
    key: 'email',
    label: 'Email',
    category: 'contact',
    column: 'email',
    type: 'text',
    mask: 'email',
    maxLength: 254,
    sortable: true,
  },
  {
    key: 'phone',
    label: 'Phone',
    category: 'contact',
    column: 'phone',
    type: 'text',
    mask: 'phone',
    maxLength: 32,
  },
  {
    key: 'addressLine1',
    label: 'Address line 1',
    category: 'contact',
    column: 'address_line1',
    type: 'text',
    mask: 'redacted',
    maxLength: 200,
  },
  {
    key: 'addressLine2',
    label: 'Address line 2',
    category: 'contact',
    column: 'address_line2',
    type: 'text',
    mask: 'redacted',
    maxLength: 200,
  },
  {
    key: 'city',
    label: 'City',
    category: 'contact',
    column: 'city',
    type: 'text',
    mask: 'redacted',
    maxLength: 100,
  },
  {
    key: 'region',
    label: 'State / region',
    category: 'contact',
    column: 'region',
    type: 'text',
    mask: 'redacted',
    maxLength: 100,
  },
  {
    key: 'postalCode',
    label: 'Postal code',
    category: 'contact',
    column: 'postal_code',
    type: 'text',
    mask: 'postal',
    maxLength: 10,
  },
  {
    key: 'country',
    label: 'Country',
    category: 'contact',
    column: 'country',
    type: 'country',
    mask: 'redacted',
  },
  {
    key: 'taxId',
    label: 'Tax id',
    category: 'sensitive_identifier',
    column: 'tax_id',
    type: 'text',
    mask: 'last4',
    maxLength: 20,
  },
  {
    key: 'paymentBrand',
    label: 'Payment brand',
    category: 'payment',
    column: 'payment_brand',
    type: 'enum',
    options: PAYMENT_BRANDS,
    mask: 'redacted',
  },
  {
    key: 'paymentLast4',
    label: 'Payment last 4',
    category: 'payment',
    column: 'payment_last4',
    type: 'text',
    mask: 'card_last4',
    maxLength: 4,
  },
  {
    key: 'balanceCents',
    label: 'Balance',
    category: 'balance',
    column: 'balance_cents',
    type: 'money',
    mask: 'amount',
    sortable: true,
  },
  {
    key: 'currency',
    label: 'Currency',
    category: 'balance',
    column: 'currency',
    type: 'currency',
    mask: 'redacted',
  },
  {
    key: 'lastPaymentDate',
    label: 'Last payment',
    category: 'balance',
    column: 'last_payment_date',
    type: 'date',
    mask: 'year',
  },
  {
    key: 'standing',
    label: 'Standing',
    category: 'standing',
    column: 'standing',
    type: 'enum',
    options: STANDINGS,
    mask: 'redacted',
    sortable: true,
    // Changed only through the standing workflow, never by editing the account.
    system: true,
  },
  {
    key: 'daysPastDue',
    label: 'Days past due',
    category: 'standing',
    column: 'days_past_due',
    type: 'integer',
    mask: 'redacted',
    system: true,
  },
  {
    key: 'supportNotes',
    label: 'Support notes',
    category: 'support_notes',
    column: 'support_notes',
    type: 'longtext',
    mask: 'redacted',
    maxLength: 4000,
  },
  {
    key: 'fraudFlag',
    label: 'Fraud flag',
    category: 'fraud',
    column: 'fraud_flag',
    type: 'enum',
    options: FRAUD_FLAGS,
    mask: 'redacted',
  },
  {
    key: 'fraudNotes',
    label: 'Fraud notes',
    category: 'fraud',
    column: 'fraud_notes',
    type: 'longtext',
    mask: 'redacted',
    maxLength: 4000,
  },
  {
    key: 'provenanceSource',
    label: 'Source',
    category: 'provenance',
    column: 'provenance_source',
    type: 'enum',
    options: PROVENANCE_SOURCES,
    mask: 'redacted',
    system: true,
  },
  {
    key: 'provenanceDate',
    label: 'Supplied on',
    category: 'provenance',
    column: 'provenance_date',
    type: 'date',
    mask: 'year',
    system: true,
  },
] as const satisfies readonly FieldDef[];

export type FieldKey = (typeof FIELD_LIST)[number]['key'];
/** Every customer field, in display order. */
export const FIELDS: readonly FieldDef<FieldKey>[] = FIELD_LIST;
export const FIELD_KEYS: readonly FieldKey[] = FIELDS.map((f) => f.key);
export const FIELD_BY_KEY: Readonly<Record<FieldKey, FieldDef<FieldKey>>> = Object.fromEntries(
  FIELDS.map((f) => [f.key, f]),
) as Record<FieldKey, FieldDef<FieldKey>>;

export function isFieldKey(key: string): key is FieldKey {
  return Object.hasOwn(FIELD_BY_KEY, key);
}

/** Fields that staff may type into (not system-set). */
export const EDITABLE_FIELD_KEYS: readonly FieldKey[] = FIELDS.filter((f) => !f.system).map(
  (f) => f.key,
);

/**
 * Sort keys of the accounts list; `name` sorts by last then first name. `match` puts search
 * results in the order of the text that matched (a last or a first name, an email address, the
 * start or the end of a phone number): what the search's index gives in order, so that a page of
 * results never waits for every match to be sorted. Without a search it is `name`.
 */
export const SORT_KEYS = [
  'match',
  'name',
  'accountNumber',
  'email',
  'balanceCents',
  'standing',
  'createdAt',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Which customer fields a sort key reveals the order of: a caller must be able to read them. */
export const SORT_KEY_FIELDS: Record<SortKey, readonly FieldKey[]> = {
  // Reveals only the order of what the search matched, which the search itself requires.
  match: [],
  name: ['lastName', 'firstName'],
  accountNumber: ['accountNumber'],
  email: ['email'],
  balanceCents: ['balanceCents'],
  standing: ['standing'],
  createdAt: [],
};

/** How a search text is matched, and which field each kind of match reveals. */
export const SEARCH_KINDS = [
  'accountNumber',
  'name',
  'email',
  'emailDomain',
  'phone',
  'digits',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
/**
 * The fields a kind of search reads. A caller must be able to read all of them, except for
 * `digits` (bare digits: the start of an account number, or phone digits), which searches
 * whichever of its fields the caller may read and is refused only when it may read neither.
 */
export const SEARCH_KIND_FIELDS: Record<SearchKind, readonly FieldKey[]> = {
  accountNumber: ['accountNumber'],
  name: ['lastName', 'firstName'],
  email: ['email'],
  emailDomain: ['email'],
  phone: ['phone'],
  digits: ['accountNumber', 'phone'],
};
