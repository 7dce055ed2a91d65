/**
 * Input rules shared by the renderer (for early feedback) and main (where they are enforced).
 * Pure functions: no Node, no DOM.
 */

/** Luhn checksum over a string of digits. */
export function passesLuhn(digits: string): boolean {
  return digits.length > 0 && luhnOver(digits, 0, digits.length);
}

/** Luhn over digits[start, end) of an ASCII digit string. */
function luhnOver(digits: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether `len` digits starting with `d` (ASCII) are a card number of a major brand: the issuer
 * identification ranges and lengths that payment networks publish (ISO/IEC 7812 IINs).
 */
function issuerAccepts(d: string, len: number): boolean {
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  switch (d.charCodeAt(0) - 48) {
    case 4: // Visa
      return len === 13 || len === 16 || len === 19;
    case 5: // Mastercard
      return len === 16 && p2 >= 51 && p2 <= 55;
    case 2: // Mastercard 2-series
      return len === 16 && p4 >= 2221 && p4 <= 2720;
    case 3:
      if (len === 15 && (p2 === 34 || p2 === 37)) return true; // American Express
      if (len < 14) return false;
      if (len >= 16 && p4 >= 3528 && p4 <= 3589) return true; // JCB
      return p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305) || p4 === 3095; // Diners
    case 6:
      // Discover (6011, 644-649, 65; its co-brand range 622126-622925 lies inside UnionPay's 62)
      // and UnionPay (62).
      return len >= 16 && (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || p2 === 62);
    default:
      return false;
  }
}

/*
 * How text is read for card numbers, as payment-data scanners read it. Each code point is a
 * digit (of any script, as its value), a separator (anything that is neither letter nor digit:
 * spaces of every kind, punctuation, symbols, line breaks), a break (a letter or another kind of
 * number: it ends a digit sequence), or ignored: format characters such as zero-width spaces and
 * soft hyphens, which are invisible, and combining marks, which only decorate the character
 * before them. Text is read as a person sees it.
 */
const SEPARATOR = -1;
const BREAK = -2;
const IGNORED = -3;
const ND = /^\p{Nd}$/u;
const INVISIBLE = /^[\p{Cf}\p{M}]$/u;
const BREAKER = /^[\p{L}\p{Nl}\p{No}]$/u;
const classes = new Map<number, number>();

/** The class of a non-ASCII code point (cached: text repeats its characters). */
function classOf(cp: number): number {
  let c = classes.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    if (ND.test(ch)) {
      // Unicode encodes every decimal digit set as ten consecutive code points from 0 to 9,
      // so a digit's value is its distance from the start of its run of digits, modulo ten.
      let zero = cp;
      while (ND.test(String.fromCodePoint(zero - 1))) zero--;
      c = (cp - zero) % 10;
    } else if (INVISIBLE.test(ch)) c = IGNORED;
    else if (BREAKER.test(ch)) c = BREAK;
    else c = SEPARATOR;
    if (classes.size < 4096) classes.set(cp, c);
  }
  return c;
}

function asciiClass(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return BREAK;
  return SEPARATOR;
}

const isPlus = (cp: number) => cp === 0x2b || cp === 0xff0b;

/** The fewest and most digits a card number has. */
const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;
/** E.164: a phone number written internationally has at most 15 digits. */
const MAX_PHONE_DIGITS = 15;

/**
 * One digit sequence (digits between breaks): its digits in ASCII, where its groups (digits
 * between separators) start and end, and whether a "+" leads it.
 */
interface Sequence {
  digits: string;
  starts: number[];
  ends: number[];
  plusLed: boolean;
}

/**
 * Where a window of digits may start and end:
 * - 'groups' (what containsCardNumber uses): it starts where a group of at least 4 digits starts
 *   and ends where a group ends. Card numbers are written as whole groups and always open with 4
 *   digits or more (4-4-4-4, 4-6-5, or ungrouped), and stand among other numbers that way
 *   (followed by the expiry date or CVV); a long reference number, which holds many Luhn-valid
 *   windows inside it (one in ten by chance), is not read from its middle, and a list of dates or
 *   amounts (groups of 1 to 3 digits: "…-23, 2005-…") does not open one.
 * - 'group-edges': starts at any group start and ends at any group end.
 * - 'group-start': starts at a group start, ends anywhere.
 * - 'anywhere'.
 * Exported so that test/unit/card-scan.test.ts can measure what each choice costs.
 */
export type CardWindowAlignment = 'groups' | 'group-edges' | 'group-start' | 'anywhere';

/** The fewest digits of the group a card number opens with. */
const MIN_FIRST_GROUP = 4;

function isCardWindow(digits: string, start: number, len: number): boolean {
  const window = digits.slice(start, start + len);
  return issuerAccepts(window, len) && luhnOver(window, 0, len);
}

/**
 * A card number never starts with "+": digits that a "+" leads are a phone number written
 * internationally, as long as E.164 allows.
 */
const phoneWindow = (seq: Sequence, start: number, len: number) =>
  seq.plusLed && start === 0 && len <= MAX_PHONE_DIGITS;

/** True when a window of 13 to 19 digits of the sequence, aligned as asked, is a card number. */
function sequenceHoldsCard(seq: Sequence, alignment: CardWindowAlignment): boolean {
  const { digits, starts, ends } = seq;
  const begins = alignment === 'anywhere' ? digits.length - MIN_CARD_DIGITS + 1 : starts.length;
  for (let b = 0; b < begins; b++) {
    const s = alignment === 'anywhere' ? b : starts[b]!;
    if (digits.length - s < MIN_CARD_DIGITS) break;
    if (alignment === 'groups' && ends[b]! - s < MIN_FIRST_GROUP) continue;
    const lengths =
      alignment === 'groups' || alignment === 'group-edges'
        ? ends.filter((e) => e > s).map((e) => e - s)
        : ALL_LENGTHS;
    for (const len of lengths) {
      if (len < MIN_CARD_DIGITS || s + len > digits.length) continue;
      if (len > MAX_CARD_DIGITS) break;
      if (!phoneWindow(seq, s, len) && isCardWindow(digits, s, len)) return true;
    }
  }
  return false;
}
const ALL_LENGTHS = [13, 14, 15, 16, 17, 18, 19];

/** Counts digits of any script, stopping once there are enough for a card number. */
function enoughDigits(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c >= 48 && c <= 57 && ++n >= MIN_CARD_DIGITS) return true;
    } else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (classOf(cp) >= 0 && ++n >= MIN_CARD_DIGITS) return true;
    }
  }
  return false;
}

/**
 * Splits text into digit sequences and hands each to `visit` until it returns true. A "+" right
 * before a digit starts a new sequence, as a letter would: it opens a phone number, and two
 * phone numbers in a row ("+44 20 7946 0958 / +44 20 7946 0959") are not read as one.
 */
function someSequence(text: string, visit: (seq: Sequence) => boolean): boolean {
  let seq: Sequence = { digits: '', starts: [], ends: [], plusLed: false };
  let inGroup = false;
  let last = -1; // the separator before the current position, if any
  const flush = (): boolean => {
    if (inGroup) seq.ends.push(seq.digits.length);
    inGroup = false;
    const found = seq.digits.length >= MIN_CARD_DIGITS && visit(seq);
    seq = { digits: '', starts: [], ends: [], plusLed: false };
    return found;
  };
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    let k: number;
    if (cp < 128) k = asciiClass(cp);
    else {
      cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      k = classOf(cp);
    }
    if (k >= 0) {
      if (!inGroup) {
        if (isPlus(last)) {
          if (flush()) return true;
          seq.plusLed = true;
        }
        seq.starts.push(seq.digits.length);
        inGroup = true;
      }
      seq.digits += String.fromCharCode(48 + k);
    } else if (k === SEPARATOR) {
      if (inGroup) seq.ends.push(seq.digits.length);
      inGroup = false;
      last = cp;
    } else if (k === BREAK) {
      if (flush()) return true;
      last = -1;
    }
  }
  return flush();
}

/** An IBAN's first characters: country, check digits (ISO 13616), not inside a longer word. */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}[A-Z0-9 ]{11,40}/gu;

/** ISO 7064 MOD 97-10 over an IBAN without spaces: a valid one leaves 1. */
function ibanRemainder(iban: string): number {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = parseInt(ch, 36);
    rest = v > 9 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest;
}

/** The length of the longest valid IBAN `text` starts with, ending where a group ends; 0 if none. */
function ibanLength(text: string): number {
  for (let end = text.length; end >= 15; end--) {
    if (text[end - 1] === ' ' || (end < text.length && text[end] !== ' ')) continue;
    const compact = text.slice(0, end).replace(/ /g, '');
    if (compact.length >= 15 && compact.length <= 34 && ibanRemainder(compact) === 1) return end;
  }
  return 0;
}

/**
 * Bank account numbers written as IBANs are not card numbers, though their digits often hold a
 * card-shaped window: a valid IBAN (its MOD 97 check passes, which one string in 97 does by
 * chance) is read as a word.
 */
function withoutIbans(text: string): string {
  return text.replace(IBAN_CANDIDATE, (m) => {
    const n = ibanLength(m);
    return n === 0 ? m : 'I'.repeat(n) + m.slice(n);
  });
}

/** True when some window of 13-19 digits of the text, aligned as asked, is a card number. */
export function holdsCardWindow(text: string, alignment: CardWindowAlignment): boolean {
  if (!enoughDigits(text)) return false;
  return someSequence(withoutIbans(text), (seq) => sequenceHoldsCard(seq, alignment));
}

/**
 * True when the text holds something that a payment-data scanner would take for a full card
 * number (DESIGN.md section 3: full card numbers are never stored): digits of any script,
 * grouped by any separators, with a run of whole groups of 13 to 19 digits in a major brand's
 * issuer range and length that passes Luhn.
 */
export function containsCardNumber(text: string): boolean {
  return holdsCardWindow(text, 'groups');
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

/**
 * Currency formatters by locale and currency, made once: making one costs far more than using
 * it (a list's balance column formats a value for every row drawn while scrolling). A code that
 * is not a currency throws when made, so only real currencies are kept.
 */
const moneyFormats = new Map<string, { fmt: Intl.NumberFormat; digits: number }>();

function moneyFormat(currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let entry = moneyFormats.get(key);
  if (!entry) {
    const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
    entry = { fmt, digits: fmt.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, entry);
  }
  return entry;
}

/** Formats integer minor units for display, e.g. 123456 USD -> "$1,234.56". */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const { fmt, digits } = moneyFormat(currency, locale);
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
