/**
 * The floor of an export on SQLite (issue 18): the `sqlite3` shell writing the export's columns
 * of every account, in name order, as CSV to a file. No visibility, no record, no hash, no fsync.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { FIELDS, type FieldKey } from '../../shared/catalogue';

/** The shell's time (ms) to write `fields` of every account by name as CSV. */
export function shellCsvExport(
  program: string,
  database: string,
  fields: readonly FieldKey[],
  file: string,
): number {
  const columns = fields.map((key) => FIELDS.find((f) => f.key === key)!.column);
  const sql = `SELECT ${columns.join(', ')} FROM accounts ORDER BY name_key, id;`;
  const started = performance.now();
  const r = spawnSync(program, ['-csv', '-header', database, `.output ${file}`, sql]);
  const ms = performance.now() - started;
  const lines = r.status === 0 ? fs.readFileSync(file, 'utf8').split('\n').length : 0;
  fs.rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(`sqlite3 -csv: ${r.stderr.toString().trim()}`);
  if (lines < 2) throw new Error('sqlite3 -csv wrote no rows');
  return ms;
}
