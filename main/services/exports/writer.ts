import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ExportFormat } from '../../../shared/disclosure';
import { csvChunk } from './csv';
import { faultPoint } from './faults';

export type ExportRow = Record<string, string | number | null>;

export interface WrittenFile {
  finalPath: string;
  sha256: string;
  rowCount: number;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,150}$/;

/** A plain file name in the export folder: no folders, no traversal, the format's extension. */
export function checkFileName(fileName: string, format: ExportFormat): void {
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

/** The file's text, in chunks: CSV through csv-stringify in batches, JSON as one array. */
async function* encode(
  rows: AsyncIterable<ExportRow>,
  format: ExportFormat,
  columns: readonly string[],
  counter: { n: number },
): AsyncGenerator<string> {
  let batch: ExportRow[] = [];
  let first = true;
  const flush = (): string => {
    const ordered = batch.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
    const text =
      format === 'csv'
        ? csvChunk(ordered, columns, first)
        : ordered.map((r, i) => (first && i === 0 ? '[\n' : ',\n') + JSON.stringify(r)).join('');
    counter.n += batch.length;
    batch = [];
    first = false;
    return text;
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) yield flush();
  }
  if (batch.length > 0) yield flush();
  // An empty CSV still names its columns.
  if (format === 'csv' && first)
    yield csvChunk([Object.fromEntries(columns.map((c) => [c, c]))], columns, false);
  if (format === 'json') yield counter.n === 0 ? '[]\n' : '\n]\n';
}

/**
 * Writes an export so that no file ever appears without its record: rows stream into a hidden
 * temporary file (hashed on the way, then fsynced); `recordIntent` commits the record; only then
 * is the file linked under its final name (never overwriting), and `recordDone` completes it.
 * A crash before the link leaves no file under the final name and an incomplete record.
 */
export async function writeExport(opts: {
  dir: string;
  fileName: string;
  format: ExportFormat;
  columns: readonly string[];
  rows: AsyncIterable<ExportRow>;
  recordIntent: (file: WrittenFile) => Promise<void>;
  recordDone: (file: WrittenFile) => Promise<void>;
}): Promise<WrittenFile> {
  checkFileName(opts.fileName, opts.format);
  await fsp.mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const finalPath = path.join(opts.dir, opts.fileName);
  if (fs.existsSync(finalPath)) {
    throw new AppError(
      'VALIDATION',
      'A file with that name already exists in the export folder; choose another name.',
      {
        fieldErrors: { fileName: 'Already exists.' },
      },
    );
  }
  const tempPath = path.join(
    opts.dir,
    `.${opts.fileName}.${randomBytes(6).toString('hex')}.partial`,
  );
  const hash = createHash('sha256');
  const counter = { n: 0 };
  const handle = await fsp.open(tempPath, 'wx', 0o600);
  try {
    for await (const chunk of encode(opts.rows, opts.format, opts.columns, counter)) {
      const bytes = Buffer.from(chunk, 'utf8');
      hash.update(bytes);
      await handle.write(bytes);
    }
    await handle.sync();
    await handle.close();
    const file: WrittenFile = { finalPath, sha256: hash.digest('hex'), rowCount: counter.n };
    await opts.recordIntent(file);
    faultPoint('after-record');
    await fsp.link(tempPath, finalPath); // fails rather than overwrite a file that appeared meanwhile
    await fsp.unlink(tempPath);
    await syncDir(opts.dir);
    faultPoint('after-publish');
    await opts.recordDone(file);
    return file;
  } catch (err) {
    // Before the link this removes the only copy; after it, only the temporary name. A file
    // already under its final name keeps its intent record, which start-up recovery completes.
    await handle.close().catch(() => undefined);
    await fsp.unlink(tempPath).catch(() => undefined);
    throw err;
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await fsp.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** SHA-256 of a file on disk, for recovering records after a crash. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function tempFilesFor(dir: string, fileName: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`.${fileName}.`) && f.endsWith('.partial'))
    .map((f) => path.join(dir, f));
}
