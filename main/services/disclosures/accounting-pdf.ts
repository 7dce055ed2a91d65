/**
 * A customer's accounting of disclosures as a document for them ("who did you give my data
 * to?"): what was disclosed, to whom (name and address), when, why and under which legal basis.
 * It holds the records of the accounting and the customer's fields as the preparing staff
 * member's role sees them (hidden fields absent, masked ones masked): nothing else.
 */
import { FIELD_BY_KEY, isFieldKey } from '../../../shared/catalogue';
import {
  PURPOSE_LABELS,
  RECIPIENT_TYPE_LABELS,
  type LoggedPurpose,
  type RecipientType,
} from '../../../shared/disclosure';
import type { VisibleFields } from '../../../shared/types';
import { renderPdf } from '../exports/pdf';
import type { DocumentRenderer, RowChunk } from '../exports/writer';

/** The columns of an accounting, as the CSV and JSON reports have them and the PDF reads them. */
export const ACCOUNTING_COLUMNS = [
  'date',
  'recipient',
  'recipientType',
  'recipientAddress',
  'purpose',
  'legalBasis',
  'fields',
] as const;

const ADDRESS = [
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
] as const;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** A recipient's address as written on several lines, on one: its lines kept apart by commas. */
const oneLine = (v: string): string =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/,$/, ''))
    .filter(Boolean)
    .join(', ');

/** The customer as the role sees them: number, name and postal address, each only if seen. */
function customerLines(customer: VisibleFields): [string, string][] {
  const name = [customer.firstName, customer.lastName].map(text).filter(Boolean).join(' ');
  const address = ADDRESS.map((k) => text(customer[k]))
    .filter(Boolean)
    .join(', ');
  const lines: [string, string][] = [];
  if (customer.accountNumber !== undefined) lines.push(['Account', text(customer.accountNumber)]);
  if (name) lines.push(['Name', name]);
  if (address) lines.push(['Address', address]);
  return lines;
}

function fieldsDisclosed(value: unknown): string {
  return text(value)
    .split(' ')
    .filter(Boolean)
    .map((k) => (isFieldKey(k) ? FIELD_BY_KEY[k].label : k))
    .join(', ');
}

/**
 * Lays out the accounting's rows (in ACCOUNTING_COLUMNS order, newest first, as the screen shows
 * them) under the customer's details.
 */
export function accountingDocument(
  customer: VisibleFields,
  prepared: { by: string; at: Date },
): DocumentRenderer {
  return (chunks: AsyncIterable<RowChunk>, columns: readonly string[]) => {
    const at = ACCOUNTING_COLUMNS.map((c) => columns.indexOf(c));
    const title = 'Accounting of disclosures';
    return renderPdf({ title, footer: title }, async (pdf) => {
      pdf.title(title);
      pdf.entries([
        ...customerLines(customer),
        ['Prepared', `${prepared.at.toISOString().slice(0, 10)} by ${prepared.by}`],
      ]);
      pdf.paragraph(
        'This document lists every time information about this account was disclosed, as recorded in our disclosure log: the recipient, when, for what purpose, on which legal basis, and which information was included.',
      );
      let n = 0;
      for await (const chunk of chunks) {
        for (const row of chunk) {
          const [date, recipient, type, address, purpose, basis, fields] = at.map((i) => row[i]);
          n++;
          pdf.heading(`${n}. ${text(date).slice(0, 10)} - ${text(recipient) || 'Our own staff'}`);
          pdf.entries([
            ['Date and time (UTC)', text(date).replace('T', ' ').slice(0, 19)],
            ['Recipient', text(recipient) || 'None (internal use by our staff)'],
            ...(type
              ? [
                  [
                    'Recipient type',
                    RECIPIENT_TYPE_LABELS[type as RecipientType] ?? text(type),
                  ] as [string, string],
                ]
              : []),
            ...(address ? [['Recipient address', oneLine(text(address))] as [string, string]] : []),
            ['Purpose', PURPOSE_LABELS[purpose as LoggedPurpose] ?? text(purpose)],
            ['Legal basis', text(basis)],
            ['Information disclosed', fieldsDisclosed(fields)],
          ]);
        }
      }
      if (n === 0) pdf.paragraph('No disclosure of information about this account is recorded.');
    });
  };
}
