/**
 * Upgrade in place (issue 14): a plaintext database of an earlier release becomes an SQLCipher
 * file on first open, verified, in one rename. A kill -9 at every step leaves the old or the new
 * database usable with nothing lost, and the next open finishes the job.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Knex } from 'knex';
import { afterAll, beforeAll, expect } from 'vitest';
import { databaseKey } from '../../main/app/database-key';
import { openBackend } from '../../main/backend';
import { connect } from '../../main/db/connect';
import { isPlaintextSqlite, type EncryptFault } from '../../main/db/encrypt-in-place';
import { createKeys } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import { silentLogger } from '../../main/log';
import { bundleForTest } from '../support/bundle';
import { ADMIN, describeSqliteOnly, engine } from '../support/backend';
import { it } from 'vitest';

const CANARY = 'UPGRADECANARY5566';
let dir: string;
let plaintext: string;
let before: string;
let child: string;

/** Row counts of every table and the chain head: what the upgrade must keep. */
async function fingerprint(db: Knex): Promise<string> {
  const tables = (await db('sqlite_master')
    .where({ type: 'table' })
    .andWhereNot('name', 'like', 'sqlite_%')
    .orderBy('name')
    .pluck('name')) as string[];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = Number((await db(table).count({ n: '*' }).first())?.n);
  }
  const heads = await db('audit_heads').orderBy('chain').select('chain', 'seq', 'hash');
  return JSON.stringify({ counts, heads });
}

async function fingerprintOf(file: string, key: Buffer | null): Promise<string> {
  const db = connect({ client: 'sqlite', filename: file, key });
  try {
    const [check] = (await db.raw('PRAGMA integrity_check')) as { integrity_check: string }[];
    expect(check?.integrity_check).toBe('ok');
    return await fingerprint(db);
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  if (engine !== 'sqlite') return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-upgrade-'));
  child = await bundleForTest('test/support/upgrade-child.ts', 'upgrade-child');
  // A database as the current release leaves it: plaintext, with staff, accounts and records.
  plaintext = path.join(dir, 'release.sqlite');
  const backend = await openBackend({
    database: { client: 'sqlite', filename: plaintext, key: null },
    logger: silentLogger,
    exportDir: path.join(dir, 'exports'),
    keyDir: path.join(dir, 'release-keys'),
    witnessDirs: [path.join(dir, 'witness')],
  });
  const s = backend.openSession();
  const ok = (r: Awaited<ReturnType<typeof backend.invoke>>) => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  ok(await backend.invoke(s, 'setup.createFirstAdmin', ADMIN));
  for (let i = 0; i < 30; i++) {
    ok(
      await backend.invoke(s, 'accounts.create', {
        fields: { firstName: 'Up', lastName: `${CANARY}${i}` },
        provenance: { source: 'phone', date: '2025-01-01' },
      }),
    );
  }
  await backend.close();
  expect(isPlaintextSqlite(plaintext)).toBe(true);
  before = await fingerprintOf(plaintext, null);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (child) fs.rmSync(child, { force: true });
});

function copyOf(name: string): string {
  const file = path.join(dir, name, 'custodian.sqlite');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(plaintext, file);
  return file;
}

const FAULTS: EncryptFault[] = [
  'encrypt-after-export',
  'encrypt-after-verify',
  'encrypt-before-rename',
  'encrypt-after-rename',
];

describeSqliteOnly('upgrading a plaintext database in place', () => {
  it('converts on first open: encrypted, verified, the same rows and chain head', async () => {
    const file = copyOf('plain-open');
    const opened = await databaseKey(file, {
      create: false,
      unlock: () => Promise.reject(new Error('no key file yet: nothing to unlock')),
    });
    expect(opened.recoveryKey).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    expect(isPlaintextSqlite(file)).toBe(false);
    expect(fs.readFileSync(file).includes(Buffer.from(CANARY))).toBe(false);
    expect(fs.existsSync(`${file}.encrypting`)).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await fingerprintOf(file, opened.key)).toBe(before);
    // And the whole backend opens on it, signs in, reads the accounts.
    const backend = await openBackend({
      database: { client: 'sqlite', filename: file, key: opened.key },
      logger: silentLogger,
      exportDir: path.join(path.dirname(file), 'exports'),
      keyDir: path.dirname(file),
      witnessDirs: [path.join(path.dirname(file), 'witness')],
    });
    const s = backend.openSession();
    const login = await backend.invoke(s, 'auth.login', {
      username: ADMIN.username,
      password: ADMIN.password,
    });
    expect(login.ok).toBe(true);
    await backend.close();
  });

  it.each(FAULTS)(
    'a kill -9 at %s leaves the old or the new database usable, and the next open finishes',
    async (fault) => {
      const file = copyOf(fault);
      // The key file is written first (a crash there leaves a plaintext file without one).
      const keys = await createKeys(keyFileFor(file));
      const r = spawnSync(process.execPath, [child, file], {
        input: `${keys.recoveryKey}\n`,
        env: { ...process.env, CUSTODIAN_TEST_FAULT: fault },
        encoding: 'utf8',
      });
      expect(r.signal, r.stderr).toBe('SIGKILL');
      // Whichever database is there now opens and holds everything.
      const encrypted = !isPlaintextSqlite(file);
      expect(encrypted).toBe(fault === 'encrypt-after-rename');
      expect(await fingerprintOf(file, encrypted ? keys.dataKey : null)).toBe(before);
      // The next start finishes (or has nothing left to do).
      const again = await databaseKey(file, {
        create: false,
        unlock: () => Promise.resolve({ kind: 'recovery', text: keys.recoveryKey }),
      });
      expect(again.key.equals(keys.dataKey)).toBe(true);
      expect(isPlaintextSqlite(file)).toBe(false);
      expect(fs.existsSync(`${file}.encrypting`)).toBe(false);
      expect(await fingerprintOf(file, keys.dataKey)).toBe(before);
    },
  );
});
