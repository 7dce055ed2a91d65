/**
 * The index ranges a search text matches (one per key it may start: a name's last-first and
 * first-last keys, a phone's digits both ways, an account number, an email or its domain), kept
 * to the fields the caller may read, and their SQL. list-query.ts builds the pages from them.
 */
import type { Knex } from 'knex';
import { SEARCH_KIND_FIELDS, type FieldKey, type SearchKind } from '../../../../shared/catalogue';
import { phoneDigits } from '../../../../shared/rules';
import { SEARCH_KIND_LABELS, nameSearchKey, searchKey } from '../../../../shared/search';
import { canRead, type AccessMap } from '../../../../shared/visibility';
import { isSqlite } from '../../connect';
import { requireReadable } from '../../../policy/visibility';
import { cutKey, emailDomainSql } from './account-row';

/** Above every character a key can hold: `key + PREFIX_END` bounds the keys starting with key. */
const PREFIX_END = '\u{10FFFF}';

/** One index range a search kind matches: keys of `column` from `from` up to `from + END`. */
export interface Range {
  column: string;
  from: string;
  /** The field whose value the range reads: searched only where the caller may read it. */
  field: FieldKey;
}

/** The key of an email-domain range: an expression over email_key (keySql). */
const EMAIL_DOMAIN = 'email_domain';

/** The console's own account numbers begin so (account-row.ts): bare digits search them. */
const OWN_NUMBER_PREFIX = 'C-';

/**
 * The key ranges a search matches, each an index range scan. A row matched by an earlier range
 * is left out of the later ones, so that an account appears once.
 */
function searchRanges(kind: SearchKind, text: string): Range[] {
  switch (kind) {
    case 'accountNumber':
      // The number's start: "C-10000" finds C-1000000 to C-1000099.
      return [{ column: 'account_number', from: text.toUpperCase(), field: 'accountNumber' }];
    case 'email':
      return [{ column: 'email_key', from: cutKey(searchKey(text)), field: 'email' }];
    case 'emailDomain':
      return [{ column: 'email_domain', from: cutKey(searchKey(text.slice(1))), field: 'email' }];
    case 'phone':
      return phoneRanges(text);
    case 'digits':
      // The digits of an account number without its letters, or of a phone number.
      return [
        { column: 'account_number', from: OWN_NUMBER_PREFIX + text, field: 'accountNumber' },
        ...phoneRanges(text),
      ];
    case 'name': {
      // A last name, or a first name (name_key is "last first", first_key "first last"); "Smith,
      // John" is the last name first.
      const key = cutKey(nameSearchKey(text));
      return [
        { column: 'name_key', from: key, field: 'lastName' },
        { column: 'first_key', from: key, field: 'firstName' },
      ];
    }
  }
}

/** Digits typed as the start or the end of a phone number (people remember either). */
function phoneRanges(text: string): Range[] {
  const digits = phoneDigits(text);
  return [
    { column: 'phone_digits', from: digits, field: 'phone' },
    { column: 'phone_digits_rev', from: [...digits].reverse().join(''), field: 'phone' },
  ];
}

/**
 * The ranges of a search the caller may run. Every kind needs each field it reads, but bare
 * digits search whichever of the account number and the phone the caller may read.
 */
export function readableRanges(
  access: Readonly<AccessMap>,
  kind: SearchKind,
  text: string,
): Range[] {
  const ranges = searchRanges(kind, text);
  const what = `search by ${SEARCH_KIND_LABELS[kind]}`;
  if (kind !== 'digits') {
    requireReadable(access, SEARCH_KIND_FIELDS[kind], what);
    return ranges;
  }
  const readable = ranges.filter((r) => canRead(access[r.field]));
  if (readable.length === 0) requireReadable(access, SEARCH_KIND_FIELDS[kind], what);
  return readable;
}

/**
 * A range's key as SQL: its column, or for an email's domain the expression migration 0020
 * indexes (the same text, so that the index serves it).
 */
export function keySql(db: Knex, column: string, table?: string): string {
  const ref = (c: string) => (table ? `"${table}"."${c}"` : `"${c}"`);
  return column === EMAIL_DOMAIN ? emailDomainSql(isSqlite(db), ref('email_key')) : ref(column);
}

export function inRange(db: Knex, q: Knex.QueryBuilder, r: Range, table?: string): void {
  const key = keySql(db, r.column, table);
  q.whereRaw(`${key} >= ? and ${key} < ?`, [r.from, r.from + PREFIX_END]);
}
