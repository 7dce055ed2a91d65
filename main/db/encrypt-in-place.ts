/**
 * Upgrade in place: a plaintext database of an earlier release becomes an SQLCipher file. The
 * copy is made beside it (ATTACH … KEY, sqlcipher_export), verified (integrity_check, the row
 * count of every table, the disclosure chain's head), synced, and renamed over the old file in
 * one step. A crash before the rename leaves the old file as it was (the next start converts it
 * again); after it, the new one. The old file's blocks are freed, not wiped (see SECURITY.md).
 */
import fs from 'node:fs';
import { fsyncPath } from '../fsync';
import path from 'node:path';
import sqlcipher from '@journeyapps/sqlcipher';
import { DATA_KEY_BYTES } from './sqlcipher';

/** The 16 bytes every plaintext SQLite file starts with; an SQLCipher file starts with its salt. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function isPlaintextSqlite(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** Crash points for the upgrade's kill -9 test (CUSTODIAN_TEST_FAULT); unset, nothing happens. */
export type EncryptFault =
  | 'encrypt-after-export'
  | 'encrypt-after-verify'
  | 'encrypt-before-rename'
  | 'encrypt-after-rename';

function fault(name: EncryptFault): void {
  if (process.env.CUSTODIAN_TEST_FAULT === name) process.kill(process.pid, 'SIGKILL');
}

type Row = Record<string, unknown>;

class Connection {
  private readonly db: sqlcipher.Database;
  private constructor(db: sqlcipher.Database) {
    this.db = db;
  }
  static open(file: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const db = new sqlcipher.Database(file, (err) =>
        err ? reject(err) : resolve(new Connection(db)),
      );
    });
  }
  run(sql: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.db.run(sql, (err) => (err ? reject(err) : resolve())),
    );
  }
  all(sql: string): Promise<Row[]> {
    return new Promise((resolve, reject) =>
      this.db.all(sql, (err, rows: Row[]) => (err ? reject(err) : resolve(rows))),
    );
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.db.close((err) => (err ? reject(err) : resolve())),
    );
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** What must be equal before and after: the rows of every table and the chain's head. */
async function fingerprint(db: Connection, schema: string): Promise<string> {
  const tables = await db.all(
    `SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  const counts: string[] = [];
  for (const { name } of tables) {
    const [row] = await db.all(`SELECT count(*) AS n FROM ${schema}.${quote(String(name))}`);
    counts.push(`${String(name)}=${String(row?.n)}`);
  }
  const hasHeads = tables.some((t) => t.name === 'audit_heads');
  const heads = hasHeads
    ? await db.all(`SELECT chain, seq, hash FROM ${schema}.audit_heads ORDER BY chain`)
    : [];
  return JSON.stringify({ counts, heads });
}

export class UpgradeError extends Error {
  override name = 'UpgradeError';
}

function removeIfThere(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Converts the plaintext database `file` to SQLCipher under `key`, verified, in one rename. */
export async function encryptInPlace(file: string, key: Buffer): Promise<void> {
  if (key.length !== DATA_KEY_BYTES) throw new Error('the data key must be 32 bytes');
  const temp = `${file}.encrypting`;
  for (const leftover of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) {
    removeIfThere(leftover);
  }
  // Made by us first, so that SQLite gives it (and its journal) this user's permissions only.
  fs.closeSync(fs.openSync(temp, 'w', 0o600));

  const source = await Connection.open(file);
  let before: string;
  try {
    // Everything in the WAL goes into the file, so that the file alone is the database.
    await source.run('PRAGMA wal_checkpoint(TRUNCATE)');
    const [version] = await source.all('PRAGMA user_version');
    await source.run(
      `ATTACH DATABASE ${sqlString(temp)} AS encrypted KEY "x'${key.toString('hex')}'"`,
    );
    await source.all(`SELECT sqlcipher_export('encrypted')`);
    await source.run(`PRAGMA encrypted.user_version = ${Number(version?.user_version ?? 0)}`);
    before = await fingerprint(source, 'main');
    const after = await fingerprint(source, 'encrypted');
    await source.run('DETACH DATABASE encrypted');
    if (before !== after) throw new UpgradeError('The encrypted copy does not hold the same rows.');
  } finally {
    await source.close();
  }
  fault('encrypt-after-export');

  // Opened again, as it will be used: keyed, whole, the same rows and chain head.
  const copy = await Connection.open(temp);
  try {
    await copy.run(`PRAGMA key = "x'${key.toString('hex')}'"`);
    const check = await copy.all('PRAGMA integrity_check');
    if (check.length !== 1 || check[0]?.integrity_check !== 'ok') {
      throw new UpgradeError('The encrypted copy fails its integrity check.');
    }
    if ((await fingerprint(copy, 'main')) !== before) {
      throw new UpgradeError('The encrypted copy does not hold the same rows.');
    }
  } finally {
    await copy.close();
  }
  fault('encrypt-after-verify');
  fsyncPath(temp);
  // The source closed cleanly, so its WAL is checkpointed; a stale one must not meet the new file.
  removeIfThere(`${file}-wal`);
  removeIfThere(`${file}-shm`);
  fault('encrypt-before-rename');
  fs.renameSync(temp, file);
  fsyncPath(path.dirname(file));
  fault('encrypt-after-rename');
}
