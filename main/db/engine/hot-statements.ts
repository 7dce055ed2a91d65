/**
 * The few statements every read of customer data runs (a page of the accounts list, an account's
 * detail, and the access-log entry each of them writes), run with as little in between as the
 * engine allows.
 *
 * On SQLite each is kept prepared on knex's own connection, taken from its pool like any query
 * (so it waits for a transaction under way). Through knex each cost about 0.3 ms more than the
 * statement itself: node-sqlite3 prepares and finalizes a statement per query, each a trip
 * through libuv's thread pool and back. A list call is two statements, so that was a third of
 * its time. One connection on purpose: a second one for the reads lost its page cache whenever
 * the first wrote (every read writes an access-log entry), and made them two-thirds slower; a
 * second one for the writes made each connection's writes wait for the other's inside SQLite,
 * whose busy handler sleeps in steps of milliseconds.
 *
 * On PostgreSQL the statements simply run through knex: its pool has several connections, and
 * the network costs more than knex does.
 *
 * Only statements that run to completion go here (every row read, or a write), so that no
 * prepared statement keeps a read transaction open between calls.
 */
import type { Knex } from 'knex';
import type sqlite3 from 'sqlite3';
import { isSqlite } from '../connect';

type Statement = Knex.QueryBuilder | Knex.Raw;

export interface HotStatements {
  /** Every row of a select. */
  all(query: Statement): Promise<Record<string, unknown>[]>;
  /** A write, outside any transaction; answers the number of rows it changed. */
  run(query: Statement): Promise<number>;
  close(): Promise<void>;
}

/** Prepared statements kept per connection; the list has a few dozen shapes per role. */
const CACHED_STATEMENTS = 128;

export function openHotStatements(db: Knex): HotStatements {
  return isSqlite(db) ? new SqliteHotStatements(db) : knexStatements();
}

/** What pg answers a write with: a row count (a builder's update or delete), or a result. */
function changed(result: unknown): number {
  if (typeof result === 'number') return result;
  const count = (result as { rowCount?: unknown } | null)?.rowCount;
  return typeof count === 'number' ? count : 0;
}

/** The statements simply run through knex (PostgreSQL's, and a store's without the engine's). */
export function knexStatements(): HotStatements {
  return {
    // A builder answers its rows; a raw select answers pg's result, which holds them.
    all: async (query) => {
      const result = (await query) as
        Record<string, unknown>[] | { rows: Record<string, unknown>[] };
      return Array.isArray(result) ? result : result.rows;
    },
    run: async (query) => changed(await query),
    close: () => Promise.resolve(),
  };
}

/** Statements prepared on one connection, the most recently used kept. */
class PreparedStatements {
  /** Most recently used last; promises, so that two callers never prepare the same twice. */
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();

  constructor(readonly connection: sqlite3.Database) {}

  get(sql: string): Promise<sqlite3.Statement> {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = new Promise<sqlite3.Statement>((resolve, reject) => {
      const s = this.connection.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
    });
    this.statements.set(sql, statement);
    // A statement that does not prepare is not kept: the caller gets the error.
    statement.catch(() => this.statements.delete(sql));
    if (this.statements.size > CACHED_STATEMENTS) {
      const [oldest, old] = this.statements.entries().next().value as [
        string,
        Promise<sqlite3.Statement>,
      ];
      this.statements.delete(oldest);
      // node-sqlite3 finalizes after the statement's queued work.
      old.then((s) => s.finalize()).catch(() => undefined);
    }
    return statement;
  }

  async finalizeAll(): Promise<void> {
    const statements = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    for (const s of statements) {
      if (s.status === 'fulfilled') await new Promise<void>((r) => s.value.finalize(() => r()));
    }
  }
}

class SqliteHotStatements implements HotStatements {
  /** knex's connection (it keeps one, for the life of the pool) and its prepared statements. */
  private prepared: { connection: unknown; statements: PreparedStatements } | null = null;
  private closed = false;

  constructor(private readonly db: Knex) {}

  async all(query: Statement): Promise<Record<string, unknown>[]> {
    return this.onKnexConnection(
      query,
      (statement, bindings) =>
        new Promise((resolve, reject) =>
          statement.all(bindings, (err, rows: Record<string, unknown>[]) =>
            err ? reject(err) : resolve(rows),
          ),
        ),
    );
  }

  run(query: Statement): Promise<number> {
    return this.onKnexConnection(
      query,
      (statement, bindings) =>
        new Promise<number>((resolve, reject) =>
          statement.run(bindings, function (this: sqlite3.RunResult, err: Error | null) {
            if (err) reject(err);
            else resolve(this.changes);
          }),
        ),
    );
  }

  /** Runs a statement, prepared once, on knex's connection while holding it from the pool. */
  private async onKnexConnection<T>(
    query: Statement,
    use: (statement: sqlite3.Statement, bindings: readonly unknown[]) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new Error('the database is closed');
    const { sql, bindings } = query.toSQL().toNative();
    const client = this.db.client as {
      acquireConnection(): Promise<unknown>;
      releaseConnection(connection: unknown): Promise<unknown>;
    };
    const connection = await client.acquireConnection();
    try {
      // Should knex ever replace its connection, statements are prepared on the new one.
      let prepared = this.prepared;
      if (!prepared || prepared.connection !== connection) {
        await prepared?.statements.finalizeAll();
        prepared = {
          connection,
          statements: new PreparedStatements(connection as sqlite3.Database),
        };
        this.prepared = prepared;
      }
      return await use(await prepared.statements.get(sql), bindings);
    } finally {
      await client.releaseConnection(connection);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Finalized before knex closes its connection (the caller destroys knex after this).
    await this.prepared?.statements.finalizeAll();
  }
}
