import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ExportFormat, FileFormat } from '../../../shared/disclosure';
import { reservedDeviceName, reservedNameMessage } from '../../../shared/file-names';
import { csvRecords, type Cell } from './csv';
import { faultPoint } from './faults';
import { sealStream, type RecipientKey } from './seal';
import { sha256OfFile, syncFolder } from '../../fsync';
import { currentSpool, spoolCipher, takenOnWorkstation } from './spool';

export type ExportRow = Record<string, Cell>;

/** Rows as arrays of cells in the file's column order, a batch at a time. */
export type RowChunk = readonly (readonly Cell[])[];

/**
 * Lays out a document (a PDF) from all of its rows: for files made for a person to read, which
 * are short (an accounting, a batch's summary) and are written whole once laid out.
 */
export type DocumentRenderer = (
  chunks: AsyncIterable<RowChunk>,
  columns: readonly string[],
) => Promise<Uint8Array>;

/** An export's rows: objects keyed by column, or chunks already in column order. */
export type ExportRows =
  | { rows: AsyncIterable<ExportRow>; chunks?: never }
  | { chunks: AsyncIterable<RowChunk>; rows?: never };

export interface WrittenFile {
  finalPath: string;
  /** SHA-256 of the file as it lies on disk (the sealed message, for a sealed file). */
  sha256: string;
  rowCount: number;
  /** SHA-256 of the rows' encoded text: the same as sha256 unless the file is sealed. */
  plaintextSha256: string;
  /** The recipient key's fingerprint, for a file sealed to it. */
  sealedTo: string | null;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,150}$/;

/** A plain file name in the export folder: no folders, no traversal, the format's extension. */
export function checkFileName(fileName: string, format: FileFormat): void {
  const device = reservedDeviceName(fileName);
  if (device) {
    throw new AppError('VALIDATION', reservedNameMessage(device), {
      fieldErrors: { fileName: 'Windows keeps this name for a device.' },
    });
  }
  if (
    !FILE_NAME.test(fileName) ||
    !fileName.toLowerCase().endsWith(`.${format}`) ||
    fileName.includes('..')
  ) {
    throw new AppError(
      'VALIDATION',
      `Use a plain file name ending in .${format} (letters, digits, spaces, . _ - ( )).`,
      {
        fieldErrors: { fileName: `A plain name ending in .${format}, without folders.` },
      },
    );
  }
}

const BATCH = 500;

/** Rows keyed by column, as chunks in column order. */
async function* inChunks(
  rows: AsyncIterable<ExportRow>,
  columns: readonly string[],
): AsyncGenerator<RowChunk> {
  let batch: Cell[][] = [];
  for await (const row of rows) {
    batch.push(columns.map((c) => row[c] ?? null));
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The file's text, in chunks: CSV (the header first, even with no rows) or one JSON array. */
async function* encode(
  chunks: AsyncIterable<RowChunk>,
  format: ExportFormat,
  columns: readonly string[],
  counter: { n: number },
): AsyncGenerator<string> {
  if (format === 'csv') yield csvRecords([columns]);
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (format === 'csv') {
      yield csvRecords(chunk);
    } else {
      let text = '';
      for (let r = 0; r < chunk.length; r++) {
        const row = chunk[r]!;
        const record = Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]));
        text += (counter.n === 0 && r === 0 ? '[\n' : ',\n') + JSON.stringify(record);
      }
      yield text;
    }
    counter.n += chunk.length;
  }
  if (format === 'json') yield counter.n === 0 ? '[]\n' : '\n]\n';
}

/**
 * Writes an export so that no file ever appears without its record: rows stream into a hidden
 * temporary file (hashed on the way, then fsynced); `recordIntent` commits the record; only then
 * is the file linked under its final name (never overwriting), and `recordDone` completes it.
 * A crash before the link leaves no file under the final name and an incomplete record.
 */
export async function writeExport(
  opts: {
    dir: string;
    fileName: string;
    format: FileFormat;
    columns: readonly string[];
    /** Lays out the rows, for format `pdf` (required for it). */
    document?: DocumentRenderer | undefined;
    recordIntent: (file: WrittenFile) => Promise<void>;
    recordDone: (file: WrittenFile) => Promise<void>;
    /** The recipient's OpenPGP key: the file is written sealed to it, as NAME.gpg. */
    sealTo?: RecipientKey | null | undefined;
  } & ExportRows,
): Promise<WrittenFile> {
  checkFileName(opts.fileName, opts.format);
  // On the team server the file goes to this call's spool folder, encrypted (spool.ts).
  const spool = currentSpool();
  const dir = spool?.dir ?? opts.dir;
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const sealTo = opts.sealTo ?? null;
  const finalPath = path.join(dir, sealTo ? `${opts.fileName}.gpg` : opts.fileName);
  if (fs.existsSync(finalPath) || takenOnWorkstation(path.basename(finalPath))) {
    throw new AppError(
      'VALIDATION',
      'A file with that name already exists in the export folder; choose another name.',
      {
        fieldErrors: { fileName: 'Already exists.' },
      },
    );
  }
  const tempPath = path.join(dir, `.${opts.fileName}.${randomBytes(6).toString('hex')}.partial`);
  const hash = createHash('sha256');
  const counter = { n: 0 };
  const handle = await fsp.open(tempPath, 'wx', 0o600);
  faultPoint('after-temp-created');
  try {
    const chunks = opts.chunks ?? inChunks(opts.rows, opts.columns);
    // The hash and byte count are of the plain file, the one the record and the user see.
    const encrypt = spool ? spoolCipher(spool.ticket) : null;
    if (encrypt) await handle.write(encrypt.iv);
    let pieces = 0;
    let size = 0;
    const writeOut = async (bytes: Uint8Array) => {
      hash.update(bytes);
      size += bytes.length;
      await handle.write(encrypt ? encrypt.cipher.update(bytes) : bytes);
      if (++pieces === 2) faultPoint('mid-rows'); // a CSV's header and first rows are written
    };
    const { format, document } = opts;
    async function* plain(): AsyncGenerator<Uint8Array> {
      if (format === 'pdf') {
        if (!document) throw new Error('a PDF needs a document renderer');
        yield await document(counted(chunks, counter), opts.columns);
        return;
      }
      for await (const text of encode(chunks, format, opts.columns, counter)) {
        yield Buffer.from(text, 'utf8');
      }
    }
    let plaintextSha256: string | null = null;
    if (sealTo) {
      // Encrypted as the rows stream: no plaintext copy of a sealed file is ever on disk.
      plaintextSha256 = (await sealStream(plain(), sealTo.armored, writeOut)).plaintextSha256;
    } else {
      for await (const bytes of plain()) await writeOut(bytes);
    }
    if (encrypt) {
      await handle.write(encrypt.cipher.final());
      await handle.write(encrypt.cipher.getAuthTag());
    }
    await handle.sync();
    await handle.close();
    faultPoint('before-record');
    const sha256 = hash.digest('hex');
    const file: WrittenFile = {
      finalPath,
      sha256,
      rowCount: counter.n,
      plaintextSha256: plaintextSha256 ?? sha256,
      sealedTo: sealTo?.fingerprint ?? null,
    };
    await opts.recordIntent(file);
    faultPoint('after-record');
    await fsp.link(tempPath, finalPath); // fails rather than overwrite a file that appeared meanwhile
    await fsp.unlink(tempPath);
    await syncFolder(dir);
    faultPoint('after-publish');
    await opts.recordDone(file);
    spool?.produced.push({
      fileName: path.basename(finalPath),
      spoolPath: finalPath,
      bytes: size,
      sha256: file.sha256,
    });
    return file;
  } catch (err) {
    // Before the link this removes the only copy; after it, only the temporary name. A file
    // already under its final name keeps its intent record, which start-up recovery completes.
    await handle.close().catch(() => undefined);
    await fsp.unlink(tempPath).catch(() => undefined);
    throw err;
  }
}

/** The chunks, counting their rows as they are read. */
async function* counted(
  chunks: AsyncIterable<RowChunk>,
  counter: { n: number },
): AsyncGenerator<RowChunk> {
  for await (const chunk of chunks) {
    counter.n += chunk.length;
    yield chunk;
  }
}

/** SHA-256 of a file on disk, for recovering records after a crash. */
export const sha256File = sha256OfFile;

/** A temporary file's name as writeExport makes it: `.NAME.<12 hex digits>.partial`. */
const TEMP_FILE = /^\..+\.[0-9a-f]{12}\.partial$/;

/** Every temporary file writeExport may have left in a folder, whichever export it belonged to. */
export function tempFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => TEMP_FILE.test(f))
    .map((f) => path.join(dir, f));
}

export function tempFilesFor(dir: string, fileName: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`.${fileName}.`) && f.endsWith('.partial'))
    .map((f) => path.join(dir, f));
}
