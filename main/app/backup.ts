/**
 * Backups of the embedded database (issue 14): an online copy that stays encrypted under the
 * database's data key, its key file beside it (wrapped: it opens with the recovery key on another
 * machine), and a manifest stating what it holds and its SHA-256. Written under temporary names
 * and renamed into place, so a crash never leaves a half backup under a backup's name, and an
 * existing backup is never overwritten.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fsyncPath, writeFileSynced } from '../fsync';
import { recordKeyEvent, type KeyEvent } from '../db/stores/key-events';
import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { copyInto, databaseFacts, integrityOk, type DatabaseFacts } from '../db/backup';
import { connect } from '../db/connect';
import { keyFileFor } from '../keys/key-file';

export const manifestSchema = z.object({
  format: z.literal('custodian-backup/1'),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.string(),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  chainHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** SHA-256 of the backup file's bytes (the encrypted file as it lies on disk). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export class BackupError extends Error {
  override name = 'BackupError';
}

export const manifestFileFor = (backup: string) => `${backup}.manifest.json`;

/** Crash points for the backup's kill -9 test (CUSTODIAN_TEST_FAULT); unset, nothing happens. */
export type BackupFault = 'backup-after-copy' | 'backup-before-rename';

function fault(name: BackupFault): void {
  if (process.env.CUSTODIAN_TEST_FAULT === name) process.kill(process.pid, 'SIGKILL');
}

/** `custodian-2026-12-06T230102Z.sqlite` in the folder: sorts by time, never collides in a run. */
export function defaultBackupFile(folder: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(folder, `custodian-${stamp}.sqlite`);
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Opens a database file with `key`, runs `fn`, closes it. */
export async function withFile<T>(file: string, key: Buffer, fn: (db: Knex) => Promise<T>) {
  const db = connect({ client: 'sqlite', filename: file, key });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Opens the copy as a restore would, and states what it holds (refused if not whole). */
export async function checkedFacts(file: string, key: Buffer): Promise<DatabaseFacts> {
  return withFile(file, key, async (db) => {
    if (!(await integrityOk(db))) throw new BackupError(`${file} fails its integrity check.`);
    return databaseFacts(db);
  });
}

export interface MadeBackup {
  file: string;
  manifest: BackupManifest;
}

/**
 * Copies the open database `db` (the file `databaseFile`, keyed with `key`) to `to`, with its key
 * file and manifest. The live database keeps working while the copy is made.
 */
export async function createBackup(
  db: Knex,
  opts: {
    databaseFile: string;
    key: Buffer;
    to: string;
    appVersion: string;
    now: Date;
    /** Who asked (null: no one signed in), and by which way: every backup is recorded. */
    by: { actorId: string | null; via: KeyEvent['via'] };
  },
): Promise<MadeBackup> {
  const { to } = opts;
  const manifestFile = manifestFileFor(to);
  for (const f of [to, manifestFile, keyFileFor(to)]) {
    if (fs.existsSync(f)) throw new BackupError(`${f} exists already: choose another file name.`);
  }
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
  const temp = `${to}.partial`;
  for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) fs.rmSync(f, { force: true });
  // Made empty first, for this user only: VACUUM INTO fills an empty file.
  fs.closeSync(fs.openSync(temp, 'w', 0o600));
  await copyInto(db, temp);
  fault('backup-after-copy');
  const facts = await checkedFacts(temp, opts.key);
  fsyncPath(temp);
  const manifest: BackupManifest = {
    format: 'custodian-backup/1',
    createdAt: opts.now.toISOString(),
    appVersion: opts.appVersion,
    ...facts,
    sha256: sha256File(temp),
  };
  // The key file (wrapped only) travels with the backup; then the backup, then its manifest.
  writeFileSynced(`${keyFileFor(to)}.partial`, fs.readFileSync(keyFileFor(opts.databaseFile)));
  writeFileSynced(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  fault('backup-before-rename');
  fs.renameSync(`${keyFileFor(to)}.partial`, keyFileFor(to));
  fs.renameSync(temp, to);
  fs.renameSync(`${manifestFile}.partial`, manifestFile);
  fsyncPath(path.dirname(to));
  await recordKeyEvent(
    db,
    {
      event: 'backup',
      actorId: opts.by.actorId,
      via: opts.by.via,
      detail: { file: to, sha256: manifest.sha256, chainHead: manifest.chainHead },
    },
    opts.now,
  );
  return { file: to, manifest };
}

export function readManifest(backup: string): BackupManifest {
  const file = manifestFileFor(backup);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BackupError(
      code === 'ENOENT'
        ? `The backup's manifest ${file} is missing: a backup is restored only with its manifest.`
        : `The backup's manifest ${file} is not readable JSON.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupError(
      `The backup's manifest ${file} is not valid (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

/** Backups in a folder beyond the newest `keep` are deleted (with their manifest and key file). */
export function pruneBackups(folder: string, keep: number): string[] {
  if (!fs.existsSync(folder)) return [];
  const backups = fs
    .readdirSync(folder)
    .filter((f) => /^custodian-\d{4}-\d{2}-\d{2}T\d{6}Z\.sqlite$/.test(f))
    .sort()
    .reverse();
  const removed = backups.slice(keep).map((f) => path.join(folder, f));
  for (const f of removed) {
    for (const part of [f, manifestFileFor(f), keyFileFor(f)]) fs.rmSync(part, { force: true });
  }
  return removed;
}
