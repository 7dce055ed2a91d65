import { safeStorage } from 'electron';
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
