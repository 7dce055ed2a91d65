/**
 * Where a large import's time goes (issue 18): the bench's cached import file of `--rows` accounts
 * (1,000,000 by default) checked and loaded into a fresh SQLite database, as the bench's import
 * row does, with the CPU time of the main thread and of the others. Not part of `npm run bench`; a
 * tool for finding what to cut.
 *
 *   node scripts/run-ts.mjs test/bench/profile-import.ts [--rows N] [--key | --pg]
 *     [--profile-dir DIR]
 *
 * --key loads into an encrypted database (SQLCipher), --pg into a new database on a throwaway
 * PostgreSQL cluster; with --profile-dir, the import is written as import.cpuprofile.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { importAccounts, validateImportFile } from '../../main/services/import/service';
import { profiled } from './cpu-profile';
import { importFile } from './data';
import { cpuSince, threadCpu, time } from './stats';
import { startPgCluster } from '../support/pg-cluster';
import { createPgDatabase, option, runTool } from './tool';

async function main(): Promise<void> {
  const rows = Number(option('--rows') ?? 1_000_000);
  const key = process.argv.includes('--key') ? randomBytes(32) : null;
  const profileDir = option('--profile-dir');
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const csv = await importFile(rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-import-'));
  const cluster = process.argv.includes('--pg')
    ? await startPgCluster({ log: (m) => process.stderr.write(`${m}\n`) })
    : null;
  const database: DatabaseConfig = cluster
    ? await createPgDatabase(cluster, 'profile_import')
    : { client: 'sqlite', filename: path.join(dir, 'import.sqlite'), key };
  const db = connect(database);
  try {
    await migrateToLatest(db);
    const [checkMs, report] = await time(() => validateImportFile(csv));
    process.stdout.write(`check only: ${(checkMs / 1000).toFixed(2)} s\n`);
    const cpu0 = threadCpu();
    const file = profileDir ? path.join(profileDir, 'import.cpuprofile') : null;
    const [ms, result] = await time(() =>
      profiled(file, () =>
        importAccounts(db, csv, { expectedSha256: report.sha256, expectedRows: report.rowsValid }),
      ),
    );
    const cpu = cpuSince(cpu0);
    if (result.imported !== report.rowsValid) throw new Error('import count differs');
    process.stdout.write(
      `import of ${result.imported.toLocaleString('en-US')} rows: ${(ms / 1000).toFixed(2)} s${cpu ? ` (${cpu})` : ''}\n`,
    );
  } finally {
    await db.destroy();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runTool(main);
