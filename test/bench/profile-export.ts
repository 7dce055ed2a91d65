/**
 * Where an internal CSV export's time goes (issue 18): the bench's export of the 100,000 accounts
 * by name, on a working copy of the bench's seeded SQLite database, beside `sqlite3 -csv` writing
 * the same columns in the same order. Not part of `npm run bench`; a tool for finding what to cut.
 *
 *   node scripts/run-ts.mjs test/bench/profile-export.ts [--runs 3] [--profile-dir DIR]
 *
 * With --profile-dir, the last export is written as export.cpuprofile.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPORT_FIELDS, firstAdmin, staffSession } from './cases';
import { profiled } from './cpu-profile';
import { seededSqlite, workingCopy } from './data';
import { shellCsvExport, sqliteShell } from './shell-export';
import { benchBackend, option, runTool } from './tool';

async function main(): Promise<void> {
  const runs = Number(option('--runs') ?? 3);
  const which = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' });
  const sqlite3 = which.status === 0 ? which.stdout.trim() : null;
  const profileDir = option('--profile-dir');
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-export-'));
  const copy = workingCopy((await seededSqlite(100_000)).file, dir);
  const backend = await benchBackend({ client: 'sqlite', filename: copy, key: null }, dir);
  try {
    await firstAdmin(backend, 'profile.admin');
    const support = await staffSession(backend, 'profile.support', 'support_agent');
    for (let i = 0; i < runs; i++) {
      const file = profileDir && i === runs - 1 ? path.join(profileDir, 'export.cpuprofile') : null;
      const started = performance.now();
      const r = await profiled(file, () =>
        backend.invoke(support, 'exports.accounts', {
          sort: 'name',
          fields: [...EXPORT_FIELDS],
          format: 'csv',
          fileName: `profile-${i}.csv`,
        }),
      );
      if (!r.ok) throw new Error(r.error.message);
      process.stdout.write(`export: ${(performance.now() - started).toFixed(0)} ms\n`);
      if (sqlite3) {
        const shell = sqliteShell(sqlite3, copy);
        const ms = shellCsvExport(shell, EXPORT_FIELDS, path.join(dir, `shell-${i}.csv`));
        process.stdout.write(`sqlite3 -csv, same columns: ${ms.toFixed(0)} ms\n`);
      }
    }
  } finally {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runTool(main);
