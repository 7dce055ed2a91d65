/**
 * The bare baseline of a collection batch's send and recall on SQLite (issue 18): every statement
 * SQLite ran for the call, as it ran it, taken from SQLite's own trace (its bound values written
 * into the text), run again in the same order on a copy of the database made just before the call,
 * straight from the driver. That is the database's own work with nothing of the app around it: no
 * knex, no checks, no masking, no placement file.
 *
 * PostgreSQL has no such trace here, and a copy of its database (CREATE DATABASE ... TEMPLATE)
 * cannot be made while the backend holds connections to it: its batch rows have no baseline.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import sqlcipher from '@journeyapps/sqlcipher';
import type sqlite3 from 'sqlite3';
import type { DatabaseConfig } from '../../main/db/connect';
import { prepareConnection, type SqliteConnection } from '../../main/db/sqlcipher';

type SqliteConfig = Extract<DatabaseConfig, { client: 'sqlite' }>;

interface TracedConnection {
  on(event: 'trace', cb: (sql: string) => void): void;
  removeAllListeners(event: 'trace'): void;
}

/**
 * A copy of a SQLite database, open on a connection of its own, and the statements to run on it.
 * The copy's connection stays open from the copy to the last replay, and is warmed by the same
 * reads that warmed the backend's before the measured call (`warm`): a cold page cache would
 * make the baseline slower than the call it is the floor of.
 */
export class BatchReplay {
  private traced: string[] | null = null;

  private constructor(
    private readonly db: Knex,
    private readonly copy: sqlite3.Database,
    private readonly filename: string,
  ) {}

  /**
   * Copies the database as it is now: everything in the WAL is checkpointed into the file first,
   * so the file alone is the database (nothing else writes meanwhile: the bench runs one call at
   * a time).
   */
  static async copyOf(db: Knex, database: SqliteConfig): Promise<BatchReplay> {
    const rows = (await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')) as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    if (rows[0]?.busy !== 0) throw new Error('the database could not be checkpointed for its copy');
    const filename = `${database.filename}.replay`;
    fs.copyFileSync(database.filename, filename);
    return new BatchReplay(db, await open({ ...database, filename }), filename);
  }

  /** Runs `fn`, keeping the text of every statement SQLite runs meanwhile. */
  async trace<T>(fn: () => Promise<T>): Promise<T> {
    const conn = (await this.db.client.acquireConnection()) as TracedConnection;
    this.db.client.releaseConnection(conn);
    const statements: string[] = [];
    // A trigger's own program is traced as a comment naming it: it runs again with its statement.
    conn.on('trace', (sql) => {
      if (!sql.startsWith('--')) statements.push(sql);
    });
    try {
      return await fn();
    } finally {
      // The trace reaches JavaScript after its statement: one more statement, then a turn of the
      // event loop, and every one of the call's is here.
      await this.db.raw('select 1');
      await new Promise((resolve) => setImmediate(resolve));
      conn.removeAllListeners('trace');
      this.traced = statements;
    }
  }

  /** Runs `fn` (reads before the measured call), then its statements on the copy, untimed. */
  async warm<T>(fn: () => Promise<T>): Promise<T> {
    const value = await this.trace(fn);
    await this.replay();
    return value;
  }

  /** Runs the statements last traced on the copy, one after the other; answers the time (ms). */
  async replay(): Promise<number> {
    const statements = this.traced;
    if (!statements || statements.length === 0) throw new Error('no statement was traced');
    this.traced = null;
    const started = performance.now();
    for (const sql of statements) {
      await new Promise<void>((resolve, reject) =>
        this.copy.exec(sql, (e) => (e ? reject(e) : resolve())),
      );
    }
    return performance.now() - started;
  }

  /** Answers `sql`'s rows on the copy (to check that the replay did what the call did). */
  read(sql: string): Promise<unknown[]> {
    return new Promise<unknown[]>((resolve, reject) =>
      this.copy.all(sql, (e: Error | null, rows: unknown[]) => (e ? reject(e) : resolve(rows))),
    );
  }

  /** Closes the copy and removes it. */
  async remove(): Promise<void> {
    await new Promise((resolve) => this.copy.close(resolve));
    for (const suffix of ['', '-wal', '-shm']) {
      fs.rmSync(`${this.filename}${suffix}`, { force: true });
    }
  }
}

/** The copy, opened by the app's own engine with the app's own settings (and key). */
async function open(config: SqliteConfig): Promise<sqlite3.Database> {
  const driver = sqlcipher as unknown as typeof sqlite3;
  const db = new driver.Database(config.filename);
  await prepareConnection(db as unknown as SqliteConnection, config.key);
  return db;
}
