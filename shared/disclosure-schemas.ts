import { z } from 'zod';
import { FIELD_KEYS, type FieldKey } from './catalogue';
import { EXPORT_FORMATS, INSTRUMENT_TYPES, PURPOSES, RECIPIENT_TYPES } from './disclosure';
import { reservedDeviceName, reservedNameMessage } from './file-names';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from './rules';
import { id, isoDate, safeText } from './schemas';

export const fieldKey = z.enum(FIELD_KEYS as [FieldKey, ...FieldKey[]], {
  error: 'Unknown field.',
});

/** A plain file name in the export folder, with one of these extensions. */
function fileNameOf(extensions: readonly string[]) {
  const ending = extensions.map((e) => `.${e}`).join(' or ');
  const message = `A plain file name ending in ${ending}, without folders.`;
  return (
    z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        const device = reservedDeviceName(v);
        if (device) ctx.addIssue({ code: 'custom', message: reservedNameMessage(device) });
      })
      .regex(
        new RegExp(`^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,150}\\.(${extensions.join('|')})$`),
        message,
      )
      .refine((v) => !v.includes('..'), message)
      // The file name is recorded in the disclosure log, which can never be redacted.
      .refine((v) => !containsCardNumber(v), CARD_NUMBER_MESSAGE)
  );
}

/** A plain file name in the export folder: the renderer never names a folder to write into. */
export const exportFileName = fileNameOf(EXPORT_FORMATS);

/** The file name of a document (a PDF) in the export folder. */
export const documentFileName = fileNameOf(['pdf']);

const required = (max: number, what: string) =>
  safeText(max).refine((v) => v.length > 0, `Enter the ${what}.`);

export const recipientInput = z.object({
  name: required(200, 'recipient name'),
  type: z.enum(RECIPIENT_TYPES, { error: 'Choose the kind of recipient.' }),
  contact: required(1000, 'postal address and contact details'),
  reference: safeText(200).optional(),
  /** An armored OpenPGP public key (null removes it): files for this recipient are sealed. */
  openpgpKey: z
    .string()
    .max(100_000, 'An OpenPGP key is at most 100,000 characters.')
    .nullable()
    .optional(),
});

export const legalInstrument = z.object({
  instrumentType: z.enum(INSTRUMENT_TYPES, { error: 'Choose the kind of legal instrument.' }),
  reference: required(200, 'reference number'),
  authority: required(200, 'issuing authority'),
  date: isoDate,
});

export const disclosureRequestInput = z
  .object({
    recipientId: id,
    purpose: z.enum(PURPOSES, { error: 'Choose a purpose.' }),
    accountIds: z.array(id).max(1_000_000).default([]),
    allAccounts: z.boolean().default(false),
    fields: z.array(fieldKey).min(1, 'Choose at least one field.'),
    format: z.enum(EXPORT_FORMATS),
    fileName: exportFileName.optional(),
    legal: legalInstrument.optional(),
    justification: safeText(4000).optional(),
  })
  .strict();

export const accessLogFilter = z.object({
  staffId: id.optional(),
  /** A staff member by username (compliance may not list staff ids). */
  username: z.string().trim().toLowerCase().max(32).optional(),
  accountId: id.optional(),
  /** An account by its account number, so that finding it is not itself a logged search. */
  accountNumber: z.string().trim().toUpperCase().max(32).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
