/**
 * The embedded engine: knex's own SQLite client with SQLCipher (@journeyapps/sqlcipher, a build
 * of the same node-sqlite3 API) as its driver, and the set-up every connection gets before its
 * first statement: the key, a check that SQLCipher is there and that the key opens the file, then
 * the engine's PRAGMAs.
 */
import sqlcipher from '@journeyapps/sqlcipher';
import ClientSQLite3 from 'knex/lib/dialects/sqlite3/index.js';

/** knex's sqlite3 dialect, whose driver is SQLCipher. Same dialect name, so every branch holds. */
export class ClientSQLCipher extends ClientSQLite3 {
  /**
   * Opens another connection to this client's file, keyed and set up as the pool's own
   * (connect() sets it): for work that must not wait in the pool's one-connection queue.
   */
  openSibling: (() => Promise<sqlcipher.Database>) | null = null;
  /** Work on sibling connections, awaited before the client closes: nothing outlives it. */
  readonly background = new Set<Promise<unknown>>();

  _driver(): unknown {
    return sqlcipher;
  }

  override async destroy(callback?: unknown): Promise<unknown> {
    await Promise.allSettled([...this.background]);
    return super.destroy(callback);
  }
}

/** A connection of the driver's own, opened and set up with `key` like the pool's. */
export async function openConnection(
  filename: string,
  key: Buffer | null,
): Promise<sqlcipher.Database> {
  const conn = await new Promise<sqlcipher.Database>((resolve, reject) => {
    const db = new sqlcipher.Database(filename, (err) => (err ? reject(err) : resolve(db)));
  });
  try {
    await prepareConnection(conn, key);
    return conn;
  } catch (err) {
    conn.close(() => undefined);
    throw err;
  }
}

export const DATA_KEY_BYTES = 32;

/** The database would not open with the key given (a wrong key, or a damaged or foreign file). */
export class DatabaseKeyError extends Error {
  override name = 'DatabaseKeyError';
}

/** No SQLCipher under the driver: refusing beats writing customer data in clear. */
export class NoCipherError extends Error {
  override name = 'NoCipherError';
}

export interface SqliteConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
  get(sql: string, cb: (err: Error | null, row: Record<string, unknown> | undefined) => void): void;
}

/** The engine's settings, on every connection, after the key. */
const ENGINE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  // Sorts and temporary tables stay in memory: no temporary file can hold a value in clear.
  'PRAGMA temp_store = MEMORY',
  // Up to 64 MB of pages kept in the page cache (SQLite's default is 2 MB): an encrypted page is
  // decrypted and its HMAC checked each time it enters the cache, so a cache that holds the hot
  // indexes is what keeps encryption's cost small on reads (see the bench's sqlcipher rows).
  'PRAGMA cache_size = -65536',
];

function run(conn: SqliteConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
}

function get(conn: SqliteConnection, sql: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) =>
    conn.get(sql, (err, row) => (err ? reject(err) : resolve(row))),
  );
}

/**
 * Keys a new connection (the key first: SQLCipher reads the first page with whatever key it has
 * when the first statement runs), proves the key opens the file, then sets the engine PRAGMAs.
 * Without a key (a plaintext file being upgraded) only the PRAGMAs are set.
 */
export async function prepareConnection(conn: SqliteConnection, key: Buffer | null): Promise<void> {
  if (key) {
    if (key.length !== DATA_KEY_BYTES) throw new Error('the data key must be 32 bytes');
    await run(conn, `PRAGMA key = "x'${key.toString('hex')}'"`);
    // SQLCipher logs a failed page check to stderr; the error below says it in words instead.
    await run(conn, 'PRAGMA cipher_log_level = NONE');
    const version = await get(conn, 'PRAGMA cipher_version');
    if (!version?.cipher_version) {
      throw new NoCipherError(
        'The SQLite driver has no SQLCipher: the database cannot be encrypted.',
      );
    }
    try {
      await get(conn, 'SELECT count(*) AS n FROM sqlite_master');
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new DatabaseKeyError(
          'The key does not open this database file: the file is damaged, or it belongs to another key file.',
        );
      }
      throw err;
    }
  }
  for (const pragma of ENGINE_PRAGMAS) await run(conn, pragma);
}
