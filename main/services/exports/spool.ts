/**
 * Where a file goes when the team server, not the workstation, runs the export (issue 15).
 *
 * The server runs each call that may write a file inside a spool scope. The export writer then
 * puts the file in the scope's own folder on the server, encrypted as it is written (AES-256-GCM
 * under a key derived from a one-time ticket that only the workstation receives; the server
 * keeps only the ticket's hash), and lists it here for the server to offer to the workstation.
 * The record is committed exactly as in the embedded mode (its SHA-256 is of the bytes the
 * workstation will hold), so the spool changes where a file lies, never what the log says.
 *
 * A copy of the server's disk, with or without its database, thus reads no customer data from
 * the spool: the key exists only while a request carrying the ticket is being answered.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  type CipherGCM,
  type DecipherGCM,
} from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';

export interface SpooledFile {
  /** The name the workstation gives the file (the writer's final name, `.gpg` when sealed). */
  fileName: string;
  /** Where the encrypted copy lies on the server. */
  spoolPath: string;
  /** Bytes and SHA-256 of the plain file, as the record has them. */
  bytes: number;
  sha256: string;
}

export interface SpoolScope {
  /** This call's own folder on the server. */
  dir: string;
  /** The one-time ticket the key derives from (never written anywhere on the server). */
  ticket: string;
  produced: SpooledFile[];
  /** Names already taken in the workstation's export folder: refused as an existing file is. */
  taken?: ReadonlySet<string>;
}

/** Whether a file name is taken where the file will finally lie (the workstation's folder). */
export function takenOnWorkstation(fileName: string): boolean {
  return currentSpool()?.taken?.has(fileName) ?? false;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

const storage = new AsyncLocalStorage<SpoolScope>();

/** Runs `fn` with every file it writes going to `scope` instead of the export folder. */
export function runSpooled<T>(scope: SpoolScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

export function currentSpool(): SpoolScope | undefined {
  return storage.getStore();
}

export function spoolKey(ticket: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ticket, '', 'custodian spool v1', 32));
}

/** The encrypting side: the IV goes first in the file, the tag last. */
export function spoolCipher(ticket: string): { iv: Buffer; cipher: CipherGCM } {
  const iv = randomBytes(IV_BYTES);
  return { iv, cipher: createCipheriv('aes-256-gcm', spoolKey(ticket), iv) };
}

/**
 * Reads a spooled file back as plain bytes, a chunk at a time. The GCM tag is read first, so a
 * file altered on the server's disk fails at its end (the workstation's SHA-256 check fails too).
 */
export async function* readSpooled(file: string, ticket: string): AsyncGenerator<Buffer> {
  const size = (await fsp.stat(file)).size;
  if (size < IV_BYTES + TAG_BYTES) throw new Error('spool file too short');
  const handle = await fsp.open(file, 'r');
  let decipher: DecipherGCM;
  try {
    const iv = Buffer.alloc(IV_BYTES);
    const tag = Buffer.alloc(TAG_BYTES);
    await handle.read(iv, 0, IV_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    decipher = createDecipheriv('aes-256-gcm', spoolKey(ticket), iv);
    decipher.setAuthTag(tag);
  } finally {
    await handle.close();
  }
  const body = fs.createReadStream(file, { start: IV_BYTES, end: size - TAG_BYTES - 1 });
  for await (const chunk of body) {
    const plain = decipher.update(chunk as Buffer);
    if (plain.length > 0) yield plain;
  }
  const last = decipher.final();
  if (last.length > 0) yield last;
}

/**
 * A small file with no record of its own (a signed checkpoint of the log): written to `dir`,
 * or, inside a spool scope, spooled and offered to the workstation like an export.
 */
export async function placeSmallFile(dir: string, fileName: string, text: string): Promise<void> {
  const scope = currentSpool();
  const bytes = Buffer.from(text, 'utf8');
  if (!scope) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.writeFile(path.join(dir, fileName), bytes, { flag: 'wx', mode: 0o600 });
    return;
  }
  if (scope.taken?.has(fileName)) {
    throw new AppError(
      'VALIDATION',
      'A file with that name already exists in the export folder; choose another name.',
      { fieldErrors: { fileName: 'Already exists.' } },
    );
  }
  await fsp.mkdir(scope.dir, { recursive: true, mode: 0o700 });
  const spoolPath = path.join(scope.dir, fileName);
  const { iv, cipher } = spoolCipher(scope.ticket);
  const sealed = Buffer.concat([iv, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
  try {
    await fsp.writeFile(spoolPath, sealed, { flag: 'wx', mode: 0o600 });
  } catch {
    throw new AppError('VALIDATION', 'A file with that name was already made by this request.');
  }
  scope.produced.push({
    fileName,
    spoolPath,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
}
