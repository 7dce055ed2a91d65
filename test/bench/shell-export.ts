/**
 * The floor of an export (issue 18): the engine's own shell writing the export's columns of every
 * account, in name order, as CSV to a file: `sqlite3 -csv` on SQLite, `psql \copy` on PostgreSQL.
 * No visibility, no record, no hash, no fsync.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { DatabaseConfig } from '../../main/db/connect';
import { FIELDS, type FieldKey } from '../../shared/catalogue';

/** A shell that can read the database: the sqlite3 program and a plain file, or psql. */
export interface ExportShell {
  /** How the note names it. */
  name: string;
  run(sql: string, file: string): ReturnType<typeof spawnSync>;
}

export function sqliteShell(program: string, database: string): ExportShell {
  return {
    name: 'sqlite3 -csv',
    run: (sql, file) => spawnSync(program, ['-csv', '-header', database, `.output ${file}`, sql]),
  };
}

export function psqlShell(program: string, database: DatabaseConfig): ExportShell {
  return {
    name: 'psql \\copy',
    run: (sql, file) =>
      spawnSync(program, [
        ...psqlArgs(database),
        '-c',
        `\\copy (${sql.replace(/;$/, '')}) to '${file}' with (format csv, header)`,
      ]),
  };
}

/** psql's arguments for a throwaway cluster's database (trusted on 127.0.0.1, no password). */
export function psqlArgs(database: DatabaseConfig): string[] {
  if (database.client !== 'pg' || typeof database.connection === 'string') {
    throw new Error('psql needs a PostgreSQL database given by its parts');
  }
  const c = database.connection;
  return [
    ...['-h', String(c.host), '-p', String(c.port), '-U', String(c.user)],
    ...['-d', String(c.database), '-v', 'ON_ERROR_STOP=1', '-q'],
  ];
}

/** The shell's time (ms) to write `fields` of every account by name as CSV. */
export function shellCsvExport(
  shell: ExportShell,
  fields: readonly FieldKey[],
  file: string,
): number {
  const columns = fields.map((key) => FIELDS.find((f) => f.key === key)!.column);
  const sql = `SELECT ${columns.join(', ')} FROM accounts ORDER BY name_key, id;`;
  const started = performance.now();
  const r = shell.run(sql, file);
  const ms = performance.now() - started;
  const lines = r.status === 0 ? fs.readFileSync(file, 'utf8').split('\n').length : 0;
  fs.rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(`${shell.name}: ${String(r.stderr).trim()}`);
  if (lines < 2) throw new Error(`${shell.name} wrote no rows`);
  return ms;
}
