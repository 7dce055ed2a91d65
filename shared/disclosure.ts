/**
 * Disclosures: everything that leaves for a third party (DESIGN.md section 4, policy P2, P5, P7).
 * The purposes, recipient types and field sets here are the vocabulary of the disclosure gate.
 */
import type { FieldKey } from './catalogue';

export const RECIPIENT_TYPES = [
  'collection_agency',
  'financial_institution',
  'government_agency',
  'court_or_person',
  'acquirer',
] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const RECIPIENT_TYPE_LABELS: Record<RecipientType, string> = {
  collection_agency: 'Collection agency',
  financial_institution: 'Financial institution',
  government_agency: 'Government agency',
  court_or_person: 'Court or person under legal process',
  acquirer: 'Acquirer',
};

export const PURPOSES = [
  'debt_collection',
  'fraud_prevention',
  'legal_process',
  'exigent_circumstances',
  'business_transfer',
] as const;
export type Purpose = (typeof PURPOSES)[number];
/** Internal exports by staff are logged like disclosures under this purpose. */
export type LoggedPurpose = Purpose | 'internal';

export const PURPOSE_LABELS: Record<LoggedPurpose, string> = {
  debt_collection: 'Debt collection',
  fraud_prevention: 'Fraud prevention',
  legal_process: 'Legal process',
  exigent_circumstances: 'Exigent circumstances',
  business_transfer: 'Business transfer',
  internal: 'Internal use',
};

/** The policy clause each purpose rests on, written into every disclosure record. */
export const LEGAL_BASIS: Record<LoggedPurpose, string> = {
  debt_collection:
    'Privacy policy: PII shared for debt collection when the account is not in good standing.',
  fraud_prevention:
    'Privacy policy: PII shared with financial institutions or US government agencies where identity theft or fraud is suspected.',
  legal_process:
    'Privacy policy: release upon search warrant, court order, subpoena or other legally binding means.',
  exigent_circumstances:
    'Privacy policy: access under exigent circumstances to protect personal safety or the integrity of systems.',
  business_transfer:
    'Privacy policy: customer information transferred as a business asset to an acquirer.',
  internal: 'Internal use by authorised staff; not a disclosure to a third party.',
};

export const INSTRUMENT_TYPES = [
  'search_warrant',
  'court_order',
  'subpoena',
  'other_legally_binding',
] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];
export const INSTRUMENT_LABELS: Record<InstrumentType, string> = {
  search_warrant: 'Search warrant',
  court_order: 'Court order',
  subpoena: 'Subpoena',
  other_legally_binding: 'Other legally binding means',
};

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/**
 * Formats of a file the export folder may hold: the data formats, and PDF for documents made for
 * a person to read (a customer's accounting of disclosures, a batch's placement summary).
 */
export type FileFormat = ExportFormat | 'pdf';

/** What agencies expect in a placement file (DESIGN.md section 5); nothing else may go to them. */
export const COLLECTION_FIELDS: readonly FieldKey[] = [
  'accountNumber',
  'firstName',
  'lastName',
  'dateOfBirth',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
  'phone',
  'email',
  'balanceCents',
  'currency',
  'lastPaymentDate',
];

const IDENTITY_AND_CONTACT: readonly FieldKey[] = [
  'accountNumber',
  'firstName',
  'lastName',
  'dateOfBirth',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
  'phone',
  'email',
];

/** The field set each purpose proposes; staff may narrow it (and widen it only within the rules). */
export const DEFAULT_FIELDS: Record<LoggedPurpose, readonly FieldKey[]> = {
  debt_collection: COLLECTION_FIELDS,
  fraud_prevention: [...IDENTITY_AND_CONTACT, 'fraudFlag', 'fraudNotes'],
  legal_process: IDENTITY_AND_CONTACT,
  exigent_circumstances: [
    'accountNumber',
    'firstName',
    'lastName',
    'phone',
    'email',
    'addressLine1',
    'city',
    'region',
    'postalCode',
    'country',
  ],
  business_transfer: [...IDENTITY_AND_CONTACT, 'balanceCents', 'currency', 'standing'],
  internal: [
    'accountNumber',
    'firstName',
    'lastName',
    'email',
    'phone',
    'city',
    'standing',
    'balanceCents',
    'currency',
  ],
};

export interface PurposeRule {
  recipientTypes: readonly RecipientType[];
  /** A human summary of the per-account condition, as the gate table in DESIGN.md states it. */
  condition: string;
  /**
   * The customer fields the per-account condition reads. Only a requester whose role may read
   * every one of them may ask for the purpose: otherwise the gate's answer (which accounts pass)
   * would tell them a fact about an account that their role cannot see (issue 12, section 2).
   * Collection holds are shown with standing, so they count as the standing field.
   */
  conditionFields: readonly FieldKey[];
  approvals: readonly ('compliance_officer' | 'administrator')[];
}

export const PURPOSE_RULES: Record<Purpose, PurposeRule> = {
  debt_collection: {
    recipientTypes: ['collection_agency'],
    condition: 'standing is bad standing or in collection; fields limited to the collection set',
    conditionFields: ['standing'],
    approvals: [],
  },
  fraud_prevention: {
    recipientTypes: ['financial_institution', 'government_agency'],
    condition: 'fraud flag suspected or reported',
    conditionFields: ['fraudFlag'],
    approvals: [],
  },
  legal_process: {
    recipientTypes: ['government_agency', 'court_or_person'],
    condition: 'named accounts only; instrument type, reference, issuing authority and date',
    conditionFields: [],
    approvals: [],
  },
  exigent_circumstances: {
    recipientTypes: RECIPIENT_TYPES,
    condition:
      'named accounts only; written justification; approval by a second person with the compliance role',
    conditionFields: [],
    approvals: ['compliance_officer'],
  },
  business_transfer: {
    recipientTypes: ['acquirer'],
    condition:
      'all accounts; approval by an administrator and a compliance officer, two people other than the requester',
    conditionFields: [],
    approvals: ['administrator', 'compliance_officer'],
  },
};

export const DISCLOSURE_KINDS = ['refused', 'admitted', 'completed', 'abandoned'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];
