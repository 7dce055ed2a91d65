/** A stand-in for the OS keychain in tests: opens only what it sealed (the real one is safeStorage). */
import { randomBytes } from 'node:crypto';
import type { Keychain } from '../../main/keys/data-key';

export function keychainWith(secret: Buffer = randomBytes(16)): Keychain {
  return {
    seal: (plain) => Buffer.concat([secret, plain]).toString('base64'),
    open: (sealed) => {
      const bytes = Buffer.from(sealed, 'base64');
      if (!bytes.subarray(0, secret.length).equals(secret)) throw new Error('not this keychain');
      return bytes.subarray(secret.length);
    },
  };
}
