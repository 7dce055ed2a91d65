/** `custodian verify-audit`: the real bundled CLI against a real disclosure log (SQLite file). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ADMIN,
  describeSqliteOnly,
  engine,
  openTestBackend,
  sqliteFilename,
  type TestBackend,
} from '../support/backend';
import { bundleForTest } from '../support/bundle';
import { signedInAs } from '../support/staff';
import { tamper } from '../support/tamper';

let t: TestBackend;
let cli: string;
let checkpoint: string;

beforeAll(async () => {
  if (engine !== 'sqlite') return;
  cli = await bundleForTest('main/cli/index.ts', 'cli-verify');
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  await t.call(admin, 'accounts.create', {
    fields: { firstName: 'Vera', lastName: 'Ify' },
    provenance: { source: 'phone', date: '2025-01-01' },
  });
  const comp = await signedInAs(t, 'compliance_officer', 'cora');
  for (let i = 0; i < 3; i++)
    await t.call(comp, 'exports.accounts', {
      fields: ['lastName'],
      format: 'csv',
      fileName: `v${i}.csv`,
    });
  await t.call(comp, 'disclosures.checkpoint', { fileName: 'cp.json' });
  checkpoint = path.join(t.dir, 'exports', 'cp.json');
});
afterAll(async () => t?.close());

const run = (...args: string[]) => {
  const r = spawnSync(
    process.execPath,
    [
      cli,
      '--database',
      sqliteFilename(t),
      'verify-audit',
      '--key-stdin',
      '--witness-dir',
      path.join(t.dir, 'witness'),
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, CUSTODIAN_DATABASE_URL: '' },
      input: `${t.engine === 'sqlite' ? t.recoveryKey : ''}\n`,
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
};

// The CLI is pointed at the SQLite file here; on PostgreSQL it takes the same path via a URL.
describeSqliteOnly('custodian verify-audit', () => {
  it('reports an intact log with its record count and head, exit 0, with and without a checkpoint', () => {
    const plain = run();
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/intact: 6 records verified in \d+ ms/);
    const cp = run('--checkpoint', checkpoint);
    expect(cp.code).toBe(0);
    expect(cp.out).toMatch(/still holds record 6/);
  });

  it('names the altered record and exits 1', async () => {
    await tamper(t.backend.services.db, 'disclosure_log', (d) =>
      d('disclosure_log').where({ seq: 5 }).update({ row_count: 99 }),
    );
    const r = run();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/record 5 was altered/);
    expect(r.out).toMatch(/First bad record: 5/);
  });

  it('refuses an unreadable checkpoint with a plain message', () => {
    fs.writeFileSync(path.join(t.dir, 'bad.json'), '{"chain":"disclosures"}');
    const r = run('--checkpoint', path.join(t.dir, 'bad.json'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/lacks its chain, seq, hash, time or signature/);
    expect(r.out).not.toMatch(/at .*\.cjs/);
  });
});
