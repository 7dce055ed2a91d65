import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';

/**
 * Flushes a file, or a folder after a rename in it, to the disk: a rename is durable only once
 * its folder is synced. Windows cannot open a folder for syncing; there the rename is left to
 * NTFS's own journal.
 */
export function fsyncPath(file: string): void {
  if (process.platform === 'win32' && fs.statSync(file).isDirectory()) return;
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `bytes` to a new file (mode 0600 unless given) and flushes it before returning. */
export function writeFileSynced(file: string, bytes: string | Buffer, mode = 0o600): void {
  const fd = fs.openSync(file, 'w', mode);
  try {
    fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes a folder after a rename in it, without blocking the event loop: the rename is durable
 * only once the folder is synced.
 */
export async function syncFolder(dir: string): Promise<void> {
  const d = await fsp.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** The SHA-256 of a file's bytes, read as a stream (an export or a delivery can be large). */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
