import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { AuditCheckpoint } from '../../../shared/types';
import type { ChainStore } from '../../db/stores/disclosures-chain';

const KEY_FILE = 'audit-checkpoint-key.pem';
const SEALED_KEY_FILE = 'audit-checkpoint-key.sealed';

/** Seals the signing key at rest (with the database's data key); the app injects it. */
export interface KeySealer {
  seal(plain: Buffer): Buffer;
  /** null when the bytes were not sealed by this sealer, or were altered. */
  open(sealed: Buffer): Buffer | null;
}

function writeNew(file: string, bytes: Buffer | string): void {
  fs.writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
}

/**
 * The key that signs checkpoints lives beside the database, not in it: restoring an older
 * database does not bring back an older key, and a forged checkpoint does not verify. With a
 * sealer (the embedded database's data key) it is kept sealed: a key left in clear by an earlier
 * release is sealed and its clear file removed.
 */
export function loadSigningKey(keyDir: string, sealer?: KeySealer): KeyObject {
  const file = path.join(keyDir, KEY_FILE);
  if (sealer) return loadSealedKey(keyDir, sealer);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeNew(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  return createPrivateKey(fs.readFileSync(file));
}

function loadSealedKey(keyDir: string, sealer: KeySealer): KeyObject {
  const clear = path.join(keyDir, KEY_FILE);
  const sealedFile = path.join(keyDir, SEALED_KEY_FILE);
  if (fs.existsSync(sealedFile)) {
    const pem = sealer.open(fs.readFileSync(sealedFile));
    if (!pem) {
      throw new AppError(
        'INTERNAL',
        `The audit checkpoint signing key (${sealedFile}) does not open with this database's key: it belongs to another database or is damaged.`,
      );
    }
    // A clear copy left by a crash between sealing and removing it.
    fs.rmSync(clear, { force: true });
    return createPrivateKey(pem);
  }
  fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const pem = fs.existsSync(clear)
    ? fs.readFileSync(clear)
    : Buffer.from(
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
  const temp = `${sealedFile}.${process.pid}.tmp`;
  fs.rmSync(temp, { force: true });
  writeNew(temp, sealer.seal(pem));
  fs.renameSync(temp, sealedFile);
  fs.rmSync(clear, { force: true });
  return createPrivateKey(pem);
}

/** The audit key's public half, as every signed record (checkpoint, witness, note) carries it. */
export function publicKeyPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

function payload(c: Omit<AuditCheckpoint, 'signature' | 'publicKey'>): Buffer {
  return Buffer.from(JSON.stringify([c.chain, c.seq, c.hash, c.createdAt]), 'utf8');
}

export function signCheckpoint(
  key: KeyObject,
  head: { seq: number; hash: string },
  createdAt: string,
): AuditCheckpoint {
  const body = { chain: 'disclosures' as const, seq: head.seq, hash: head.hash, createdAt };
  const publicKey = publicKeyPem(key);
  return { ...body, publicKey, signature: sign(null, payload(body), key).toString('base64') };
}

export function parseCheckpoint(text: string): AuditCheckpoint {
  let c: Partial<AuditCheckpoint>;
  try {
    c = JSON.parse(text) as Partial<AuditCheckpoint>;
  } catch {
    throw new AppError('VALIDATION', 'The checkpoint file is not valid JSON.');
  }
  if (
    c.chain !== 'disclosures' ||
    typeof c.seq !== 'number' ||
    typeof c.hash !== 'string' ||
    typeof c.createdAt !== 'string' ||
    typeof c.signature !== 'string' ||
    typeof c.publicKey !== 'string'
  ) {
    throw new AppError(
      'VALIDATION',
      'The checkpoint file lacks its chain, seq, hash, time or signature.',
    );
  }
  return c as AuditCheckpoint;
}

/** Checks a checkpoint's signature, then that the chain still holds the record it names. */
export async function checkCheckpoint(
  chain: ChainStore,
  key: KeyObject,
  c: AuditCheckpoint,
): Promise<{ ok: boolean; message: string }> {
  const ours = publicKeyPem(key);
  if (
    ours !== c.publicKey ||
    !verify(null, payload(c), createPublicKey(key), Buffer.from(c.signature, 'base64'))
  ) {
    return {
      ok: false,
      message:
        "The checkpoint signature does not verify with this installation's key: it was altered or made elsewhere.",
    };
  }
  return checkHeadSeen(chain, { seq: c.seq, hash: c.hash }, `the checkpoint of ${c.createdAt}`);
}

/**
 * Whether the chain still holds a record exactly as a signed head (a checkpoint or a witness,
 * named by `who`) saw it: a missing record means records were removed or the database rolled
 * back; a different hash means the chain was rewritten.
 */
export async function checkHeadSeen(
  chain: ChainStore,
  head: { seq: number; hash: string },
  who: string,
): Promise<{ ok: boolean; message: string }> {
  const hash = await chain.hashOf(head.seq);
  if (hash === null) {
    return {
      ok: false,
      message: `The chain no longer reaches record ${head.seq}, which ${who} saw: records were removed (for example, the database was rolled back to an older copy).`,
    };
  }
  if (hash !== head.hash) {
    return {
      ok: false,
      message: `Record ${head.seq} differs from the one ${who} saw: the chain was rewritten.`,
    };
  }
  return {
    ok: true,
    message: `The chain still holds record ${head.seq} exactly as ${who} saw it.`,
  };
}
