/**
 * A database's data key: made once per database, kept only wrapped in its key file, and opened
 * by one of three keys a person or the OS holds (the keychain, the recovery key, a passphrase).
 */
import { randomBytes } from 'node:crypto';
import { readKeyFile, writeKeyFile, type KeyFile } from './key-file';
import {
  SCRYPT_PARAMS,
  formatRecoveryKey,
  parseRecoveryKey,
  passphraseKek,
  randomKey,
  recoveryKek,
  seal,
  unseal,
  type ScryptParams,
} from './wrap';
import { MIN_PASSPHRASE_LENGTH } from '../../shared/workstation';

export { MIN_PASSPHRASE_LENGTH };

/** The OS keychain's wrap (Electron's safeStorage), injected so that all else runs in Node. */
export interface Keychain {
  seal(plain: Buffer): string;
  /** Throws when the keychain cannot open it (another user, another machine, a reset keychain). */
  open(sealed: string): Buffer;
}

export type Unlock =
  | { kind: 'keychain'; keychain: Keychain }
  | { kind: 'recovery'; text: string }
  | { kind: 'passphrase'; text: string };

export const UNLOCK_NAMES: Record<Unlock['kind'], string> = {
  keychain: "this computer's keychain",
  recovery: 'the recovery key',
  passphrase: 'the passphrase',
};

/** The data key could not be opened with the key tried: says which, and what to do next. */
export class UnlockError extends Error {
  override name = 'UnlockError';
  constructor(
    readonly tried: Unlock['kind'],
    message: string,
  ) {
    super(message);
  }
}

const PURPOSE = 'data-key';

export interface NewKeys {
  dataKey: Buffer;
  /** Shown once to the first administrator; never stored in clear anywhere. */
  recoveryKey: string;
}

/** Makes a data key for a new database and its key file; the recovery key is returned once. */
export async function createKeys(
  file: string,
  everyday: { keychain?: Keychain; passphrase?: string; scrypt?: ScryptParams } = {},
  now = new Date(),
): Promise<NewKeys> {
  const dataKey = randomKey();
  const recovery = randomKey();
  const keys: KeyFile = {
    format: 'custodian-keys/1',
    recovery: recoveryWrap(dataKey, recovery, now),
  };
  if (everyday.keychain) keys.keychain = { sealed: everyday.keychain.seal(dataKey) };
  if (everyday.passphrase !== undefined) {
    keys.passphrase = await passphraseWrap(dataKey, everyday.passphrase, everyday.scrypt);
  }
  writeKeyFile(file, keys);
  return { dataKey, recoveryKey: formatRecoveryKey(recovery) };
}

function recoveryWrap(dataKey: Buffer, recovery: Buffer, now: Date): KeyFile['recovery'] {
  const salt = randomBytes(16);
  return {
    ...seal(recoveryKek(recovery, salt), dataKey, PURPOSE),
    salt: salt.toString('base64'),
    createdAt: now.toISOString(),
  };
}

async function passphraseWrap(
  dataKey: Buffer,
  passphrase: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<NonNullable<KeyFile['passphrase']>> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Error(`The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  const salt = randomBytes(16);
  const kek = await passphraseKek(passphrase, salt, params);
  return { ...seal(kek, dataKey, PURPOSE), salt: salt.toString('base64'), ...params };
}

/** Opens the data key with one key; an UnlockError names the key and the next step. */
export async function unlockDataKey(file: string, unlock: Unlock): Promise<Buffer> {
  const keys = readKeyFile(file);
  if (!keys) throw new UnlockError(unlock.kind, `There is no key file at ${file}.`);
  const name = UNLOCK_NAMES[unlock.kind];
  const fallback =
    'Open it with the recovery key the first administrator was given' +
    (keys.passphrase ? ' (or with the passphrase).' : '.');
  switch (unlock.kind) {
    case 'keychain': {
      if (!keys.keychain) {
        throw new UnlockError('keychain', `The database is not sealed by ${name}. ${fallback}`);
      }
      let key: Buffer;
      try {
        key = unlock.keychain.open(keys.keychain.sealed);
      } catch {
        throw new UnlockError(
          'keychain',
          `${cap(name)} could not open the database key (another user, another computer, or a reset keychain). ${fallback}`,
        );
      }
      return key;
    }
    case 'recovery': {
      const recovery = parseRecoveryKey(unlock.text);
      if (!recovery) {
        throw new UnlockError(
          'recovery',
          'That is not a recovery key: it has 64 hexadecimal digits, in groups of eight separated by dashes.',
        );
      }
      const kek = recoveryKek(recovery, Buffer.from(keys.recovery.salt, 'base64'));
      const key = unseal(kek, keys.recovery, PURPOSE);
      if (!key) {
        throw new UnlockError(
          'recovery',
          `${cap(name)} does not open this database: check it digit by digit, or use the latest recovery key if an administrator made a new one.`,
        );
      }
      return key;
    }
    case 'passphrase': {
      const wrap = keys.passphrase;
      if (!wrap) {
        throw new UnlockError('passphrase', `This database has no passphrase. ${fallback}`);
      }
      const kek = await passphraseKek(unlock.text, Buffer.from(wrap.salt, 'base64'), wrap);
      const key = unseal(kek, wrap, PURPOSE);
      if (!key) {
        throw new UnlockError(
          'passphrase',
          `${cap(name)} is wrong. Try again, or open the database with the recovery key.`,
        );
      }
      return key;
    }
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A new recovery key (the old one stops working); the caller audits it. */
export function regenerateRecoveryKey(file: string, dataKey: Buffer, now = new Date()): string {
  const keys = readKeyFile(file);
  if (!keys) throw new Error(`There is no key file at ${file}.`);
  const recovery = randomKey();
  writeKeyFile(file, { ...keys, recovery: recoveryWrap(dataKey, recovery, now) });
  return formatRecoveryKey(recovery);
}

/** Seals the data key by the keychain too (a new computer, after opening with the recovery key). */
export function addKeychainWrap(file: string, dataKey: Buffer, keychain: Keychain): void {
  const keys = readKeyFile(file);
  if (!keys) throw new Error(`There is no key file at ${file}.`);
  writeKeyFile(file, { ...keys, keychain: { sealed: keychain.seal(dataKey) } });
}

/** Sets (or replaces) the passphrase wrap. */
export async function setPassphrase(
  file: string,
  dataKey: Buffer,
  passphrase: string,
  params?: ScryptParams,
): Promise<void> {
  const keys = readKeyFile(file);
  if (!keys) throw new Error(`There is no key file at ${file}.`);
  writeKeyFile(file, { ...keys, passphrase: await passphraseWrap(dataKey, passphrase, params) });
}
