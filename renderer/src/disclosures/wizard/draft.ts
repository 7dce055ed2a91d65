/** The disclosure request being put together, step by step, and the rules that read it. */
import { FIELDS, type FieldKey } from '../../../../shared/catalogue';
import type { Input } from '../../../../shared/contract';
import {
  COLLECTION_FIELDS,
  PURPOSE_RULES,
  type ExportFormat,
  type InstrumentType,
  type Purpose,
} from '../../../../shared/disclosure';
import type { AccountRow, Recipient, VisibleAccess } from '../../../../shared/types';
import { canRead } from '../../../../shared/visibility';
import type { PickedAccount } from '../../navigation';
import { suggestFileName } from '../labels';

export const STEPS = ['Recipient', 'Purpose', 'Accounts', 'Fields', 'Details', 'File'] as const;

export const STEP_TITLES = [
  'Who receives the data?',
  'Why is it disclosed?',
  'Which customers?',
  'Which fields?',
  'Details the purpose requires',
  'Format and file',
];

export interface Legal {
  instrumentType: InstrumentType | null;
  reference: string;
  authority: string;
  date: string;
}

export interface Draft {
  recipientId: string | null;
  purpose: Purpose | null;
  accounts: PickedAccount[];
  fields: Set<FieldKey>;
  legal: Legal;
  justification: string;
  format: ExportFormat;
  fileName: string;
  /** Once the file name is typed, choosing a purpose no longer renames it. */
  fileNameTouched: boolean;
}

export function emptyDraft(accounts: PickedAccount[], format: ExportFormat): Draft {
  return {
    recipientId: null,
    purpose: null,
    accounts,
    fields: new Set(),
    legal: { instrumentType: null, reference: '', authority: '', date: '' },
    justification: '',
    format,
    fileName: suggestFileName('disclosure', format),
    fileNameTouched: false,
  };
}

/** A business transfer covers every account and cannot name single ones. */
export function coversAllAccounts(purpose: Purpose | null): boolean {
  return purpose === 'business_transfer';
}

/** Fields a person may put in a disclosure: those they read in full (the collection set for debts). */
export function disclosableFields(access: VisibleAccess, purpose: Purpose | null): FieldKey[] {
  const readable = FIELDS.filter((f) => {
    const a = access[f.key];
    return a !== undefined && canRead(a);
  }).map((f) => f.key);
  return purpose === 'debt_collection'
    ? readable.filter((k) => COLLECTION_FIELDS.includes(k))
    : readable;
}

/** The fields a purpose's condition reads that this role may not read (the gate refuses then). */
export function blindFields(access: VisibleAccess, purpose: Purpose): FieldKey[] {
  return PURPOSE_RULES[purpose].conditionFields.filter((f) => {
    const a = access[f];
    return a === undefined || !canRead(a);
  });
}

export function toPicked(row: AccountRow): PickedAccount {
  const f = row.fields;
  return {
    id: row.id,
    accountNumber: String(f.accountNumber ?? row.id.slice(0, 8)),
    name: [f.firstName, f.lastName].filter((v) => v !== null && v !== undefined).join(' '),
    standing: typeof f.standing === 'string' ? f.standing : null,
  };
}

/** What keeps a step from being left forward, or null when it is complete. */
export function stepProblem(step: number, d: Draft, recipient: Recipient | null): string | null {
  switch (step) {
    case 0:
      return recipient ? null : 'Choose the recipient.';
    case 1:
      return d.purpose ? null : 'Choose the purpose of the disclosure.';
    case 2:
      return coversAllAccounts(d.purpose) || d.accounts.length > 0
        ? null
        : 'Add at least one account.';
    case 3:
      return d.fields.size > 0 ? null : 'Choose at least one field.';
    case 4:
      return detailsProblem(d);
    default:
      return null;
  }
}

function detailsProblem({ purpose, legal, justification }: Draft): string | null {
  if (purpose === 'legal_process') {
    if (!legal.instrumentType || !legal.reference.trim() || !legal.authority.trim() || !legal.date)
      return 'A legal process disclosure needs the instrument type, reference, issuing authority and date.';
  }
  if (purpose === 'exigent_circumstances' && justification.trim().length === 0)
    return 'Write the justification: what is the emergency, and who reported it.';
  return null;
}

/** The request main receives, once every step is complete. */
export function requestOf(d: Draft, recipient: Recipient): Input<'disclosures.request'> {
  const allAccounts = coversAllAccounts(d.purpose);
  return {
    recipientId: recipient.id,
    purpose: d.purpose!,
    accountIds: allAccounts ? [] : d.accounts.map((a) => a.id),
    allAccounts,
    fields: FIELDS.map((f) => f.key).filter((k) => d.fields.has(k)),
    format: d.format,
    fileName: d.fileName,
    ...(d.purpose === 'legal_process'
      ? {
          legal: {
            instrumentType: d.legal.instrumentType!,
            reference: d.legal.reference,
            authority: d.legal.authority,
            date: d.legal.date,
          },
        }
      : {}),
    ...(d.purpose === 'exigent_circumstances' ? { justification: d.justification } : {}),
  };
}
