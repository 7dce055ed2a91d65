/**
 * Import files the team server holds for a moment, sealed on its disk (issues 14 and 15).
 *
 * A workstation uploads the file its user picked; the server writes it through AES-256-GCM under
 * a key made for that file, kept only in this process's memory, and the import desk reads it
 * back through `openImportFile`. A copy of the server's disk (a backup, a stolen volume, another
 * program) thus holds no customer data in clear, and a restarted server simply cannot read
 * uploads it had: the user picks the file again. The ciphertext has the file's own length, so
 * sizes and progress stay as for a plain file; the tag, checked at the end of each read, makes a
 * changed byte fail the check or the import (which write nothing until the end).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable, type Transform } from 'node:stream';
import { AppError } from '../../../shared/errors';

interface Sealed {
  key: Buffer;
  iv: Buffer;
  tag: Buffer | null;
}

const sealed = new Map<string, Sealed>();

/**
 * A stream that seals what is written through it into `file`'s bytes on disk; call `done` once
 * the file is written whole, so it can be read back.
 */
export function sealingStream(file: string): { cipher: Transform; done: () => void } {
  const secret: Sealed = { key: randomBytes(32), iv: randomBytes(12), tag: null };
  const cipher = createCipheriv('aes-256-gcm', secret.key, secret.iv);
  sealed.set(file, secret);
  return {
    cipher,
    done: () => {
      secret.tag = cipher.getAuthTag();
    },
  };
}

/** Forgets a sealed file's key (its bytes are deleted by whoever wrote them). */
export function forgetSealed(file: string): void {
  sealed.get(file)?.key.fill(0);
  sealed.delete(file);
}

/** Reads an import file: a sealed upload decrypted as it is read, or a plain local file. */
export function openImportFile(file: string, highWaterMark: number): Readable {
  const secret = sealed.get(file);
  if (!secret) return fs.createReadStream(file, { highWaterMark });
  return Readable.from(readSealed(file, secret, highWaterMark));
}

/**
 * A sealed file's bytes, after a first pass has checked its tag: a copy changed on the server's
 * disk is refused as that, before any of it is parsed (garbage would otherwise read as a file
 * that is not UTF-8). A pass costs well under a second for the largest upload allowed.
 */
async function* readSealed(file: string, secret: Sealed, highWaterMark: number) {
  if (!secret.tag) throw changed();
  try {
    for await (const chunk of decrypted(file, secret, highWaterMark)) void chunk;
  } catch {
    throw changed();
  }
  yield* decrypted(file, secret, highWaterMark);
}

function decrypted(file: string, secret: Sealed, highWaterMark: number): Readable {
  const decipher = createDecipheriv('aes-256-gcm', secret.key, secret.iv);
  decipher.setAuthTag(secret.tag!);
  const raw = fs.createReadStream(file, { highWaterMark });
  raw.on('error', (err) => decipher.destroy(err));
  return raw.pipe(decipher);
}

const changed = () =>
  new AppError(
    'CONFLICT',
    'The copy of the file the team server received was changed or cut short after it arrived; nothing was imported. Choose the file again.',
  );
