/**
 * Fast multi-row INSERTs inside a caller's transaction, for the import, the seeder, migrate-data
 * and collection batches (their placements). knex's own batch insert is far too slow at this
 * scale (it rebuilds and scans the SQL text of every statement, and caps SQLite batches at 500
 * rows), so this talks to the transaction's own driver connection.
 *
 * - SQLite: node-sqlite3 converts every bound value on the main thread, at about a microsecond
 *   each (36 values per account cost more than the rest of an import), so each row travels as
 *   ONE JSON array: the rows of a chunk are staged in a temporary one-column table with a
 *   prepared multi-row statement, then moved with one INSERT ... SELECT that takes each array
 *   apart (`->>` keeps numbers numbers and null NULL). Taking rows apart from a table is about
 *   a third cheaper for SQLite than taking them from the bound values directly.
 * - PostgreSQL: one statement per slice of rows, with the slice as a single JSON parameter: an
 *   array of row arrays, made by one JSON.stringify (objects keyed by column, built value by
 *   value, cost a third of a large import's main thread), taken apart as jsonb and each value
 *   cast to its column's type, so the server converts every value as the column would.
 *
 * Values are written as given: callers validate them first. Nothing here logs or echoes a value.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import { settledAll } from '../../settled';

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export const MAX_BOUND_VALUES = 32_766;
/**
 * Rows staged per prepared SQLite statement (one bound value each). Few, large statements:
 * each statement is a round trip through the main thread, which is busy checking the next rows
 * of the file, so the database would wait a slice of that work on every one.
 */
const STAGE_ROWS = 8192;
/** Rows per PostgreSQL statement. */
const PG_ROWS = 5000;

interface SqliteStatement {
  run(params: unknown[], cb: (err: Error | null) => void): void;
  finalize(cb: (err: Error | null) => void): void;
}
interface SqliteConnection {
  prepare(sql: string, cb: (err: Error | null) => void): SqliteStatement;
  run(sql: string, params: unknown[], cb: (err: Error | null) => void): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
}
interface PgConnection {
  query(config: { text: string; values: unknown[] }): Promise<unknown>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes rows of one table, in order. `write` resolves when a chunk is in the table (inside
 * the transaction); `close` must be called (in a finally) before the transaction ends.
 */
export interface BulkTable {
  readonly table: string;
  readonly columns: readonly string[];
  write(rows: readonly (readonly unknown[])[]): Promise<void>;
  close(): Promise<void>;
}

/** A value every row of a load has in a column (e.g. the import's time): written once. */
export type Constant = string | number | null;

export async function bulkTable(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  constants: Readonly<Record<string, Constant>> = {},
): Promise<BulkTable> {
  const connection: unknown = await trx.client.acquireConnection();
  return isSqlite(trx)
    ? sqliteTable(connection as SqliteConnection, table, columns, constants)
    : await pgTable(connection as PgConnection, table, columns, constants);
}

/** A constant as an SQL literal (SQLite). */
function literal(value: Constant): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('not a finite number');
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

let stageNumber = 0;

async function sqliteTable(
  conn: SqliteConnection,
  table: string,
  columns: readonly string[],
  constants: Readonly<Record<string, Constant>>,
): Promise<BulkTable> {
  const exec = (sql: string, params: unknown[] = []) =>
    new Promise<void>((resolve, reject) =>
      conn.run(sql, params, (err) => (err ? reject(err) : resolve())),
    );
  const execScript = (sql: string) =>
    new Promise<void>((resolve, reject) =>
      conn.exec(sql, (err) => (err ? reject(err) : resolve())),
    );
  const stage = `temp.${quote(`custodian_bulk_${++stageNumber}`)}`;
  await exec(`create table ${stage} (r text not null)`);
  const fixed = Object.entries(constants);
  const move =
    `insert into main.${quote(table)} (${[...columns, ...fixed.map(([c]) => c)].map(quote).join(', ')}) ` +
    `select ${[...columns.map((_, i) => `r ->> ${i}`), ...fixed.map(([, v]) => literal(v))].join(', ')} ` +
    `from ${stage} order by rowid`;
  const statements = new Map<number, Promise<SqliteStatement>>();
  const prepare = (rows: number): Promise<SqliteStatement> => {
    let statement = statements.get(rows);
    if (!statement) {
      statement = new Promise<SqliteStatement>((resolve, reject) => {
        const s = conn.prepare(
          `insert into ${stage} (r) values ${Array<string>(rows).fill('(?)').join(', ')}`,
          (err) => (err ? reject(err) : resolve(s)),
        );
      });
      // A failed prepare is reported by the write that awaits it.
      statement.catch(() => undefined);
      statements.set(rows, statement);
    }
    return statement;
  };
  const run = (s: SqliteStatement, params: unknown[]) =>
    new Promise<void>((resolve, reject) => s.run(params, (err) => (err ? reject(err) : resolve())));
  const width = columns.length;

  return {
    table,
    columns,
    async write(rows) {
      if (rows.length === 0) return;
      const runs: Promise<void>[] = [];
      for (let i = 0; i < rows.length; i += STAGE_ROWS) {
        const n = Math.min(STAGE_ROWS, rows.length - i);
        runs.push(prepare(n).then((s) => run(s, jsonRows(rows, i, n, width))));
      }
      // Every run settles before the first failure is reported, so none is left in flight.
      try {
        await settledAll(runs);
      } catch (err) {
        await exec(`delete from ${stage}`);
        throw err;
      }
      // The move and the emptying of the stage in one round trip. sqlite3_exec stops at the
      // first failing statement, so after a failed move the stage is emptied here.
      try {
        await execScript(`${move}; delete from ${stage}`);
      } catch (err) {
        await exec(`delete from ${stage}`);
        throw err;
      }
    },
    async close() {
      const all = await Promise.allSettled(statements.values());
      statements.clear();
      for (const r of all) {
        if (r.status === 'fulfilled') {
          await new Promise<void>((resolve) => r.value.finalize(() => resolve()));
        }
      }
      await exec(`drop table if exists ${stage}`);
    },
  };
}

/** Each row as a JSON array of exactly `width` values (undefined becomes null). */
function jsonRows(
  rows: readonly (readonly unknown[])[],
  from: number,
  count: number,
  width: number,
): string[] {
  const out = new Array<string>(count);
  for (let r = 0; r < count; r++) {
    const row = rows[from + r]!;
    out[r] = JSON.stringify(
      row.length === width ? row : Array.from({ length: width }, (_, i) => row[i] ?? null),
    );
  }
  return out;
}

async function pgTable(
  conn: PgConnection,
  table: string,
  columns: readonly string[],
  constants: Readonly<Record<string, Constant>>,
): Promise<BulkTable> {
  const fixed = Object.entries(constants);
  const types = await columnTypes(conn, table);
  const typeOf = (column: string): string => {
    const type = types.get(column);
    if (!type) throw new Error(`${table} has no column ${column}`);
    return type;
  };
  const list = [...columns, ...fixed.map(([c]) => c)].map(quote).join(', ');
  // Each row is a JSON array; each value is taken out as text and cast to its column's type.
  const values = [
    ...columns.map((c, i) => `(e ->> ${i})::${typeOf(c)}`),
    ...fixed.map(([c], i) => `$${i + 2}::${typeOf(c)}`),
  ].join(', ');
  const text = `insert into ${quote(table)} (${list}) select ${values} from jsonb_array_elements($1::jsonb) as e`;
  const constantValues = fixed.map(([, v]) => v);
  return {
    table,
    columns,
    async write(rows) {
      // One at a time: pg queues a query sent while another runs, but that use is deprecated.
      for (let i = 0; i < rows.length; i += PG_ROWS) {
        // JSON writes an undefined in an array as null; a missing last value reads as NULL.
        const json = JSON.stringify(rows.slice(i, i + PG_ROWS));
        await conn.query({ text, values: [json, ...constantValues] });
      }
    },
    async close() {},
  };
}

/**
 * Each column's type, without its modifier: a value is cast to `character varying`, not to
 * `character varying(100)`, because an explicit cast to the latter would cut a long text short
 * where the INSERT refuses it.
 */
async function columnTypes(conn: PgConnection, table: string): Promise<Map<string, string>> {
  const result = (await conn.query({
    text: `select a.attname as name, format_type(a.atttypid, null) as type from pg_attribute a
           where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped`,
    values: [quote(table)],
  })) as { rows: { name: string; type: string }[] };
  return new Map(result.rows.map((r) => [r.name, r.type]));
}

/**
 * For a large load: drops the table's plain (non-unique) indexes and returns a function that
 * creates them again, exactly as they were. Keeping an index up to date row by row costs about
 * twice as much as building it once from the loaded table. Both happen inside the caller's
 * transaction, so a failed load leaves every index as it was. Unique indexes stay: they are what
 * refuses duplicates during the load.
 *
 * SQLite only, unless `postgres` is set: on PostgreSQL DROP INDEX locks the table against every
 * other workstation's reads until the transaction ends, which only an empty, new database (the
 * target of migrate-data) can afford.
 */
export async function deferIndexes(
  trx: Knex.Transaction,
  table: string,
  options: { postgres?: boolean } = {},
): Promise<() => Promise<void>> {
  let plain: { name: string; sql: string }[];
  if (isSqlite(trx)) {
    const indexes = (await trx.raw(
      `select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`,
      [table],
    )) as { name: string; sql: string }[];
    plain = indexes.filter((i) => !/^\s*create\s+unique\s/i.test(i.sql));
    for (const i of plain) await trx.raw(`drop index main.${quote(i.name)}`);
  } else {
    if (!options.postgres) return async () => undefined;
    const result = (await trx.raw(
      `select i.indexname as name, i.indexdef as sql from pg_indexes i
       where i.schemaname = current_schema() and i.tablename = ?
         and not exists (select 1 from pg_constraint c
                         where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
      [table],
    )) as { rows: { name: string; sql: string }[] };
    plain = result.rows.filter((i) => !/^\s*create\s+unique\s/i.test(i.sql));
    for (const i of plain) await trx.raw(`drop index ${quote(i.name)}`);
  }
  return async () => {
    for (const i of plain) await trx.raw(i.sql);
  };
}

/**
 * A large SQLite page cache on this connection for the length of a bulk load: rows land at
 * random places in the name, email and phone indexes, which the default 2 MB cache would read
 * from disk again and again.
 */
export async function enlargeSqliteCache(
  trx: Knex | Knex.Transaction,
  cacheKib = 512 * 1024,
): Promise<() => Promise<void>> {
  if (!isSqlite(trx)) return async () => undefined;
  const rows = (await trx.raw('PRAGMA cache_size')) as { cache_size: number }[];
  const before = Number(rows[0]?.cache_size);
  if (!Number.isSafeInteger(before)) return async () => undefined;
  await trx.raw(`PRAGMA cache_size = -${Math.floor(cacheKib)}`);
  return async () => {
    await trx.raw(`PRAGMA cache_size = ${before}`);
  };
}
