/**
 * Dates as people write them in a spreadsheet or another system's export (03/04/1985, 3.4.1985,
 * 1985/04/03, 04-03-1985, "3 Apr 1985", Excel's 31140), turned into the YYYY-MM-DD the console
 * stores. The order of day and month is the user's choice for the column (suggested from a
 * sample of its values, never guessed): see DateOrder in shared/import.ts.
 *
 * date-fns `parse` reads and checks each form (a 31 February is not a date); only the choice of
 * patterns to try is made here.
 */
import { format, isValid, parse } from 'date-fns';
import {
  DATE_ORDER_LABELS,
  type DateOrder,
  type DateOrderSuggestion,
} from '../../../shared/import';

/** The day a date is parsed relative to: fields the pattern leaves out (none here) come from it. */
const REFERENCE = new Date(2000, 0, 1);

/** Separators between the parts of a date of numbers. */
const SEPARATORS = ['/', '.', '-', ' '] as const;
type Separator = (typeof SEPARATORS)[number];

const ORDER_PARTS: Record<Exclude<DateOrder, 'SERIAL'>, string[]> = {
  DMY: ['d', 'M', 'yyyy'],
  MDY: ['M', 'd', 'yyyy'],
  YMD: ['yyyy', 'M', 'd'],
};

const numberPatterns = (order: Exclude<DateOrder, 'SERIAL'>, sep: Separator) => [
  ORDER_PARTS[order].join(sep),
];

/** Forms that read one way only, accepted whatever the column's order. */
const YEAR_FIRST: Record<Separator, string[]> = {
  '/': numberPatterns('YMD', '/'),
  '.': numberPatterns('YMD', '.'),
  '-': numberPatterns('YMD', '-'),
  ' ': numberPatterns('YMD', ' '),
};
/** Dates that name their month ("3 Apr 1985", "April 3, 1985", "03-Apr-1985"). */
const MONTH_NAMED = [
  'd MMM yyyy',
  'd MMMM yyyy',
  'd-MMM-yyyy',
  'd MMM, yyyy',
  'd MMMM, yyyy',
  'MMM d yyyy',
  'MMMM d yyyy',
  'MMM d, yyyy',
  'MMMM d, yyyy',
];

const SERIAL = /^\d{1,6}$/;
/** Excel's day 60 is 29 February 1900, a day that never was: its numbers from 61 on are true. */
const FIRST_TRUE_SERIAL = 61;
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** A date of numbers: three parts of digits between the same separator. */
const NUMERIC = /^(\d{1,4})([/.\- ])(\d{1,2})\2(\d{1,4})$/;
const FOUR_DIGIT_YEAR = /(^|\D)\d{4}($|\D)/;
const TIME_OF_DAY = /[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AP]M)?Z?$/i;

function firstValid(text: string, patterns: readonly string[]): string | null {
  for (const pattern of patterns) {
    const d = parse(text, pattern, REFERENCE);
    if (isValid(d)) {
      const y = d.getFullYear();
      // "3/4/85" parses as the year 85: a two-digit year is not read, as its century is a guess.
      if (y < 1000 || y > 9999) return null;
      return format(d, 'yyyy-MM-dd');
    }
  }
  return null;
}

/**
 * A written date as YYYY-MM-DD, read in the column's order; null when the text is not a date
 * in that order (or in a form that reads one way only). Whitespace around it is ignored.
 */
export function toIsoDate(raw: string, order: DateOrder): string | null {
  // A time of day after the date, as spreadsheets export a date cell ("3/4/1985 0:00"), says
  // nothing of the date.
  const text = raw.trim().replace(/\s+/g, ' ').replace(TIME_OF_DAY, '');
  if (text === '') return null;
  if (order === 'SERIAL' && SERIAL.test(text)) {
    const n = Number(text);
    if (n < FIRST_TRUE_SERIAL) return null;
    return new Date(SERIAL_EPOCH + n * DAY_MS).toISOString().slice(0, 10);
  }
  if (!FOUR_DIGIT_YEAR.test(text)) return null;
  if (/[a-z]/i.test(text)) return firstValid(text, MONTH_NAMED);
  const sep = SEPARATORS.find((s) => text.includes(s));
  if (sep === undefined) return null;
  const oneWay = firstValid(text, YEAR_FIRST[sep]);
  if (oneWay !== null || order === 'SERIAL' || order === 'YMD') return oneWay;
  return firstValid(text, numberPatterns(order, sep));
}

/** What one sampled value says of the column's order. */
type Evidence = DateOrder | 'either' | 'one way' | null;

function evidenceOf(raw: string): Evidence {
  const text = raw.trim().replace(/\s+/g, ' ').replace(TIME_OF_DAY, '');
  if (SERIAL.test(text)) return toIsoDate(text, 'SERIAL') === null ? null : 'SERIAL';
  const m = NUMERIC.exec(text);
  if (!m) return toIsoDate(text, 'YMD') === null ? null : 'one way';
  if (m[1]!.length === 4) return toIsoDate(text, 'YMD') === null ? null : 'one way';
  const dmy = toIsoDate(text, 'DMY') !== null;
  const mdy = toIsoDate(text, 'MDY') !== null;
  return dmy && mdy ? 'either' : dmy ? 'DMY' : mdy ? 'MDY' : null;
}

/**
 * The order a column's sampled values are written in: decided when a value can be read one way
 * only (a first part over 12 is a day: DMY), null when the values read both ways (the user must
 * choose) or contradict each other. Undefined: no sampled value looks like a date.
 */
export function suggestDateOrder(values: readonly string[]): DateOrderSuggestion | undefined {
  const seen = new Set<Evidence>();
  for (const v of values) if (v.trim() !== '') seen.add(evidenceOf(v));
  seen.delete(null);
  if (seen.size === 0) return undefined;
  const decisive = [...seen].filter((e) => e !== 'either' && e !== 'one way') as DateOrder[];
  if (decisive.length > 1) return { order: null, reason: 'conflict' };
  if (decisive.length === 1) return { order: decisive[0]!, reason: 'values' };
  if (seen.has('either')) return { order: null, reason: 'undecided' };
  // Every sampled date reads one way only: any order reads them alike.
  return { order: 'YMD', reason: 'unambiguous' };
}

/**
 * A value's shape, for messages: digits as 9 and letters as a, so that a message says what was
 * written without repeating it (a column mapped by mistake may hold a tax id).
 */
export function valueShape(raw: string): string {
  const shape = raw.trim().replace(/\d/g, '9').replace(/\p{L}/gu, 'a');
  return shape.length > 20 ? `${shape.slice(0, 20)}…` : shape;
}

/** Why a value is not a date in the column's order (for a row's problem). */
export function notADateReason(raw: string, order: DateOrder, column: string): string {
  const twoDigitYear = /^\d{1,2}[/.\- ]\d{1,2}[/.\- ]\d{2}$/.test(raw.trim());
  const hint = twoDigitYear ? ' Write the year with four digits.' : '';
  return `${column} is read as ${DATE_ORDER_LABELS[order]}, and this value (shaped ${valueShape(raw)}) is not a date in that form.${hint}`;
}
