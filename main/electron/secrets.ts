import { safeStorage } from 'electron';
import type { Keychain } from '../keys/data-key';
import type { SecretStore } from '../services/connection';

/**
 * Secrets sealed by the OS keychain through Electron's safeStorage. On Linux without a keyring
 * safeStorage falls back to a hard-coded key ("basic_text"): that is no protection, so it counts
 * as unavailable and no password is stored.
 */
export function keychainSecrets(): SecretStore {
  const available = (): boolean => {
    if (typeof safeStorage?.isEncryptionAvailable !== 'function') return false;
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  };
  return {
    available,
    encrypt: (text) => safeStorage.encryptString(text).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

/**
 * The OS keychain as the database key's everyday wrap, or null where there is no real keychain
 * (basic_text on Linux): there the data key is opened with the passphrase or recovery key.
 */
export function keychainWrap(): Keychain | null {
  const secrets = keychainSecrets();
  if (!secrets.available()) return null;
  return {
    seal: (plain) => secrets.encrypt(plain.toString('hex')),
    open: (sealed) => Buffer.from(secrets.decrypt(sealed), 'hex'),
  };
}
