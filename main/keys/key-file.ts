/**
 * The key file beside the database (`<database>.keys.json`): the database's data key, only ever
 * wrapped. Read through zod, written whole to a temporary file, synced and renamed over the old
 * one, so that a crash leaves the old file or the new one, never half of each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fsyncPath, writeFileSynced } from '../fsync';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const sealed = z.object({ iv: base64, data: base64, tag: base64 });

export const keyFileSchema = z.object({
  format: z.literal('custodian-keys/1'),
  /** The data key sealed by the OS keychain (safeStorage), opaque base64. */
  keychain: z.object({ sealed: base64 }).optional(),
  /** Where no real keychain exists: sealed under a key scrypt derives from a passphrase. */
  passphrase: sealed
    .extend({
      salt: base64,
      N: z
        .number()
        .int()
        .min(2 ** 14),
      r: z.number().int().min(8),
      p: z.number().int().min(1),
    })
    .optional(),
  /** Sealed under the recovery key shown once to the first administrator. */
  recovery: sealed.extend({ salt: base64, createdAt: z.string() }),
});

export type KeyFile = z.infer<typeof keyFileSchema>;

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

export function keyFileFor(databaseFile: string): string {
  return `${databaseFile}.keys.json`;
}

/** The key file, or null when there is none (a database from before encryption, or a new one). */
export function readKeyFile(file: string): KeyFile | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyFileError(
      `The key file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyFileError(
      `The key file ${file} is not valid JSON: it is damaged. Restore it from a backup of the key file, or open the database from a backup.`,
    );
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyFileError(
      `The key file ${file} is damaged (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

/** Writes the whole file beside its final name, syncs it and renames it into place (mode 0600). */
export function writeKeyFile(file: string, keys: KeyFile): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSynced(temp, `${JSON.stringify(keyFileSchema.parse(keys), null, 2)}\n`);
  fs.renameSync(temp, file);
  fsyncPath(dir);
}
