/**
 * Restoring a backup over the embedded database (issue 14). The backup is checked before anything
 * is replaced: its SHA-256 against its manifest, then a copy of it opened with the database's key,
 * its integrity, its row counts, chain head and schema against the manifest, and the disclosure
 * chain walked record by record. Only then is the current database copied aside and the checked
 * copy renamed over it in one step: a crash before the rename leaves the current database, after
 * it the restored one; the copy aside is kept until the restored database has opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkpointWal } from '../db/backup';
import { connect } from '../db/connect';
import { migrateToLatest } from '../db/migrations';
import { recordKeyEvent } from '../db/stores/key-events';
import type { KeyEvent } from '../db/stores/key-events';
import { fsyncPath } from '../fsync';
import { DatabaseKeyError } from '../db/sqlcipher';
import { ChainStore } from '../db/stores/disclosures-chain';
import { verifyChain } from '../services/audit/chain';
import {
  BackupError,
  checkedFacts,
  readManifest,
  sha256File,
  withFile,
  type BackupManifest,
} from './backup';

/** Crash points for the restore's kill -9 test (CUSTODIAN_TEST_FAULT); unset, nothing happens. */
export type RestoreFault = 'restore-after-check' | 'restore-after-aside' | 'restore-after-rename';

function fault(name: RestoreFault): void {
  if (process.env.CUSTODIAN_TEST_FAULT === name) process.kill(process.pid, 'SIGKILL');
}

export interface CheckedBackup {
  manifest: BackupManifest;
  /** The checked copy beside the database, renamed over it by swapInBackup. */
  staged: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Checks the backup and stages a copy of it beside `databaseFile`; changes nothing else. */
export async function checkBackup(
  backup: string,
  databaseFile: string,
  key: Buffer,
): Promise<CheckedBackup> {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  const manifest = readManifest(backup);
  if (sha256File(backup) !== manifest.sha256) {
    throw new BackupError(
      `${backup} is not the file its manifest describes (its SHA-256 differs): it was changed or damaged. Nothing was restored.`,
    );
  }
  const staged = `${databaseFile}.restoring`;
  for (const f of [staged, `${staged}-wal`, `${staged}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(backup, staged);
  fs.chmodSync(staged, 0o600);
  try {
    const facts = await checkedFacts(staged, key).catch((err: unknown) => {
      if (err instanceof DatabaseKeyError) {
        throw new BackupError(
          `${backup} does not open with this database's key: it is a backup of another database. Nothing was restored.`,
        );
      }
      throw err;
    });
    const mismatch = (['schemaVersion', 'rowCounts', 'chainHead'] as const).find(
      (k) => !same(facts[k], manifest[k]),
    );
    if (mismatch) {
      throw new BackupError(
        `${backup} does not hold what its manifest states (${mismatch} differs). Nothing was restored.`,
      );
    }
    const chain = await withFile(staged, key, (db) => verifyChain(new ChainStore(db)));
    if (!chain.ok) {
      throw new BackupError(
        `The disclosure log in ${backup} does not verify (record ${chain.problem?.seq ?? '?'}: ${chain.problem?.message ?? 'broken'}). Nothing was restored.`,
      );
    }
    fsyncPath(staged);
  } catch (err) {
    fs.rmSync(staged, { force: true });
    throw err;
  }
  fault('restore-after-check');
  return { manifest, staged };
}

/**
 * Copies the current database aside (`<db>.before-restore-<time>`) and renames the staged copy
 * over it. The database must be closed by everyone (the app not running). Returns the aside file.
 */
export async function swapInBackup(
  checked: CheckedBackup,
  databaseFile: string,
  key: Buffer,
  now: Date,
): Promise<string> {
  // The current database whole in its file, so that the copy aside is all of it.
  await withFile(databaseFile, key, checkpointWal);
  const stamp = now
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const aside = `${databaseFile}.before-restore-${stamp}`;
  fs.copyFileSync(databaseFile, aside);
  fs.chmodSync(aside, 0o600);
  fsyncPath(aside);
  fault('restore-after-aside');
  // No WAL of the old database may meet the restored file.
  fs.rmSync(`${databaseFile}-wal`, { force: true });
  fs.rmSync(`${databaseFile}-shm`, { force: true });
  fs.renameSync(checked.staged, databaseFile);
  fsyncPath(path.dirname(databaseFile));
  fault('restore-after-rename');
  return aside;
}

/**
 * The whole restore of a checked backup, for the command line and the console alike: the swap,
 * the schema brought up to date, and the restore recorded as an audited key event (who, how,
 * which backup). Returns the file the replaced database was kept in.
 */
export async function restoreBackup(
  checked: CheckedBackup,
  target: { databaseFile: string; key: Buffer; backupFile: string },
  by: { actorId: string | null; via: KeyEvent['via'] },
  now: Date,
): Promise<string> {
  const aside = await swapInBackup(checked, target.databaseFile, target.key, now);
  const db = connect({ client: 'sqlite', filename: target.databaseFile, key: target.key });
  try {
    await migrateToLatest(db);
    await recordKeyEvent(
      db,
      {
        event: 'restore',
        actorId: by.actorId,
        via: by.via,
        detail: {
          file: target.backupFile,
          sha256: checked.manifest.sha256,
          backupCreatedAt: checked.manifest.createdAt,
          chainHead: checked.manifest.chainHead,
        },
      },
      now,
    );
  } finally {
    await db.destroy();
  }
  return aside;
}
