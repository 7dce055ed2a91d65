/**
 * Fast multi-row INSERTs inside a caller's transaction, for the import, the seeder and
 * migrate-data. knex's own batch insert is slow at this scale (it rebuilds and re-scans the SQL
 * text of every statement, and caps SQLite batches at 500 rows), so this talks to the
 * transaction's own driver connection:
 *
 * - SQLite: one prepared statement of ROWS_PER_STATEMENT rows (and one for the remainder),
 *   prepared once and run again and again with new values, queued without waiting for each;
 *   each row travels as one JSON array.
 * - PostgreSQL: one statement per chunk that takes the whole chunk as a single JSON parameter
 *   (`json_populate_recordset`), so the server converts every value with its own column type.
 *
 * Values are written as given: callers validate them first. Nothing here logs or echoes a value.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../../db/connect';

/** SQLite's limit on bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export const MAX_BOUND_VALUES = 32_766;
/** Rows per prepared SQLite statement. */
export const ROWS_PER_STATEMENT = Number(process.env.CUSTODIAN_BULK_ROWS) || 64;

interface SqliteStatement {
  run(params: unknown[], cb: (err: Error | null) => void): void;
  finalize(cb: (err: Error | null) => void): void;
}
interface SqliteConnection {
  prepare(sql: string, cb: (err: Error | null) => void): SqliteStatement;
}
interface PgConnection {
  query(config: { text: string; values: unknown[]; name?: string }): Promise<unknown>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes rows of one table in order. `write` queues a chunk and resolves when it is in the
 * database (inside the transaction); `close` releases prepared statements and must be called
 * (in a finally) before the transaction ends.
 */
export interface BulkTable {
  readonly table: string;
  readonly columns: readonly string[];
  write(rows: readonly (readonly unknown[])[]): Promise<void>;
  close(): Promise<void>;
}

export async function bulkTable(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
): Promise<BulkTable> {
  const connection: unknown = await trx.client.acquireConnection();
  return isSqlite(trx)
    ? sqliteTable(connection as SqliteConnection, table, columns)
    : pgTable(connection as PgConnection, table, columns);
}

function sqliteTable(
  conn: SqliteConnection,
  table: string,
  columns: readonly string[],
): BulkTable {
  // Each row is bound as one JSON array and taken apart by SQLite (`->>` keeps JSON numbers
  // numbers and null NULL): node-sqlite3 converts every bound value on the main thread at a
  // cost of about a microsecond, so 36 values per row cost more than the rest of an import.
  const picks = columns.map((_, i) => `column1 ->> ${i}`).join(', ');
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select ${picks} from (values `;
  const statements = new Map<number, Promise<SqliteStatement>>();
  const prepare = (rows: number): Promise<SqliteStatement> => {
    let statement = statements.get(rows);
    if (!statement) {
      statement = new Promise<SqliteStatement>((resolve, reject) => {
        const s = conn.prepare(`${head}${Array<string>(rows).fill('(?)').join(', ')})`, (err) =>
          err ? reject(err) : resolve(s),
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

  return {
    table,
    columns,
    async write(rows) {
      const full = Math.floor(rows.length / ROWS_PER_STATEMENT) * ROWS_PER_STATEMENT;
      const runs: Promise<void>[] = [];
      if (full > 0) {
        const s = await prepare(ROWS_PER_STATEMENT);
        for (let i = 0; i < full; i += ROWS_PER_STATEMENT) {
          runs.push(run(s, jsonRows(rows, i, ROWS_PER_STATEMENT, columns.length)));
        }
      }
      if (full < rows.length) {
        const rest = rows.length - full;
        const s = await prepare(rest);
        runs.push(run(s, jsonRows(rows, full, rest, columns.length)));
      }
      // Every run settles before the first failure is reported, so none is left in flight.
      const results = await Promise.allSettled(runs);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
    async close() {
      const all = await Promise.allSettled(statements.values());
      statements.clear();
      for (const r of all) {
        if (r.status === 'fulfilled') {
          await new Promise<void>((resolve) => r.value.finalize(() => resolve()));
        }
      }
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
    out[r] = JSON.stringify(row.length === width ? row : Array.from({ length: width }, (_, i) => row[i] ?? null));
  }
  return out;
}

/** Rows per PostgreSQL statement: one JSON document per chunk of this many rows. */
const PG_ROWS_PER_STATEMENT = 5000;

function pgTable(conn: PgConnection, table: string, columns: readonly string[]): BulkTable {
  const list = columns.map(quote).join(', ');
  const text = `insert into ${quote(table)} (${list}) select ${list} from json_populate_recordset(null::${quote(table)}, $1::json)`;
  return {
    table,
    columns,
    async write(rows) {
      const runs: Promise<unknown>[] = [];
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
        const slice = rows.slice(i, i + PG_ROWS_PER_STATEMENT);
        runs.push(conn.query({ text, values: [toJson(columns, slice)] }));
      }
      const results = await Promise.allSettled(runs);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
    async close() {},
  };
}

/** A JSON array of objects keyed by column, built as text (faster than objects + stringify). */
function toJson(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const keys = columns.map((c) => `${JSON.stringify(c)}:`);
  const parts: string[] = [];
  for (const row of rows) {
    let s = '{';
    for (let c = 0; c < keys.length; c++) {
      const v = row[c];
      if (c > 0) s += ',';
      s += keys[c]! + (v === undefined || v === null ? 'null' : JSON.stringify(v));
    }
    parts.push(`${s}}`);
  }
  return `[${parts.join(',')}]`;
}
