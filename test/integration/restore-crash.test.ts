/**
 * A restore interrupted at any point (kill -9) leaves a working database: the current one
 * before the rename, the restored one after it, whole either way.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleForTest } from '../support/bundle';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createBackup,
  manifestFileFor,
  readManifest,
  sha256File,
  type BackupFault,
} from '../../main/app/backup';
import { keyFileFor } from '../../main/keys/key-file';
import type { RestoreFault } from '../../main/app/restore';
import { databaseFacts, integrityOk } from '../../main/db/backup';
import { connect } from '../../main/db/connect';
import {
  ADMIN,
  describeSqliteOnly,
  engine,
  openTestBackend,
  type TestBackend,
} from '../support/backend';

let t: TestBackend;
let child: string;
let backupChild: string;
let backupFile: string;
let key: Buffer;
let current: string;
let saved: string;

async function factsOf(file: string) {
  const db = connect({ client: 'sqlite', filename: file, key });
  try {
    expect(await integrityOk(db)).toBe(true);
    return JSON.stringify(await databaseFacts(db));
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  if (engine !== 'sqlite') return;
  child = await bundleForTest('test/support/restore-child.ts', 'restore-child');
  backupChild = await bundleForTest('test/support/backup-child.ts', 'backup-child');
  t = await openTestBackend();
  key = (t.database as { key: Buffer }).key;
  const s = t.backend.openSession();
  await t.call(s, 'setup.createFirstAdmin', ADMIN);
  for (let i = 0; i < 5; i++) {
    await t.call(s, 'accounts.create', {
      fields: { firstName: 'Before', lastName: `Backup${i}` },
      provenance: { source: 'phone', date: '2025-01-01' },
    });
  }
  const filename = (t.database as { filename: string }).filename;
  backupFile = path.join(t.dir, 'b', 'backup.sqlite');
  await createBackup(t.backend.services.db, {
    databaseFile: filename,
    key,
    to: backupFile,
    appVersion: 'test',
    now: new Date(),
    by: { actorId: null, via: 'command line' },
  });
  for (let i = 0; i < 3; i++) {
    await t.call(s, 'accounts.create', {
      fields: { firstName: 'After', lastName: `Backup${i}` },
      provenance: { source: 'phone', date: '2025-01-01' },
    });
  }
  await t.backend.close();
  saved = path.join(t.dir, 'current.copy');
  fs.copyFileSync(filename, saved);
  current = await factsOf(filename);
});
afterAll(async () => {
  await t?.close();
  if (child) fs.rmSync(child, { force: true });
  if (backupChild) fs.rmSync(backupChild, { force: true });
});

const FAULTS: RestoreFault[] = [
  'restore-after-check',
  'restore-after-aside',
  'restore-after-rename',
];

describeSqliteOnly('a restore killed at each step', () => {
  it.each(FAULTS)('a kill -9 at %s leaves a whole database, old or restored', async (fault) => {
    const database = path.join(t.dir, fault, 'custodian.sqlite');
    fs.mkdirSync(path.dirname(database), { recursive: true });
    fs.copyFileSync(saved, database);
    const r = spawnSync(process.execPath, [child], {
      input: JSON.stringify({ backup: backupFile, database, keyHex: key.toString('hex') }),
      env: { ...process.env, CUSTODIAN_TEST_FAULT: fault },
      encoding: 'utf8',
    });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const facts = JSON.parse(await factsOf(database)) as {
      rowCounts: Record<string, number>;
    };
    const restored = fault === 'restore-after-rename';
    expect(facts.rowCounts.accounts).toBe(restored ? 5 : 8);
    if (restored) expect(facts.rowCounts).toEqual(readManifest(backupFile).rowCounts);
    else expect(JSON.stringify(facts)).toBe(current);
  });
});

describeSqliteOnly('a backup killed at each step', () => {
  it.each(['backup-after-copy', 'backup-before-rename'] as BackupFault[])(
    'a kill -9 at %s leaves the previous backup intact and no half backup under a name',
    async (fault) => {
      const database = path.join(t.dir, `b-${fault}`, 'custodian.sqlite');
      fs.mkdirSync(path.dirname(database), { recursive: true });
      fs.copyFileSync(saved, database);
      fs.copyFileSync(
        keyFileFor((t.database as { filename: string }).filename),
        keyFileFor(database),
      );
      const to = path.join(path.dirname(backupFile), `${fault}.sqlite`);
      const previous = sha256File(backupFile);
      const r = spawnSync(process.execPath, [backupChild], {
        input: JSON.stringify({ database, keyHex: key.toString('hex'), to }),
        env: { ...process.env, CUSTODIAN_TEST_FAULT: fault },
        encoding: 'utf8',
      });
      expect(r.signal, r.stderr).toBe('SIGKILL');
      expect(sha256File(backupFile)).toBe(previous);
      expect(readManifest(backupFile).sha256).toBe(previous);
      for (const f of [to, manifestFileFor(to), keyFileFor(to)])
        expect(fs.existsSync(f)).toBe(false);
      // The database is untouched and the next backup to that name succeeds.
      expect(await factsOf(database)).toBe(current);
      const db = connect({ client: 'sqlite', filename: database, key });
      try {
        const made = await createBackup(db, {
          databaseFile: database,
          key,
          to,
          appVersion: 'test',
          now: new Date(),
          by: { actorId: null, via: 'command line' },
        });
        expect(sha256File(made.file)).toBe(made.manifest.sha256);
      } finally {
        await db.destroy();
      }
    },
  );
});
