import fs from 'node:fs';

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
