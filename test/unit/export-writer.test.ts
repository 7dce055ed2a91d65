import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeExport } from '../../main/services/exports/writer';
import { neutraliseCell } from '../../main/services/exports/csv';

async function* rowsOf<T>(rows: T[]) {
  for (const r of rows) yield r;
}

function tmp() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-writer-'));
}

describe('export writer', () => {
  it('writes CSV, records intent before the file appears, then completes', async () => {
    const dir = tmp();
    const seen: string[] = [];
    const file = await writeExport({
      dir,
      fileName: 'a.csv',
      format: 'csv',
      columns: ['x', 'y'],
      rows: rowsOf([
        { x: '1', y: 2 },
        { x: '=bad', y: null },
      ]),
      recordIntent: async (f) => {
        seen.push(`intent exists=${fs.existsSync(f.finalPath)}`);
      },
      recordDone: async (f) => {
        seen.push(`done exists=${fs.existsSync(f.finalPath)}`);
      },
    });
    expect(seen).toEqual(['intent exists=false', 'done exists=true']);
    expect(file.rowCount).toBe(2);
    const text = fs.readFileSync(file.finalPath, 'utf8');
    expect(text).toBe("x,y\r\n1,2\r\n'=bad,\r\n");
    expect(fs.statSync(file.finalPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['a.csv']);
  });

  it('leaves no file when the record cannot be written', async () => {
    const dir = tmp();
    await expect(
      writeExport({
        dir,
        fileName: 'b.json',
        format: 'json',
        columns: ['x'],
        rows: rowsOf([{ x: 1 }]),
        recordIntent: async () => {
          throw new Error('database down');
        },
        recordDone: async () => undefined,
      }),
    ).rejects.toThrow('database down');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('writes JSON arrays, empty ones included', async () => {
    const dir = tmp();
    const f = await writeExport({
      dir,
      fileName: 'c.json',
      format: 'json',
      columns: ['x'],
      rows: rowsOf([]),
      recordIntent: async () => undefined,
      recordDone: async () => undefined,
    });
    expect(JSON.parse(fs.readFileSync(f.finalPath, 'utf8'))).toEqual([]);
  });

  it('round-trips the csv-spectrum corpus', async () => {
    const spectrum = (await import('csv-spectrum')).default;
    const tests = await new Promise<{ name: string; csv: Buffer; json: Buffer }[]>((res, rej) =>
      spectrum((e, t) => (e ? rej(e) : res(t))),
    );
    expect(tests.length).toBeGreaterThan(5);
    for (const t of tests) {
      // One file of the corpus holds a bare object rather than an array of them.
      const records = [JSON.parse(t.json.toString()) as Record<string, string>[]].flat();
      const columns = Object.keys(records[0]!);
      const dir = tmp();
      const f = await writeExport({
        dir,
        fileName: 'spectrum.csv',
        format: 'csv',
        columns,
        rows: rowsOf(records),
        recordIntent: async () => undefined,
        recordDone: async () => undefined,
      });
      const back = parse(fs.readFileSync(f.finalPath, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      const expected = records.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, neutraliseCell(v)])),
      );
      expect(back, t.name).toEqual(expected);
    }
  });
});
