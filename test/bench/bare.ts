/**
 * The bare-SQL baseline: a statement run straight by the database driver, on a connection of
 * its own, prepared once (SQLite) or sent as is (PostgreSQL): no knex, no backend. The time of
 * the same statement the backend ran, with nothing around it.
 */
import pg from 'pg';
import sqlcipher from '@journeyapps/sqlcipher';
import type sqlite3 from 'sqlite3';
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../../main/db/connect';
import { parseDatabaseUrl } from '../../main/db/database-url';

export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

export interface BareSql {
  /** A read, or (on a connection opened for writing) a write. */
  all(statement: Statement): Promise<unknown[]>;
  close(): Promise<void>;
}

type HotQuery = Knex.QueryBuilder | Knex.Raw;

/**
 * The statements `fn` runs through the backend's hot path, in native placeholder form: the
 * reads, and the writes (the access-log entry each read of customer data makes).
 */
export async function capture<T>(
  hot: {
    all(query: HotQuery): Promise<Record<string, unknown>[]>;
    run(query: HotQuery): Promise<number>;
  },
  fn: () => Promise<T>,
): Promise<[Statement[], T, Statement[]]> {
  const statements: Statement[] = [];
  const writes: Statement[] = [];
  // The methods as they are (the prototype's), put back as they were: restoring a bound copy
  // instead added a layer of binding per call captured, and after the 13,000 calls of the capture
  // passes every later call went through 13,000 bound functions (about 1 ms).
  const all = hot.all;
  const run = hot.run;
  const own = { all: Object.hasOwn(hot, 'all'), run: Object.hasOwn(hot, 'run') };
  hot.all = (query) => {
    const { sql, bindings } = query.toSQL().toNative();
    statements.push({ sql, bindings });
    return all.call(hot, query);
  };
  hot.run = (query) => {
    const { sql, bindings } = query.toSQL().toNative();
    writes.push({ sql, bindings });
    return run.call(hot, query);
  };
  try {
    const value = await fn();
    return [statements, value, writes];
  } finally {
    if (own.all) hot.all = all;
    else delete (hot as { all?: unknown }).all;
    if (own.run) hot.run = run;
    else delete (hot as { run?: unknown }).run;
  }
}

export async function openBare(
  database: DatabaseConfig,
  mode: 'read' | 'write' = 'read',
): Promise<BareSql> {
  if (database.client === 'sqlite') {
    // The app's own engine (the SQLCipher build, keyed first when the database is encrypted).
    // Never a second SQLite library in this process: two copies of SQLite on one file do not see
    // each other's locks, and the writer's INSERTs corrupted the file when they were.
    const driver = sqlcipher as unknown as typeof sqlite3;
    const db = new driver.Database(
      database.filename,
      mode === 'read' ? driver.OPEN_READONLY : driver.OPEN_READWRITE,
    );
    // The backend's connection may be checkpointing when the writer's INSERT comes.
    db.configure('busyTimeout', 5000);
    if (database.key) {
      const key = database.key.toString('hex');
      await new Promise<void>((resolve, reject) =>
        db.run(`PRAGMA key = "x'${key}'"`, (err) => (err ? reject(err) : resolve())),
      );
    }
    const prepared = new Map<string, sqlite3.Statement>();
    return {
      all: ({ sql, bindings }) => {
        let s = prepared.get(sql);
        if (!s) {
          s = db.prepare(sql);
          prepared.set(sql, s);
        }
        const statement = s;
        return new Promise((resolve, reject) =>
          statement.all([...bindings], (err, rows: unknown[]) =>
            err ? reject(err) : resolve(rows),
          ),
        );
      },
      close: async () => {
        for (const s of prepared.values()) await new Promise((r) => s.finalize(() => r(null)));
        await new Promise((r) => db.close(() => r(null)));
      },
    };
  }
  const connection =
    typeof database.connection === 'string'
      ? parseDatabaseUrl(database.connection).connection
      : database.connection;
  const client = new pg.Client(connection as pg.ClientConfig);
  await client.connect();
  return {
    all: async ({ sql, bindings }) => (await client.query(sql, [...bindings])).rows as unknown[],
    close: () => client.end(),
  };
}
