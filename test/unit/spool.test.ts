/**
 * The team server's spool (main/services/exports/spool.ts): a file an export writes inside a
 * spool scope lies in the scope's folder encrypted under the ticket's key, with the record's
 * SHA-256 of the plain bytes; it reads back whole only with its ticket, and a byte changed on
 * disk is caught. The upload's file name is made plain (main/server/files.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSpooled, runSpooled, type SpoolScope } from '../../main/services/exports/spool';
import { writeExport, type WrittenFile } from '../../main/services/exports/writer';
import { uploadName } from '../../main/server/files';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-spool-'));
  dirs.push(d);
  return d;
}

async function spooledExport(ticket: string) {
  const root = tempDir();
  const scope: SpoolScope = { dir: path.join(root, 'call'), ticket, produced: [] };
  const exportDir = path.join(root, 'exports');
  let recorded: WrittenFile | null = null;
  const file = await runSpooled(scope, () =>
    writeExport({
      dir: exportDir,
      fileName: 'people.csv',
      format: 'csv',
      columns: ['name'],
      rows: (async function* () {
        for (let i = 0; i < 2000; i++) yield { name: `Marigold Vantablack ${i}` };
      })(),
      recordIntent: (f) => {
        recorded = f;
        return Promise.resolve();
      },
      recordDone: () => Promise.resolve(),
    }),
  );
  return { scope, exportDir, file, recorded: recorded! };
}

async function readAll(file: string, ticket: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readSpooled(file, ticket)) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('the spool', () => {
  const ticket = 'a-ticket-of-enough-length-0123456789';

  it('keeps the file encrypted in the scope’s folder, never in the export folder', async () => {
    const { scope, exportDir, file, recorded } = await spooledExport(ticket);
    expect(fs.existsSync(exportDir)).toBe(false);
    expect(scope.produced).toHaveLength(1);
    const [spooled] = scope.produced;
    expect(spooled!.spoolPath).toBe(path.join(scope.dir, 'people.csv'));
    expect(file.finalPath).toBe(spooled!.spoolPath);
    const atRest = fs.readFileSync(spooled!.spoolPath);
    expect(atRest.includes(Buffer.from('Marigold'))).toBe(false);
    expect(atRest.length).toBe(spooled!.bytes + 28);
    // The record's hash is of the plain file, the one the workstation will hold.
    expect(recorded.sha256).toBe(spooled!.sha256);
    const plain = await readAll(spooled!.spoolPath, ticket);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(recorded.sha256);
    expect(plain.toString('utf8')).toContain('Marigold Vantablack 1999');
  });

  it('reads back only with its ticket, and a changed byte is caught', async () => {
    const { scope } = await spooledExport(ticket);
    const spoolPath = scope.produced[0]!.spoolPath;
    await expect(readAll(spoolPath, `${ticket}x`)).rejects.toThrow();
    const bytes = fs.readFileSync(spoolPath);
    bytes[100] = bytes[100]! ^ 1;
    fs.writeFileSync(spoolPath, bytes);
    await expect(readAll(spoolPath, ticket)).rejects.toThrow();
  });

  it('writes to the export folder as before outside a scope', async () => {
    const dir = tempDir();
    const file = await writeExport({
      dir,
      fileName: 'plain.csv',
      format: 'csv',
      columns: ['name'],
      rows: (async function* () {
        yield { name: 'Plain Person' };
      })(),
      recordIntent: () => Promise.resolve(),
      recordDone: () => Promise.resolve(),
    });
    expect(file.finalPath).toBe(path.join(dir, 'plain.csv'));
    expect(fs.readFileSync(file.finalPath, 'utf8')).toContain('Plain Person');
  });
});

describe('an uploaded file’s name', () => {
  it.each([
    ['accounts.csv', 'accounts.csv'],
    [encodeURIComponent('../../etc/passwd'), 'passwd'],
    [encodeURIComponent('C:\\Users\\me\\löhne.csv'), 'l_hne.csv'],
    [encodeURIComponent('.hidden.csv'), 'hidden.csv'],
    ['%E0%A4%A', 'upload.csv'],
    [undefined, 'upload.csv'],
  ])('%s -> %s', (header, expected) => {
    expect(uploadName(header)).toBe(expected);
  });
});
