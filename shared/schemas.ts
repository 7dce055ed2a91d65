/**
 * zod schemas for every input that crosses into main. The renderer may reuse them for early
 * feedback, but main is where they are enforced.
 */
import { z } from 'zod';
import {
  FIELDS,
  PROVENANCE_SOURCES,
  SEARCH_KINDS,
  SORT_KEYS,
  type FieldDef,
  type FieldKey,
} from './catalogue';
import {
  CARD_NUMBER_MESSAGE,
  containsCardNumber,
  isCurrencyCode,
  isIsoDate,
  phoneProblem,
} from './rules';
import { ROLES } from './roles';

/**
 * C0 control characters other than tab and line breaks (NUL among them): people do not type
 * them, and PostgreSQL refuses NUL in text.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
  }
  return false;
}

/** Free text typed by staff: trimmed, bounded, and never a full card number. */
export function safeText(max: number, opts: { cardCheck?: boolean } = {}) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .refine((v) => !hasControlCharacter(v), 'Remove the control characters from this text.')
    .refine(
      (v) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v),
      'This text has a broken character (a lone surrogate); retype it.',
    )
    .refine((v) => opts.cardCheck === false || !containsCardNumber(v), CARD_NUMBER_MESSAGE);
}

export const isoDate = z
  .string()
  .trim()
  .refine(isIsoDate, 'Use a real date in the form YYYY-MM-DD.');

export const id = z.string().uuid('Not a valid record id.');

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

let regionNames: Intl.DisplayNames | undefined;
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
  const name = regionNames.of(code);
  return name !== undefined && name !== code;
}

/** The schema of one customer field's value as typed by staff; null clears an optional field. */
export function fieldValueSchema(field: FieldDef): z.ZodType<string | number | null> {
  let base: z.ZodType<string | number>;
  switch (field.type) {
    case 'money':
      base = z
        .number({ error: 'Enter an amount.' })
        .int('Amounts are whole minor units (cents).')
        .min(0, 'A balance cannot be negative.')
        .max(Number.MAX_SAFE_INTEGER, 'Amount too large.');
      break;
    case 'integer':
      base = z
        .number({ error: 'Enter a whole number.' })
        .int('Enter a whole number.')
        .min(0, 'Cannot be negative.')
        .max(100_000, 'Too large.');
      break;
    case 'date':
      base = isoDate.refine(
        (v) => field.key !== 'dateOfBirth' || v <= new Date().toISOString().slice(0, 10),
        'A date of birth cannot be in the future.',
      );
      break;
    case 'currency':
      base = z
        .string()
        .trim()
        .toUpperCase()
        .refine(isCurrencyCode, 'Use an ISO 4217 currency code such as USD or EUR.');
      break;
    case 'country':
      base = z
        .string()
        .trim()
        .toUpperCase()
        .refine(isCountryCode, 'Use a two-letter ISO country code such as US or GB.');
      break;
    case 'enum': {
      const options = field.options ?? [];
      base = z.string().refine((v) => options.includes(v), `Choose one of: ${options.join(', ')}.`);
      break;
    }
    default: {
      // A phone written internationally (+49 151 2345 6787) may pass Luhn by chance; a card number
      // never starts with +, so only phones without it get the card check.
      let text = safeText(field.maxLength ?? 200, { cardCheck: field.key !== 'phone' });
      if (field.key === 'email') {
        text = text.pipe(z.email('Not a valid email address.').toLowerCase()) as never;
      } else if (field.key === 'phone') {
        text = text.superRefine((v, ctx) => {
          const problem = phoneProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
          else if (!v.startsWith('+') && containsCardNumber(v)) {
            ctx.addIssue({
              code: 'custom',
              message: `${CARD_NUMBER_MESSAGE} If it is a phone number, write it with its country code after a +.`,
            });
          }
        }) as never;
      } else if (field.key === 'paymentLast4') {
        text = text.regex(/^\d{4}$/, 'Exactly the last 4 digits of the card.') as never;
      } else if (field.key === 'taxId') {
        text = text.regex(/^[0-9A-Za-z-]{4,20}$/, 'Letters, digits and dashes only.') as never;
      }
      base = text;
    }
  }
  if (field.required) {
    return z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      field.type === 'money' || field.type === 'integer'
        ? base
        : (base as z.ZodType<string>).refine((v) => v.length > 0, `${field.label} is required.`),
    ) as z.ZodType<string | number | null>;
  }
  return z.preprocess(blankToNull, base.nullable()) as z.ZodType<string | number | null>;
}

const editableFields = FIELDS.filter((f) => !f.system);

/** A set of customer field values keyed by field; unknown or system fields are refused. */
export const accountFieldsInput = z.strictObject(
  Object.fromEntries(editableFields.map((f) => [f.key, fieldValueSchema(f).optional()])) as Record<
    string,
    z.ZodOptional<z.ZodType<string | number | null>>
  >,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Not a field staff can set: ${issue.keys.join(', ')}.`
        : undefined,
  },
) as unknown as z.ZodType<Partial<Record<FieldKey, string | number | null>>>;

export const provenanceInput = z.object({
  source: z.enum(PROVENANCE_SOURCES, { error: 'Say how the customer supplied this information.' }),
  date: isoDate.refine(
    (v) => v <= new Date().toISOString().slice(0, 10),
    'The date the customer supplied it cannot be in the future.',
  ),
});

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, '3 to 32 characters: letters, digits, dot, dash or underscore.')
  .refine((v) => !containsCardNumber(v), CARD_NUMBER_MESSAGE);
export const displayName = safeText(100).refine((v) => v.length > 0, 'Enter a name.');
export const newPassword = z
  .string()
  .min(12, 'At least 12 characters.')
  .max(256, 'At most 256 characters.');

export const passwordPair = z
  .object({ password: newPassword, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, {
    message: 'The two passwords differ.',
    path: ['passwordConfirm'],
  });

export const roleInput = z.enum(ROLES, { error: 'Choose a role.' });

export const searchInput = safeText(100);

export const listAccountsInput = z
  .object({
    search: searchInput.optional(),
    searchKind: z.enum(SEARCH_KINDS).optional(),
    sort: z.enum(SORT_KEYS).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .strict();
