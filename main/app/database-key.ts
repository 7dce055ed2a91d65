/**
 * The data key of the embedded database, at open: unwrapped from the key file beside it, or made
 * with the key file for a new database (its recovery key returned, to be shown once), or made for
 * a plaintext database of an earlier release, which is then encrypted in place.
 */
import fs from 'node:fs';
import { UpgradeError, encryptInPlace, isPlaintextSqlite } from '../db/encrypt-in-place';
import { DatabaseKeyError, NoCipherError } from '../db/sqlcipher';
import {
  UnlockError,
  createKeys,
  unlockDataKey,
  type Keychain,
  type Unlock,
} from '../keys/data-key';
import { KeyFileError, keyFileFor, readKeyFile } from '../keys/key-file';

export interface DatabaseKey {
  key: Buffer;
  /** Set when the key was made now: the recovery key, shown once to the first administrator. */
  recoveryKey: string | null;
}

export interface KeyOptions {
  /** Asked only when a key file exists: which key to try (keychain, recovery key, passphrase). */
  unlock: () => Promise<Unlock>;
  /** May a missing database be created (with a new key file)? */
  create: boolean;
  /** How a new key file seals the key for everyday start (none: the recovery key only). */
  everyday?: { keychain?: Keychain; passphrase?: string };
}

function hasContent(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export class MissingDatabaseError extends Error {
  override name = 'MissingDatabaseError';
}

/**
 * The message of a failure to open the database's key or file (which key was tried, what to do
 * next), or null for any other error. These messages name files and keys' kinds, never a value.
 */
export function keyProblemMessage(err: unknown): string | null {
  const known =
    err instanceof UnlockError ||
    err instanceof KeyFileError ||
    err instanceof MissingDatabaseError ||
    err instanceof DatabaseKeyError ||
    err instanceof NoCipherError ||
    err instanceof UpgradeError;
  return known ? err.message : null;
}

export async function databaseKey(filename: string, options: KeyOptions): Promise<DatabaseKey> {
  const keyFile = keyFileFor(filename);
  if (readKeyFile(keyFile)) {
    const key = await unlockDataKey(keyFile, await options.unlock());
    // A conversion a crash interrupted after the key file was written: finish it.
    if (isPlaintextSqlite(filename)) await encryptInPlace(filename, key);
    return { key, recoveryKey: null };
  }
  if (!hasContent(filename)) {
    if (!options.create) throw new MissingDatabaseError(`There is no database at ${filename}.`);
    const made = await createKeys(keyFile, options.everyday);
    return { key: made.dataKey, recoveryKey: made.recoveryKey };
  }
  if (!isPlaintextSqlite(filename)) {
    throw new MissingDatabaseError(
      `${filename} is encrypted but its key file ${keyFile} is missing: put the key file back beside it (from the backup it came with).`,
    );
  }
  // A database from before encryption: key it, then convert it.
  const made = await createKeys(keyFile, options.everyday);
  await encryptInPlace(filename, made.dataKey);
  return { key: made.dataKey, recoveryKey: made.recoveryKey };
}
