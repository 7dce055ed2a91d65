import { safeStorage } from 'electron';
import type { Keychain } from '../keys/data-key';

/**
 * Whether safeStorage really uses the OS keychain. On Linux without a keyring it falls back to a
 * hard-coded key ("basic_text"): that is no protection, so it counts as no keychain at all.
 */
function keychainAvailable(): boolean {
  if (typeof safeStorage?.isEncryptionAvailable !== 'function') return false;
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/**
 * The OS keychain as the wrap of the database key and of the workstation's enrolment key, or
 * null where there is no real keychain: there the database asks for its passphrase at start.
 */
export function keychainWrap(): Keychain | null {
  if (!keychainAvailable()) return null;
  return {
    seal: (plain) => safeStorage.encryptString(plain.toString('hex')).toString('base64'),
    open: (sealed) => Buffer.from(safeStorage.decryptString(Buffer.from(sealed, 'base64')), 'hex'),
  };
}
