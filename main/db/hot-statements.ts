/**
 * The few statements every read of customer data runs (a page of the accounts list, an account's
 * detail, and the access-log entry each of them writes), run with as little in between as the
 * engine allows.
 *
 * On SQLite they go to a connection of their own (same file, same settings) that keeps each
 * statement prepared for the next call. Through knex each of them cost about 0.3 ms more than
 * the statement itself: its pool passes the one connection from query to query through promises
 * and timers, and node-sqlite3 prepares and finalizes a statement per query, each a trip through
 * libuv's thread pool and back. A list call is two statements, so that was a third of its time.
 * WAL mode lets this connection read while the other writes; its writes (access-log entries)
 * wait for the other's, as they waited for knex's pool before.
 *
 * On PostgreSQL the statements simply run through knex: its pool has several connections, and
 * the network costs more than knex does.
 *
 * Only statements that run to completion go here (every row read, or a write), so that no
 * prepared statement keeps a read transaction open between calls. Never call these from inside
 * a transaction on the other connection: they would wait for it to end.
 */
import type { Knex } from 'knex';
import sqlite3 from 'sqlite3';
import { isSqlite } from './connect';

type Statement = Knex.QueryBuilder | Knex.Raw;

/** Statements run inside one transaction of `HotStatements.transaction`. */
export interface HotTransaction {
  all(query: Knex.QueryBuilder): Promise<Record<string, unknown>[]>;
  /** Answers the number of rows the write changed. */
  run(query: Statement): Promise<number>;
}

export interface HotStatements extends HotTransaction {
  /**
   * Runs `work` in one transaction. Writes through `run` wait until it has ended, so that the
   * writes of this connection never wait on each other inside SQLite (whose busy handler waits
   * in steps of milliseconds).
   */
  transaction<T>(work: (tx: HotTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Prepared statements kept per connection; the list has a few dozen shapes per role. */
const CACHED_STATEMENTS = 128;
/**
 * How long a write waits for another connection's transaction (an import of a million rows
 * takes about 20 s): as long as a query waited for knex's pool before this connection existed.
 */
const BUSY_TIMEOUT_MS = 60_000;

/** This connection's page cache. */
const CACHE_KIB = 64 * 1024;

export async function openHotStatements(db: Knex): Promise<HotStatements> {
  if (!isSqlite(db)) return knexStatements(db);
  const filename = (db.client.config as { connection: { filename: string } }).connection.filename;
  return SqliteHotStatements.open(filename);
}

/** What pg answers a write with: a row count (a builder's update or delete), or a result. */
function changed(result: unknown): number {
  if (typeof result === 'number') return result;
  const count = (result as { rowCount?: unknown } | null)?.rowCount;
  return typeof count === 'number' ? count : 0;
}

function knexStatements(db: Knex): HotStatements {
  return {
    all: async (query) => (await query) as Record<string, unknown>[],
    run: async (query) => changed(await query),
    transaction: (work) =>
      db.transaction((trx) =>
        work({
          all: async (query) => (await query.transacting(trx)) as Record<string, unknown>[],
          run: async (query) => changed(await query.transacting(trx)),
        }),
      ),
    close: () => Promise.resolve(),
  };
}

class SqliteHotStatements implements HotStatements {
  /** Most recently used last; promises, so that two callers never prepare the same twice. */
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();
  private closed = false;
  /** Settles when the transaction under way (if any) has ended. */
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly connection: sqlite3.Database) {}

  static async open(filename: string): Promise<SqliteHotStatements> {
    const connection = await new Promise<sqlite3.Database>((resolve, reject) => {
      const c = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE, (err) =>
        err ? reject(err) : resolve(c),
      );
    });
    const hot = new SqliteHotStatements(connection);
    try {
      // The settings knex's connection has (main/db/connect.ts), and a longer wait for writes.
      for (const pragma of [
        'PRAGMA journal_mode = WAL',
        'PRAGMA synchronous = NORMAL',
        'PRAGMA foreign_keys = ON',
        `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`,
        // Pages of the accounts table and its indexes, kept between calls (SQLite's default
        // is 2 MiB): a page of the list in name order reads rows from all over the table.
        `PRAGMA cache_size = -${CACHE_KIB}`,
      ]) {
        await new Promise<void>((resolve, reject) =>
          connection.run(pragma, (err) => (err ? reject(err) : resolve())),
        );
      }
    } catch (err) {
      await hot.close();
      throw err;
    }
    return hot;
  }

  async all(query: Knex.QueryBuilder): Promise<Record<string, unknown>[]> {
    const { sql, bindings } = query.toSQL().toNative();
    const statement = await this.statement(sql);
    return new Promise((resolve, reject) =>
      statement.all(bindings, (err, rows: Record<string, unknown>[]) =>
        err ? reject(err) : resolve(rows),
      ),
    );
  }

  async run(query: Statement): Promise<number> {
    await this.writes;
    return this.write(query);
  }

  transaction<T>(work: (tx: HotTransaction) => Promise<T>): Promise<T> {
    const done = this.writes.then(async () => {
      // IMMEDIATE: the write lock now, so a busy database fails here, not halfway through.
      await this.exec('BEGIN IMMEDIATE');
      try {
        const result = await work({ all: (q) => this.all(q), run: (q) => this.write(q) });
        await this.exec('COMMIT');
        return result;
      } catch (err) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.writes = done.catch(() => undefined);
    return done;
  }

  private async write(query: Statement): Promise<number> {
    const { sql, bindings } = query.toSQL().toNative();
    const statement = await this.statement(sql);
    return new Promise((resolve, reject) =>
      statement.run(bindings, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve(this.changes);
      }),
    );
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.connection.run(sql, (err) => (err ? reject(err) : resolve())),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const statements = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    for (const s of statements) {
      if (s.status === 'fulfilled') await new Promise<void>((r) => s.value.finalize(() => r()));
    }
    await new Promise<void>((resolve, reject) =>
      this.connection.close((err) => (err ? reject(err) : resolve())),
    );
  }

  private statement(sql: string): Promise<sqlite3.Statement> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
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
}
