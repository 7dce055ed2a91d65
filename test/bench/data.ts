/**
 * The benchmark's data, made once and cached under test/bench/.data/ (git-ignored): SQLite
 * databases of seeded accounts, and CSV files of seeded accounts to import. Cache names carry
 * the count, the seed and a tag of the schema and seeder, so a change to either makes new ones.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { connect } from '../../main/db/connect';
import { migrateToLatest, migrationSource } from '../../main/db/migrations';
import { IMPORT_FIELDS } from '../../main/services/import/rules';
import { createAccountFaker, fakeAccount, seedAccounts } from '../../main/services/seed';

/** Relative to the project folder, where `npm run bench` runs. */
export const DATA_DIR = path.resolve('test', 'bench', '.data');
/** Bump when the seeder's output changes, so that cached databases are made again. */
const SEEDER_VERSION = 2;
export const ACCOUNTS_SEED = 20_261_125;
export const IMPORT_SEED = 7_700_001;

async function schemaTag(): Promise<string> {
  const migrations = await migrationSource.getMigrations([]);
  return createHash('sha256')
    .update(JSON.stringify([migrations, SEEDER_VERSION]))
    .digest('hex')
    .slice(0, 10);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Removes cached files of other schema tags (they can never be used again). */
function prune(prefix: string, keep: string): void {
  for (const name of fs.readdirSync(DATA_DIR)) {
    if (name.startsWith(prefix) && !name.startsWith(keep)) {
      fs.rmSync(path.join(DATA_DIR, name), { force: true });
    }
  }
}

/** An SQLite database of `count` seeded accounts (made once, then reused). */
export async function seededSqlite(
  count: number,
): Promise<{ file: string; seedMs: number | null }> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const tag = await schemaTag();
  const name = `accounts-${count}-seed${ACCOUNTS_SEED}-${tag}`;
  prune(`accounts-${count}-`, name);
  const file = path.join(DATA_DIR, `${name}.sqlite`);
  if (fs.existsSync(file)) return { file, seedMs: null };
  const partial = `${file}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  log(`seeding ${count.toLocaleString('en-US')} accounts (cached for later runs) ...`);
  const db = connect({ client: 'sqlite', filename: partial, key: null });
  let seedMs: number;
  try {
    await migrateToLatest(db);
    const result = await seedAccounts(db, {
      count,
      seed: ACCOUNTS_SEED,
      batchSize: 25_000,
      oneTransaction: true,
    });
    seedMs = result.milliseconds;
    log(
      `seeded ${count.toLocaleString('en-US')} accounts in ${(seedMs / 1000).toFixed(1)} s (${Math.round(count / (seedMs / 1000)).toLocaleString('en-US')} accounts/s)`,
    );
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await db.destroy();
  }
  fs.renameSync(partial, file);
  for (const f of [`${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  return { file, seedMs };
}

/** A CSV file of `count` seeded accounts with the import's columns (account numbers left out). */
export async function importFile(count: number): Promise<string> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const tag = await schemaTag();
  const name = `import-${count}-seed${IMPORT_SEED}-${tag}`;
  prune(`import-${count}-`, name);
  const file = path.join(DATA_DIR, `${name}.csv`);
  if (fs.existsSync(file)) return file;
  log(`writing an import file of ${count.toLocaleString('en-US')} accounts (cached) ...`);
  const columns = IMPORT_FIELDS.filter((f) => f.key !== 'accountNumber').map((f) => f.key);
  const af = createAccountFaker(IMPORT_SEED);
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w');
  try {
    fs.writeSync(fd, stringify([columns]));
    for (let done = 0; done < count;) {
      const n = Math.min(10_000, count - done);
      const rows: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const a = fakeAccount(af) as Record<string, unknown>;
        rows.push(columns.map((c) => a[c] ?? ''));
      }
      fs.writeSync(fd, stringify(rows));
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
  return file;
}

/** A working copy of a cached database, for one run that writes to it. */
export function workingCopy(file: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, path.basename(file));
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(file, copy);
  fs.chmodSync(copy, 0o600);
  // On disk before anything is timed: a gigabyte of the copy still being written back would
  // slow every write (and fsync) the measured calls make.
  const fd = fs.openSync(copy, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return copy;
}
