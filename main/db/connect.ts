import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { parseDatabaseUrl } from './database-url';
import {
  ClientSQLCipher,
  openConnection,
  prepareConnection,
  type SqliteConnection,
} from './sqlcipher';

export type DatabaseConfig =
  /**
   * The embedded file, encrypted by SQLCipher with `key` (the 32-byte data key, see main/keys).
   * `key: null` opens a plaintext file: only the upgrade to encryption and its tests do that.
   */
  | { client: 'sqlite'; filename: string; key: Buffer | null }
  /** A string is a postgres:// URL, read by parseDatabaseUrl (its sslmode included). */
  | { client: 'pg'; connection: string | Knex.PgConnectionConfig };

/** Where a database is, before its key is known (the workstation's stored choice). */
export type DatabaseLocation =
  { client: 'sqlite'; filename: string } | Extract<DatabaseConfig, { client: 'pg' }>;

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

/**
 * knex prints its warnings (pool errors with stack traces, which can quote SQL and bound values)
 * with console.log; Custodian reports failures itself, by kind, so they are dropped.
 */
export const QUIET_KNEX_LOG = {
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  deprecate: () => undefined,
};

export function connect(config: DatabaseConfig): Knex {
  if (config.client === 'sqlite') {
    prepareSqliteFile(config.filename);
    const key = config.key;
    const db = knexFactory({
      client: ClientSQLCipher,
      connection: { filename: config.filename },
      useNullAsDefault: true,
      log: QUIET_KNEX_LOG,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          prepareConnection(conn, key).then(
            () => done(null, conn),
            (err: Error) => done(err, conn),
          );
        },
      },
    });
    const filename = config.filename;
    (db.client as ClientSQLCipher).openSibling = () => openConnection(filename, key);
    return db;
  }
  const connection =
    typeof config.connection === 'string'
      ? parseDatabaseUrl(config.connection).connection
      : config.connection;
  return knexFactory({
    client: 'pg',
    connection: { application_name: 'custodian', ...connection, types: PG_TYPES },
    pool: { min: 0, max: 8 },
    log: QUIET_KNEX_LOG,
  });
}

const PG_INT8 = 20;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

/**
 * bigint (money in minor units, counters, count(*)) comes back from pg as text by default; SQLite
 * gives numbers. Parse it to a number here so callers see one shape, and refuse a value a number
 * cannot hold exactly rather than round it (never floats for money).
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`bigint ${text} is outside the range Custodian handles exactly`);
  }
  return n;
}

/**
 * Timestamps come back from pg as Date and from SQLite as the ISO text the app wrote. Turn pg's
 * into the same ISO text here, so stores and services above see one shape on both engines.
 */
function timestampParser(oid: number): (text: string) => string {
  const parseDate = pg.types.getTypeParser(oid, 'text') as (text: string) => Date;
  return (text) => parseDate(text).toISOString();
}
const PG_TIMESTAMP_PARSERS = new Map(
  [PG_TIMESTAMP, PG_TIMESTAMPTZ].map((oid) => [oid, timestampParser(oid)]),
);

/** Per-connection type parsers: pg's global parser registry is left as it is. */
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: string) => {
    if ((format ?? 'text') !== 'text') return pg.types.getTypeParser(oid, format as 'binary');
    if (oid === PG_INT8) return parseInt8;
    return PG_TIMESTAMP_PARSERS.get(oid) ?? pg.types.getTypeParser(oid, 'text');
  }) as Knex.PgGetTypeParser,
};

export function isSqlite(db: Knex): boolean {
  return (db.client as { dialect?: string }).dialect === 'sqlite3';
}

/**
 * The current time as the database sees it, as an SQL expression: in team mode the server's
 * clock orders records from several workstations; in SQLite it is this machine's clock.
 * Both engines give the same ISO-8601 UTC text with milliseconds (`2026-11-25T09:00:00.000Z`),
 * the shape timestamps are stored in, so text order is time order on both. On PostgreSQL it is
 * the transaction's start time: every record one transaction writes carries the same time.
 */
export function dbNow(db: Knex): Knex.Raw {
  return isSqlite(db)
    ? db.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`)
    : db.raw(`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** Timestamps are ISO text on both engines; a Date (a timestamptz column) is converted too. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  throw new Error('unexpected timestamp value');
}
