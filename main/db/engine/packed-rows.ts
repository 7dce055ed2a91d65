/**
 * Reading many columns of many rows quickly from SQLite.
 *
 * node-sqlite3 turns every value of a result into a JavaScript value on the main thread, at
 * about a microsecond each: a page of 50 accounts with 25 columns costs more there than the
 * indexed search itself. So on SQLite a hot query selects each row as ONE text value,
 * `json_array(col, ...)`, and the row is taken apart here with JSON.parse (native, and a small
 * fraction of that cost). Numbers stay numbers and NULL stays null, exactly as the driver would
 * give them. PostgreSQL's driver has no such cost: there the columns are selected as they are.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/** The one column a packed row comes back in. */
const PACKED = 'packed_row';

/**
 * The quoted column list of each packed select, by its columns: knex quoted ?? bindings one by one
 * on every call, which cost a search about a tenth of a millisecond (in a CPU profile of the team
 * server, knex's compiling was a seventh of the busy time). The lists are the catalogue's columns
 * a role may read, so there are a few dozen of them.
 */
const quotedLists = new Map<string, string>();
const QUOTED_LISTS_KEPT = 256;

function quotedList(db: Knex, qualified: readonly string[]): string {
  const key = qualified.join(',');
  let list = quotedLists.get(key);
  if (list === undefined) {
    // Quoted by knex itself, once: the same text its ?? bindings give.
    list = db.raw(qualified.map(() => '??').join(', '), [...qualified]).toQuery();
    if (quotedLists.size >= QUOTED_LISTS_KEPT) quotedLists.clear();
    quotedLists.set(key, list);
  }
  return list;
}

/** A value computed by SQL (its alias, its expression), selected after the columns. */
export type Computed = readonly [alias: string, expression: Knex.Raw];

/**
 * Sets the select list of `query` to `columns` (of `table`, when it joins several) and then
 * `computed`: as they are on PostgreSQL, packed into one JSON array per row on SQLite. Read the
 * rows back with `unpackRows` and the same names (`namesOf`).
 */
export function selectColumns(
  db: Knex,
  query: Knex.QueryBuilder,
  columns: readonly string[],
  computed: readonly Computed[] = [],
  table?: string,
): Knex.QueryBuilder {
  const qualified = table ? columns.map((c) => `${table}.${c}`) : columns;
  if (!isSqlite(db)) {
    return query.select([
      ...qualified.map((c, i) => db.raw('?? as ??', [c, columns[i]!])),
      ...computed.map(([alias, expression]) => db.raw('? as ??', [expression, alias])),
    ]);
  }
  const quoted = qualified.length > 0 ? [quotedList(db, qualified)] : [];
  const list = [...quoted, ...computed.map(() => '?')].join(', ');
  return query.select(
    db.raw(
      `json_array(${list}) as "${PACKED}"`,
      computed.map(([, e]) => e),
    ),
  );
}

/** The names rows made by `selectColumns` are read back with. */
export function namesOf(columns: readonly string[], computed: readonly Computed[] = []): string[] {
  return [...columns, ...computed.map(([alias]) => alias)];
}

/** The rows of a query made with `selectColumns`, each an array in the order of `namesOf`. */
export function unpackRows(
  db: Knex,
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
): unknown[][] {
  if (!isSqlite(db)) return rows.map((row) => names.map((name) => row[name]));
  const out = new Array<unknown[]>(rows.length);
  for (let r = 0; r < rows.length; r++)
    out[r] = JSON.parse(rows[r]![PACKED] as string) as unknown[];
  return out;
}
