/**
 * Opening the embedded database at start: with the OS keychain when there is one, and otherwise
 * by asking the person at the workstation (its passphrase, or the recovery key), or, for a new
 * database on a computer without a keychain, by having them choose a passphrase first. Nothing
 * here keeps a key weaker than the keychain or the passphrase would.
 */
import { databaseKey, type DatabaseKey } from '../app/database-key';
import { addKeychainWrap, UnlockError, type Keychain, type Unlock } from '../keys/data-key';
import { keyFileFor, readKeyFile } from '../keys/key-file';

export type EmbeddedStart =
  | { kind: 'open'; opened: DatabaseKey }
  /** No key file yet and no keychain: a passphrase must be chosen (a new or a plaintext database). */
  | { kind: 'new-key' }
  /** A key file the keychain cannot open (or has no keychain wrap): a key must be typed. */
  | { kind: 'locked'; passphrase: boolean; problem: string | null };

const never = (): Promise<Unlock> => Promise.reject(new Error('no key to ask for'));

/** The database at `filename` opened with the keychain, or what must be asked for instead. */
export async function startEmbedded(
  filename: string,
  keychain: Keychain | null,
): Promise<EmbeddedStart> {
  const keys = readKeyFile(keyFileFor(filename));
  if (!keys) {
    if (!keychain) return { kind: 'new-key' };
    const opened = await databaseKey(filename, {
      create: true,
      unlock: never,
      everyday: { keychain },
    });
    return { kind: 'open', opened };
  }
  const passphrase = Boolean(keys.passphrase);
  if (!keychain || !keys.keychain) return { kind: 'locked', passphrase, problem: null };
  try {
    const opened = await databaseKey(filename, {
      create: false,
      unlock: () => Promise.resolve({ kind: 'keychain', keychain }),
    });
    return { kind: 'open', opened };
  } catch (err) {
    if (err instanceof UnlockError) return { kind: 'locked', passphrase, problem: err.message };
    throw err;
  }
}

/**
 * Opens the database with a typed key. Where a keychain exists but could not open the key (a new
 * computer, a reset keychain), the key is sealed by this keychain again so the next start is
 * the everyday one.
 */
export async function unlockEmbedded(
  filename: string,
  unlock: Unlock,
  keychain: Keychain | null,
): Promise<DatabaseKey> {
  const opened = await databaseKey(filename, {
    create: false,
    unlock: () => Promise.resolve(unlock),
  });
  if (keychain) addKeychainWrap(keyFileFor(filename), opened.key, keychain);
  return opened;
}

/**
 * Keys a new database (or a plaintext one of an earlier release, then encrypted in place) with
 * a passphrase for everyday start, and a recovery key returned to be shown once.
 */
export function createEmbeddedKey(filename: string, passphrase: string): Promise<DatabaseKey> {
  return databaseKey(filename, { create: true, unlock: never, everyday: { passphrase } });
}
