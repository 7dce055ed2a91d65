/**
 * The bare-SQL baseline: a statement run straight by the database driver, on a connection of
 * its own, prepared once (SQLite) or sent as is (PostgreSQL): no knex, no backend. The time of
 * the same statement the backend ran, with nothing around it.
 */
import pg from 'pg';
import sqlcipher from '@journeyapps/sqlcipher';
import sqlite3 from 'sqlite3';
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../../main/db/connect';
import { parseDatabaseUrl } from '../../main/db/database-url';

export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

export interface BareSql {
  all(statement: Statement): Promise<unknown[]>;
  close(): Promise<void>;
}

/** The statements `fn` runs through the backend's hot path, in native placeholder form. */
export async function capture<T>(
  hot: { all(query: Knex.QueryBuilder): Promise<Record<string, unknown>[]> },
  fn: () => Promise<T>,
): Promise<[Statement[], T]> {
  const statements: Statement[] = [];
  const all = hot.all.bind(hot);
  hot.all = (query) => {
    const { sql, bindings } = query.toSQL().toNative();
    statements.push({ sql, bindings });
    return all(query);
  };
  try {
    return [statements, await fn()];
  } finally {
    hot.all = all;
  }
}

export async function openBare(database: DatabaseConfig): Promise<BareSql> {
  if (database.client === 'sqlite') {
    // The encrypted engine's baseline is the same statement on SQLCipher, keyed first.
    const driver = (database.key ? sqlcipher : sqlite3) as typeof sqlite3;
    const db = new driver.Database(database.filename, driver.OPEN_READONLY);
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
