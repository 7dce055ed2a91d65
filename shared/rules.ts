/**
 * Input rules shared by the renderer (for early feedback) and main (where they are enforced).
 * Pure functions: no Node, no DOM.
 */

/** Luhn checksum over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// A run of 13-19 digits, optionally grouped by single spaces or dashes, as card numbers are written.
const DIGIT_RUN = /\d(?:[ -]?\d){12,}/g;

/**
 * True when the text contains something that looks like a full payment card number
 * (13-19 digits passing Luhn). Full card numbers are never stored (DESIGN.md section 3).
 */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    // Only a whole run counts: testing every window of a longer run would refuse most long
    // reference numbers, since one in ten digit strings passes Luhn by chance.
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}

export const CARD_NUMBER_MESSAGE =
  'This looks like a full payment card number. Custodian never stores card numbers: record only the card brand and its last 4 digits.';

export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

const PHONE_SHAPE = /^\+?[0-9 ().-]+$/;
/** Phone numbers as people write them: digits with + ( ) . - and spaces; 7 to 15 digits (E.164). */
export function phoneProblem(phone: string): string | null {
  if (!PHONE_SHAPE.test(phone)) {
    return 'Use digits, spaces and + ( ) - . only, e.g. +1 555 010 0199.';
  }
  const n = phoneDigits(phone).length;
  if (n < 7 || n > 15) return `A phone number has 7 to 15 digits; this one has ${n}.`;
  return null;
}

const POSTAL_PATTERNS: Record<string, { re: RegExp; example: string }> = {
  US: { re: /^\d{5}(-\d{4})?$/, example: '94105 or 94105-1234' },
  CA: { re: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, example: 'K1A 0B1' },
  GB: { re: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, example: 'SW1A 1AA' },
  DE: { re: /^\d{5}$/, example: '10115' },
  FR: { re: /^\d{5}$/, example: '75001' },
  NL: { re: /^\d{4} ?[A-Za-z]{2}$/, example: '1012 AB' },
  AU: { re: /^\d{4}$/, example: '2000' },
};
const POSTAL_GENERIC = /^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$/;

/** Postal code for a country (ISO 3166-1 alpha-2); unknown countries get a generic shape check. */
export function postalCodeProblem(code: string, country: string | null | undefined): string | null {
  const rule = country ? POSTAL_PATTERNS[country.toUpperCase()] : undefined;
  if (rule) {
    return rule.re.test(code)
      ? null
      : `Not a postal code for ${country}; expected e.g. ${rule.example}.`;
  }
  return POSTAL_GENERIC.test(code)
    ? null
    : 'A postal code has 3 to 10 letters, digits, spaces or dashes.';
}

let currencyCodes: Set<string> | undefined;
/** ISO 4217 currency codes as the JavaScript runtime knows them. */
export function isCurrencyCode(code: string): boolean {
  currencyCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return currencyCodes.has(code);
}

/** ISO date (YYYY-MM-DD) that exists in the calendar. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Formats integer minor units for display, e.g. 123456 USD -> "$1,234.56". */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(minor / 10 ** digits);
}

/** Parses a decimal amount typed by a person into integer minor units; null if it is not one. */
export function parseMoney(text: string, currency: string): number | null {
  const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  const cleaned = text.replace(/[,\s]/g, '');
  const re = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  if (!re.test(cleaned)) return null;
  const [whole = '0', frac = ''] = cleaned.split('.');
  const minor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}
