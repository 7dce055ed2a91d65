import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type DatabaseConfig =
  | { client: 'sqlite'; filename: string }
  | { client: 'pg'; connection: string | Knex.PgConnectionConfig };

/**
 * Creates the SQLite file (and its folder) readable by the OS user only, before SQLite opens it:
 * SQLite gives its -wal and -shm files the same permissions as the database file.
 */
function prepareSqliteFile(filename: string): void {
  fs.mkdirSync(path.dirname(filename), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(filename, 'a', 0o600);
  fs.closeSync(fd);
  fs.chmodSync(filename, 0o600);
}

interface SqliteConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
}

export function connect(config: DatabaseConfig): Knex {
  if (config.client === 'sqlite') {
    prepareSqliteFile(config.filename);
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: config.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          const pragmas = [
            'PRAGMA journal_mode = WAL',
            'PRAGMA synchronous = NORMAL',
            'PRAGMA foreign_keys = ON',
            'PRAGMA busy_timeout = 5000',
          ];
          const next = (i: number): void => {
            if (i === pragmas.length) return done(null, conn);
            conn.run(pragmas[i]!, (err) => (err ? done(err, conn) : next(i + 1)));
          };
          next(0);
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: config.connection,
    pool: { min: 0, max: 8 },
  });
}

export function isSqlite(db: Knex): boolean {
  return db.client.config.client === 'sqlite3';
}

/**
 * The current time as the database sees it, as an SQL expression: in team mode the server's
 * clock orders records from several workstations; in SQLite it is this machine's clock.
 */
export function dbNow(db: Knex): Knex.Raw {
  return isSqlite(db) ? db.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`) : db.raw(`now()`);
}

/** Timestamps come back as Date from pg and as ISO text from SQLite: one shape for callers. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  throw new Error('unexpected timestamp value');
}
