/**
 * Many ids as ONE bound value: `where id in (idList(db, ids))`, or the rows of an INSERT ...
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

/** A subquery answering each of `ids` (as uuids on PostgreSQL). */
export function idList(db: Knex, ids: readonly string[]): Knex.QueryBuilder {
  const json = JSON.stringify(ids);
  return isSqlite(db)
    ? db.select('value').from(db.raw('json_each(?)', [json]))
    : db.select(db.raw('json_array_elements_text(?::json)::uuid', [json]));
}

/** The SELECT of idList with its one placeholder, for a statement written as text. */
function idsSelect(db: Knex): string {
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
