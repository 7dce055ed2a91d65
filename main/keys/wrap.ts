/**
 * The data key's wraps: AES-256-GCM under a key-encryption key (node:crypto), and the two ways a
 * person's secret becomes such a key: a recovery key (256 random bits: HKDF is enough) and a
 * passphrase (scrypt, memory-hard, so that guessing costs memory as well as time).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt } from 'node:crypto';

export const KEY_BYTES = 32;

export interface Sealed {
  /** base64 of the 12-byte GCM nonce, the ciphertext and the 16-byte tag. */
  iv: string;
  data: string;
  tag: string;
}

/** What the wrap says about itself, bound into the tag so a wrap cannot be moved between uses. */
function aad(purpose: string): Buffer {
  return Buffer.from(`custodian:${purpose}`, 'utf8');
}

export function seal(kek: Buffer, plain: Buffer, purpose: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(purpose));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The plaintext, or null when the key (or the purpose, or the bytes) is not the one sealed. */
export function unseal(kek: Buffer, sealed: Sealed, purpose: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aad(purpose));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const data = Buffer.from(sealed.data, 'base64');
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return null;
  }
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

// --- Recovery keys ---------------------------------------------------------------------------------

const RECOVERY_GROUP = 8;

/** 64 hex digits in groups of eight: easy to read out and to type back. */
export function formatRecoveryKey(key: Buffer): string {
  const hex = key.toString('hex');
  const groups: string[] = [];
  for (let i = 0; i < hex.length; i += RECOVERY_GROUP)
    groups.push(hex.slice(i, i + RECOVERY_GROUP));
  return groups.join('-');
}

/** The recovery key as typed (any case, dashes or spaces between groups), or null. */
export function parseRecoveryKey(text: string): Buffer | null {
  const hex = text.replace(/[\s-]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
}

export function recoveryKek(recoveryKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', recoveryKey, salt, 'custodian recovery wrap', KEY_BYTES));
}

// --- Passphrases ---------------------------------------------------------------------------------

/** scrypt's cost: N = 2^17, r = 8 (128 MiB of memory per guess), p = 1. */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
export type ScryptParams = { N: number; r: number; p: number };

export function passphraseKek(
  passphrase: string,
  salt: Buffer,
  params: ScryptParams,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      KEY_BYTES,
      { ...params, maxmem: 256 * params.N * params.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}
