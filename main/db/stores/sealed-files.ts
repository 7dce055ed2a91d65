/** sealed_files: per sealed disclosure file, the plaintext's and the sealed file's SHA-256. */
import type { Knex } from 'knex';

export interface SealedFile {
  seq: number;
  plaintextSha256: string;
  sealedSha256: string;
  fingerprint: string;
}

export async function recordSealedFile(db: Knex, f: SealedFile): Promise<void> {
  await db('sealed_files').insert({
    seq: f.seq,
    plaintext_sha256: f.plaintextSha256,
    sealed_sha256: f.sealedSha256,
    fingerprint: f.fingerprint,
  });
}

export async function findSealedFile(db: Knex, seq: number): Promise<SealedFile | null> {
  const row = (await db('sealed_files').where({ seq }).first()) as
    Record<string, unknown> | undefined;
  return row
    ? {
        seq: Number(row.seq),
        plaintextSha256: String(row.plaintext_sha256),
        sealedSha256: String(row.sealed_sha256),
        fingerprint: String(row.fingerprint),
      }
    : null;
}
