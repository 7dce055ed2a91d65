/**
 * Many ids as ONE bound value: `whereIdIn(db, query, 'id', ids)`, or the rows of an INSERT ...
 * SELECT. `whereIn` with a chunk of ids binds each one, and at a batch's scale (100,000 accounts,
 * read and written several times) knex's building of the text with thousands of placeholders,
 * the driver's converting of each value and SQLite's parsing of it cost more than the rows' own
 * work. A JSON array is one value; the database takes it apart (json_each on SQLite, which the
 * planner joins by the primary key; json_array_elements_text on PostgreSQL).
 *
 * The ids are those of our own rows (uuids), validated where they entered.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../connect';

/**
 * Keeps the rows of `query` whose `column` is one of `ids`. On SQLite, `in` the rows of
 * json_each, which the planner joins by the key. On PostgreSQL, `= any` of the array the JSON
 * makes (computed once): PostgreSQL hashes a long `= any` list, so each row is checked in the
 * same time whichever index the planner starts from. As `in (subquery)` it was a semi-join whose
 * plan followed the statistics, and stale ones were ruinous: after a batch was sent, the recall's
 * `... and standing = 'in_collection'`, planned from statistics taken when no account was in
 * collection, joined the 100,000 accounts that were with every chunk of 1,000 ids.
 */
export function whereIdIn(
  db: Knex,
  query: Knex.QueryBuilder,
  column: string,
  ids: readonly string[],
): Knex.QueryBuilder {
  const bindings = [column, JSON.stringify(ids)];
  return isSqlite(db)
    ? query.whereRaw(`?? in (${idsSelect(db)})`, bindings)
    : query.whereRaw(`?? = any(array(${idsSelect(db)}))`, bindings);
}

/** The SELECT of the ids with its one placeholder, for a statement written as text. */
export function idsSelect(db: Knex): string {
  return isSqlite(db)
    ? 'select value from json_each(?)'
    : 'select json_array_elements_text(?::json)::uuid';
}

/**
 * The rows (id, number) of an INSERT ... SELECT: each of `ids` beside the same number (a feed
 * position, a record's seq). Bound as `idsWithNumberBindings` gives.
 */
export function idsWithNumber(db: Knex): string {
  return `select ids.*, cast(? as bigint) from (${idsSelect(db)}) as ids`;
}

export function idsWithNumberBindings(ids: readonly string[], n: number): [number, string] {
  return [n, JSON.stringify(ids)];
}
