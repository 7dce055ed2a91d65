import { stringify, type Options } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a cell that begins with = + - @ tab or
 * carriage return is prefixed with a single quote, so a spreadsheet shows it as text.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (CRLF, quotes doubled) of neutralised cells, one batch of rows at a time. */
export function csvChunk(
  rows: readonly Record<string, string | number | null>[],
  columns: readonly string[],
  header: boolean,
): string {
  const options: Options = {
    header,
    columns: columns.map((c) => ({ key: c, header: c })),
    record_delimiter: 'windows',
    cast: { string: (v) => neutraliseCell(v), number: (v) => String(v) },
  };
  return stringify(rows as Record<string, unknown>[], options);
}
