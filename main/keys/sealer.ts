/**
 * Small secrets that live beside the database (the audit checkpoint's signing key), sealed under
 * a key derived from the database's data key: whoever cannot open the database cannot read them.
 */
import { hkdfSync } from 'node:crypto';
import { KEY_BYTES, seal, unseal, type Sealed } from './wrap';

/** Seals and opens bytes; `open` answers null for bytes it did not seal (or that were altered). */
export interface SecretSealer {
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer | null;
}

/** The purpose the audit checkpoint signing key is sealed for. */
export const CHECKPOINT_KEY_PURPOSE = 'checkpoint-signing-key';

export function dataKeySealer(dataKey: Buffer, purpose: string): SecretSealer {
  const kek = Buffer.from(
    hkdfSync('sha256', dataKey, Buffer.alloc(0), `custodian ${purpose}`, KEY_BYTES),
  );
  return {
    seal: (plain) => Buffer.from(JSON.stringify(seal(kek, plain, purpose)), 'utf8'),
    open: (sealed) => {
      let parsed: Sealed;
      try {
        parsed = JSON.parse(sealed.toString('utf8')) as Sealed;
      } catch {
        return null;
      }
      if (
        typeof parsed?.iv !== 'string' ||
        typeof parsed.data !== 'string' ||
        typeof parsed.tag !== 'string'
      ) {
        return null;
      }
      return unseal(kek, parsed, purpose);
    },
  };
}
