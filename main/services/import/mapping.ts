/**
 * Column mapping: what each column of a file becomes (a field, a whole name split in two, or
 * nothing), so that a file exported from another system imports without renaming its columns.
 *
 * The mapping turns each row's cells into cells named by Custodian's field keys before the
 * usual rules see them: everything after (the checks, the writing, the report) is as for a file
 * whose header names the field keys.
 */
import { FIELD_BY_KEY, type FieldKey } from '../../../shared/catalogue';
import { FULL_NAME, type ColumnTarget } from '../../../shared/import';
import { containsCardNumber } from '../../../shared/rules';
import { printable } from './rules';

/**
 * A header cell as shown back: shortened, and never what looks like a customer's value. A file
 * without its header row has a row of data first; an email, a number of four digits or more
 * (a phone, a card, a date, a postcode) is then named by its position only.
 */
export function shownHeader(name: string, column: number): string {
  const t = name.trim();
  if (t === '') return `column ${column}`;
  if (containsCardNumber(t)) return `column ${column} (its name looks like a card number)`;
  if (/@|\d{4}/.test(t.replace(/[\s.()/-]/g, ''))) {
    return `column ${column} (its name looks like a value: is the first row a header?)`;
  }
  return printable(t);
}

/** Words before a surname that belong to it ("van", "de la"). */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'st.',
  'st',
  'bin',
  'ibn',
  'al',
]);
/** Words after a surname that belong to it ("Jr."). */
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/**
 * The rule for a whole-name column, stated once:
 * - "Surname, Given names" (a comma): the surname is what comes before the first comma, the
 *   given names what comes after it.
 * - Otherwise the last word is the surname, with the particles before it ("van", "de la", …)
 *   and a suffix after it ("Jr.", "III"); every word before is the given names.
 * - A single word is a surname without given names: the row is refused, as an account needs
 *   both (the report names the first-name field).
 * Whitespace is collapsed; titles ("Dr.") are not recognised and stay with the given names.
 */
export function splitName(full: string): { firstName: string; lastName: string } {
  const t = full.trim().replace(/\s+/g, ' ');
  if (t === '') return { firstName: '', lastName: '' };
  const comma = t.indexOf(',');
  if (comma >= 0) {
    return { firstName: t.slice(comma + 1).trim(), lastName: t.slice(0, comma).trim() };
  }
  const words = t.split(' ');
  let end = words.length;
  while (end > 2 && SUFFIXES.has(words[end - 1]!.toLowerCase())) end--;
  if (end === 1) return { firstName: '', lastName: t };
  let start = end - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') };
}

type Step = { from: number; split: false } | { from: number; split: true };

/** A mapping checked against a file's header: applied to each row's cells. */
export class ColumnMapping {
  /** The field keys the mapped cells are named by, in order. */
  readonly keys: FieldKey[] = [];
  /** For each of `keys`, the 0-based column of the file it comes from. */
  readonly sources: number[] = [];
  /** The columns left out, as shown back ("column 4 (Fax)"). */
  readonly ignored: string[] = [];
  /** The number of columns of the file. */
  readonly width: number;
  private readonly steps: Step[] = [];
  /** Maps nothing: every column is its own field (a header of field keys). */
  readonly identity: boolean;

  constructor(header: readonly string[], targets: readonly ColumnTarget[]) {
    this.width = header.length;
    targets.forEach((target, i) => {
      if (target === null) {
        this.ignored.push(`column ${i + 1} (${shownHeader(header[i] ?? '', i + 1)})`);
      } else if (target === FULL_NAME) {
        this.keys.push('firstName', 'lastName');
        this.sources.push(i, i);
        this.steps.push({ from: i, split: true });
      } else {
        this.keys.push(target);
        this.sources.push(i);
        this.steps.push({ from: i, split: false });
      }
    });
    this.identity =
      this.ignored.length === 0 &&
      this.steps.every((s, i) => !s.split && s.from === i) &&
      this.keys.every((k, i) => k === header[i]?.trim());
  }

  /** A row's cells as the mapped columns; the row must have `width` cells. */
  map(cells: readonly string[]): string[] {
    const out: string[] = [];
    for (const step of this.steps) {
      const cell = cells[step.from] ?? '';
      if (!step.split) out.push(cell);
      else {
        const name = splitName(cell);
        out.push(name.firstName, name.lastName);
      }
    }
    return out;
  }
}

/**
 * Why this mapping cannot be used for a file with this header (null: it can). Every message
 * says what to change; none repeats a cell of the file other than its header.
 */
export function mappingProblem(
  header: readonly string[],
  targets: readonly ColumnTarget[],
): string | null {
  if (targets.length !== header.length) {
    return `The mapping names ${targets.length} column${targets.length === 1 ? '' : 's'}, but the file has ${header.length}. Choose the file again.`;
  }
  const byTarget = new Map<string, number[]>();
  targets.forEach((t, i) => {
    const names = t === FULL_NAME ? ['firstName', 'lastName'] : t === null ? [] : [t];
    for (const n of names) byTarget.set(n, [...(byTarget.get(n) ?? []), i]);
  });
  for (const [key, columns] of byTarget) {
    if (columns.length < 2) continue;
    const where = columns.map((i) => `column ${i + 1} (${shownHeader(header[i]!, i + 1)})`);
    const what =
      columns.some((i) => targets[i] === FULL_NAME) && columns.some((i) => targets[i] !== FULL_NAME)
        ? `${FIELD_BY_KEY[key as FieldKey].label} comes both from a whole name and from its own column`
        : `${FIELD_BY_KEY[key as FieldKey].label} is chosen for more than one column`;
    return `${what}: ${where.join(' and ')}. Choose it for one of them, and "Not imported" for the other.`;
  }
  const missing = (['firstName', 'lastName'] as const).filter((k) => !byTarget.has(k));
  if (missing.length > 0) {
    return `No column is imported as ${missing.map((k) => FIELD_BY_KEY[k].label).join(' or ')}, and every account needs a first and a last name. Choose a column for each, or "Full name (split)" for a column holding the whole name.`;
  }
  return null;
}
