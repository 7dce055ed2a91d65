import type { Knex } from 'knex';
import {
  FIELDS,
  type FieldKey,
  SORT_KEY_FIELDS,
  type SearchKind,
  type SortKey,
} from '../../../../shared/catalogue';
import { detectSearchKind } from '../../../../shared/search';
import type { AccessMap } from '../../../../shared/visibility';
import { namesOf, selectColumns, type Computed } from '../../engine/packed-rows';
import { requireReadable } from '../../../policy/visibility';
import { inRange, keySql, readableRanges, type Range } from './search-ranges';
import { SORT_COLUMNS, decodeCursor, type CursorValue } from './keyset';

export interface ListQuery {
  search?: string | undefined;
  searchKind?: SearchKind | undefined;
  sort: SortKey;
  direction: 'asc' | 'desc';
  limit: number;
  cursor?: string | undefined;
}

/**
 * The SQL of one page (rows read back with `unpackRows` and `columns`, which end with the
 * `computed` values asked for), and the column of its rows the next page's cursor is taken from.
 */
export interface PageQuery {
  query: Knex.QueryBuilder;
  columns: string[];
  cursorColumn: string;
  searchKind: SearchKind | null;
}

/** The column a best-match page carries the matched key in (its rows' cursor value). */
export const MATCH_KEY = 'match_key';

/**
 * The account's integer key (migration 0027): it breaks ties in every order, positions a page,
 * and joins a page of index entries back to its accounts (on SQLite it is the rowid, one lookup).
 */
const KEY = 'key';

/** Keeps the rows on one side of a keyset position (sort value, key): `op` is <, >, <= or >=. */
function keysetBound(
  q: Knex.QueryBuilder,
  column: string,
  op: string,
  value: CursorValue,
  key: number,
): void {
  if (column === KEY) q.where(KEY, op, key);
  else q.whereRaw(`(??, ??) ${op} (?, ?)`, [column, KEY, value, key]);
}

/** keysetBound for a range's key given as SQL (keySql). */
function keyBound(q: Knex.QueryBuilder, sql: string, op: string, value: CursorValue, key: number) {
  q.whereRaw(`(${sql}, ??) ${op} (?, ?)`, [KEY, value, key]);
}

/** What every page query starts from: the search, the order, the columns, checked. */
function plan(access: Readonly<AccessMap>, q: ListQuery, fields?: readonly FieldKey[]) {
  const text = q.search?.trim() ?? '';
  const searchKind = text === '' ? null : (q.searchKind ?? detectSearchKind(text));
  const ranges = searchKind ? readableRanges(access, searchKind, text) : [];
  // Best match without a search is name order.
  const sort: SortKey = q.sort === 'match' && ranges.length === 0 ? 'name' : q.sort;
  requireReadable(access, SORT_KEY_FIELDS[sort], `sort by ${sort}`);

  // Only the columns the page shows, and the keyset's: fewer values for the driver to convert.
  const shown = new Set<string>(['id', KEY]);
  const wanted = fields ? new Set<FieldKey>(fields) : null;
  for (const f of FIELDS) {
    if (access[f.key] !== 'hidden' && (!wanted || wanted.has(f.key))) shown.add(f.column);
  }
  const after = q.direction === 'asc' ? '>' : '<';
  return { searchKind, ranges, sort, shown, after };
}

/**
 * Accounts of the sort column's index that `windowedPageQuery` looks at for one page: a page
 * when one account in 20 matches. In name or balance order each is a lookup at a random place in
 * the table, about 5 us at 1,000,000 accounts.
 */
export const SORTED_SEARCH_WINDOW = 1000;

/**
 * The columns each search index holds besides its key (migrations 0001, 0008, 0009, 0020 and 0027): a search whose
 * ranges all hold the sort column reads every match's sort key from them cheaply, with no need
 * for a window.
 */
const RANGE_INDEX_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  account_number: ['account_number'],
  name_key: ['name_key', KEY],
  first_key: ['first_key', KEY, 'name_key'],
  email_key: ['email_key', KEY, 'name_key'],
  phone_digits: ['phone_digits', KEY],
  phone_digits_rev: ['phone_digits_rev', KEY, 'phone_digits'],
  // It holds the name key too, but a domain matches a large share of accounts (the company's
  // customers): a window of the name index finds a page sooner than sorting every match.
  email_domain: ['email_domain', KEY],
};

/** Whether every range's index holds `column`, so that a page in its order reads no table row. */
function rangesHold(ranges: readonly Range[], column: string): boolean {
  return ranges.length > 0 && ranges.every((r) => RANGE_INDEX_COLUMNS[r.column]?.includes(column));
}

/**
 * For a search sorted by a column: the page read by walking the sort column's index from the
 * cursor, `window` accounts of it, keeping those the search matches. When the search matches
 * many accounts (a letter or two typed) this finds a page in a few milliseconds where reading
 * every match's sort key takes hundreds; when it matches few, the window holds less than a page
 * and the caller reads `pageQuery` instead. Null when the page is not such a search, or when the
 * search's own indexes hold the sort column (a name search by name: `pageQuery` then reads keys
 * from them, 2 ms for "mil" and 22 ms for "m", where a window in name order costs 5 ms).
 */
export function windowedPageQuery(
  db: Knex,
  access: Readonly<AccessMap>,
  q: ListQuery,
  computed: readonly Computed[] = [],
  options: {
    /** Accounts of the sort column's index walked. */
    window?: number;
    /** The walk's last account (sort value, key) instead of a count: the window is read whole. */
    until?: readonly [CursorValue, number];
    /** The fields to read (an export's columns); every field the role may see when absent. */
    fields?: readonly FieldKey[];
  } = {},
): PageQuery | null {
  const { window = SORTED_SEARCH_WINDOW, until, fields } = options;
  const { searchKind, ranges, sort, shown, after } = plan(access, q, fields);
  if (sort === 'match' || ranges.length === 0) return null;
  const column = SORT_COLUMNS[sort];
  // Creation order walks the table in its own order, so the window costs little; any other order
  // the ranges hold is cheap enough read from them.
  if (column !== KEY && rangesHold(ranges, column)) {
    return null;
  }
  shown.add(column);
  const walk = db('accounts').select(db.raw('?? as ??', [KEY, 'walk_key']));
  if (q.cursor) {
    const [value, key] = decodeCursor(q.cursor, column);
    keysetBound(walk, column, after, value, key);
  }
  if (until) {
    keysetBound(walk, column, after === '>' ? '<=' : '>=', until[0], until[1]);
  }
  if (column !== KEY) walk.orderBy(column, q.direction);
  walk.orderBy(KEY, q.direction);
  if (!until) walk.limit(window);
  const selected = [...shown];
  const query = selectColumns(
    db,
    db.from(walk.as('w')).join('accounts as a', `a.${KEY}`, 'w.walk_key'),
    selected,
    computed,
    'a',
  ).where((w) => {
    for (const r of ranges) w.orWhere((o) => inRange(db, o, r, 'a'));
  });
  if (column !== KEY) query.orderBy(`a.${column}`, q.direction);
  query.orderBy(`a.${KEY}`, q.direction).limit(q.limit + 1);
  return { query, columns: namesOf(selected, computed), cursorColumn: column, searchKind };
}

/**
 * The sort column's value and key of the `window`-th account after the cursor, in the order of a
 * search sorted by a column (`windowedPageQuery`'s window ends there): no row when fewer remain.
 */
export function windowEndQuery(db: Knex, q: ListQuery, window: number): Knex.QueryBuilder {
  if (q.sort === 'match') throw new Error('best match has no window');
  const column = SORT_COLUMNS[q.sort];
  const after = q.direction === 'asc' ? '>' : '<';
  const query = db('accounts').select(db.raw('?? as ??', [column, 'window_key']), KEY);
  if (q.cursor) {
    const [value, key] = decodeCursor(q.cursor, column);
    keysetBound(query, column, after, value, key);
  }
  if (column !== KEY) query.orderBy(column, q.direction);
  return query
    .orderBy(KEY, q.direction)
    .offset(window - 1)
    .limit(1);
}

/** How many accounts a search matches, and how many there are: a count each. */
export function matchCountQueries(
  db: Knex,
  access: Readonly<AccessMap>,
  q: ListQuery,
): [matches: Knex.QueryBuilder, all: Knex.QueryBuilder] {
  const { ranges } = plan(access, q);
  const matches = db('accounts')
    .count({ n: '*' })
    .where((w) => {
      for (const r of ranges) w.orWhere((o) => inRange(db, o, r));
    });
  return [matches, db('accounts').count({ n: '*' })];
}

/**
 * The query for a page of the accounts list: only the columns the role may see, the search, the
 * keyset position, the order. Checks that the role may read what it searches and sorts by.
 */
export function pageQuery(
  db: Knex,
  access: Readonly<AccessMap>,
  q: ListQuery,
  computed: readonly Computed[] = [],
  /** The fields to read (an export's columns); every field the role may see when absent. */
  fields?: readonly FieldKey[],
): PageQuery {
  const { searchKind, ranges, sort, shown, after } = plan(access, q, fields);

  /** The column a page is ordered by, after the search's ranges (best match: none of its own). */
  const column = sort === 'match' ? null : SORT_COLUMNS[sort];
  if (sort === 'match' || ranges.length > 1 || (column && rangesHold(ranges, column))) {
    const cursor = q.cursor ? decodeCursor(q.cursor, column ?? MATCH_KEY) : null;
    if (ranges.length === 1 && (column === null || column === ranges[0]!.column)) {
      // One range in its own order: the page straight from its index.
      const r = ranges[0]!;
      const key = keySql(db, r.column);
      const selected = [...shown];
      const withKey: Computed[] = [[MATCH_KEY, db.raw(key)], ...computed];
      const query = selectColumns(db, db('accounts'), selected, withKey);
      inRange(db, query, r);
      if (cursor) keyBound(query, key, after, cursor[0], cursor[1]);
      query
        .orderByRaw(`${key} ${q.direction}`)
        .orderBy(KEY, q.direction)
        .limit(q.limit + 1);
      return { query, columns: namesOf(selected, withKey), cursorColumn: MATCH_KEY, searchKind };
    }
    // Each range is cut to a page of its own, ids and keys only, in the page's order; the pages
    // are merged and cut again, and only then are the accounts' columns read, for the one page
    // shown. Best match orders a range by its own key: a page of index entries per range,
    // however many match. Another order reads every match's key, from the range's index where
    // it covers the key (a name or email search by name), and keeps the top of it; one OR over the ranges
    // would read and sort every matching account whole (0.1 s for "m" at 1,000,000 accounts).
    // The page is joined back to its accounts by their key, which the range's index holds (on
    // SQLite the rowid: one lookup per account where the id took two).
    const branches = ranges.map((r, i) => {
      // The page's sort column, or in best match the range's own key.
      const key = column ?? keySql(db, r.column);
      const keyRef = column ? db.raw('??', [column]) : db.raw(key);
      const b = db('accounts').select([KEY, db.raw('? as ??', [keyRef, MATCH_KEY])]);
      inRange(db, b, r);
      for (const earlier of ranges.slice(0, i)) b.whereNot((w) => inRange(db, w, earlier));
      if (cursor) {
        if (column) keysetBound(b, column, after, cursor[0], cursor[1]);
        else keyBound(b, key, after, cursor[0], cursor[1]);
      }
      return b
        .orderByRaw(`? ${q.direction}`, [keyRef])
        .orderBy(KEY, q.direction)
        .limit(q.limit + 1);
    });
    const [first, ...rest] = branches;
    const page =
      rest.length === 0
        ? first!
        : db
            .select('*')
            .from(first!.as('b0'))
            .unionAll(rest.map((b, i) => db.select('*').from(b.as(`b${i + 1}`))))
            .orderBy(MATCH_KEY, q.direction)
            .orderBy(KEY, q.direction)
            .limit(q.limit + 1);
    const selected = [...shown];
    const withKey: Computed[] = [[MATCH_KEY, db.raw('??', [`m.${MATCH_KEY}`])], ...computed];
    const query = selectColumns(
      db,
      db.from(page.as('m')).join('accounts as a', `a.${KEY}`, `m.${KEY}`),
      selected,
      withKey,
      'a',
    )
      .orderBy(`m.${MATCH_KEY}`, q.direction)
      .orderBy(`m.${KEY}`, q.direction);
    return { query, columns: namesOf(selected, withKey), cursorColumn: MATCH_KEY, searchKind };
  }

  if (column === null) throw new Error('best match without a search is name order');
  shown.add(column);
  const selected = [...shown];
  const query = selectColumns(db, db('accounts'), selected, computed);
  if (ranges.length > 0) {
    query.where((w) => {
      for (const r of ranges) w.orWhere((o) => inRange(db, o, r));
    });
  }
  if (q.cursor) {
    const [value, key] = decodeCursor(q.cursor, column);
    keysetBound(query, column, after, value, key);
  }
  if (column !== KEY) query.orderBy(column, q.direction);
  query.orderBy(KEY, q.direction).limit(q.limit + 1);
  return { query, columns: namesOf(selected, computed), cursorColumn: column, searchKind };
}
