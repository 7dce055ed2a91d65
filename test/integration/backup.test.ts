/**
 * `custodian backup` and `custodian restore` (issue 14): an online backup that stays encrypted,
 * with a manifest and the key file beside it; a restore that checks the backup before anything
 * is replaced and reproduces its row counts and chain head; both recorded in key_events.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { manifestFileFor, readManifest } from '../../main/app/backup';
import { run } from '../../main/cli/run';
import type { Io } from '../../main/cli/terminal';
import { databaseFacts } from '../../main/db/backup';
import { connect } from '../../main/db/connect';
import { migrationSource } from '../../main/db/migrations';
import { listKeyEvents } from '../../main/db/stores/key-events';
import { unlockDataKey } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import {
  ADMIN,
  describeSqliteOnly,
  openTestBackend,
  type SqliteTestBackend,
} from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';

const CANARY = 'BACKUPCANARY7788';
let t: SqliteTestBackend | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function cli(backend: SqliteTestBackend, args: string[]) {
  const stdin = new PassThrough();
  stdin.end(`${backend.recoveryKey}\n`);
  const stdout = new Collect();
  const stderr = new Collect();
  const env = { PATH: process.env.PATH ?? '', HOME: backend.dir };
  const io: Io = { stdin, stdout, stderr, env, cwd: backend.dir };
  const [command, ...rest] = args;
  const code = await run([command!, '--database', backend.filename, '--key-stdin', ...rest], io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function scene(): Promise<SqliteTestBackend> {
  const backend = (await openTestBackend()) as SqliteTestBackend;
  const s = backend.backend.openSession();
  const admin = await backend.call(s, 'setup.createFirstAdmin', ADMIN);
  const write = fixtureWriter(backend, admin.user.id);
  for (let i = 0; i < 25; i++) {
    await write.create({ lastName: `Row${i}`, taxId: `${CANARY}${i}`, fraudNotes: CANARY });
  }
  const comp = await signedInAs(backend, 'compliance_officer', 'cora');
  for (const fileName of ['one.csv', 'two.csv']) {
    await backend.call(comp, 'exports.accounts', { fields: ['lastName'], format: 'csv', fileName });
  }
  return backend;
}

async function factsOf(file: string, key: Buffer) {
  const db = connect({ client: 'sqlite', filename: file, key });
  try {
    return await databaseFacts(db);
  } finally {
    await db.destroy();
  }
}

describeSqliteOnly('custodian backup and restore', () => {
  it('backs up online, encrypted, with manifest and key file; restore brings back exactly that', async () => {
    t = await scene();
    const key = (t.database as { key: Buffer }).key;
    const to = path.join(t.dir, 'saved', 'nightly.sqlite');
    // The backend stays open: the backup is made while the database is in use.
    const made = await cli(t, ['backup', '--to', to]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Backup written: ${to}`);
    const bytes = fs.readFileSync(to);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
    expect(fs.statSync(to).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFileFor(to))).toEqual(fs.readFileSync(keyFileFor(t.filename)));
    const manifest = readManifest(to);
    expect(manifest.sha256).toBe(sha256(to));
    expect(manifest.rowCounts.accounts).toBe(25);
    expect(manifest.chainHead?.seq).toBeGreaterThanOrEqual(2);
    expect(manifest.schemaVersion).toBe((await migrationSource.getMigrations([])).at(-1));
    const events = await listKeyEvents(t.backend.services.db);
    expect(events.map((e) => [e.event, e.via, e.detail?.sha256])).toEqual([
      ['backup', 'command line', manifest.sha256],
    ]);
    // Never over an existing backup.
    const again = await cli(t, ['backup', '--to', to]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    expect(sha256(to)).toBe(manifest.sha256);

    // Later work, then the restore brings back the backup's state exactly.
    const s = t.backend.openSession();
    await t.call(s, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    await t.call(s, 'accounts.create', {
      fields: { firstName: 'After', lastName: 'Backup' },
      provenance: { source: 'phone', date: '2025-01-01' },
    });
    await t.backend.close();
    const restored = await cli(t, ['restore', to, '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    const aside = /kept at (\S+);/.exec(restored.stdout)?.[1];
    expect(aside && fs.existsSync(aside)).toBe(true);
    const facts = await factsOf(t.filename, key);
    expect(facts.chainHead).toEqual(manifest.chainHead);
    const { key_events: restoreEvents, ...counts } = facts.rowCounts;
    const { key_events: backupEvents, ...expected } = manifest.rowCounts;
    expect(counts).toEqual(expected);
    expect([backupEvents, restoreEvents]).toEqual([0, 1]);
    const db = connect({ client: 'sqlite', filename: t.filename, key });
    try {
      expect((await listKeyEvents(db)).map((e) => e.event)).toEqual(['restore']);
    } finally {
      await db.destroy();
    }
    // The copy aside is the database as it was, later account included.
    expect((await factsOf(aside!, key)).rowCounts.accounts).toBe(26);
  });

  it('makes a new recovery key: the old one stops opening the database, and it is recorded', async () => {
    t = await scene();
    const old = t.recoveryKey;
    expect((await cli(t, ['new-recovery-key'])).stderr).toContain('add --yes');
    const r = await cli(t, ['new-recovery-key', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const fresh = /^ {2}((?:[0-9a-f]{8}-){7}[0-9a-f]{8})$/m.exec(r.stdout)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    const stale = await cli(t, ['migrate']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('The recovery key does not open this database');
    t.recoveryKey = fresh!;
    expect((await cli(t, ['migrate'])).code).toBe(0);
    const events = await listKeyEvents(t.backend.services.db);
    expect(events.map((e) => e.event)).toEqual(['recovery_key_regenerated']);
    expect(JSON.stringify(events)).not.toContain(fresh!.slice(0, 8));
  });

  it('without --to, writes into the backups folder beside the database and keeps the newest N', async () => {
    t = await scene();
    const folder = path.join(t.dir, 'backups');
    const old = ['2020-01-01T000000Z', '2020-01-02T000000Z', '2020-01-03T000000Z'];
    fs.mkdirSync(folder);
    for (const stamp of old) {
      const f = path.join(folder, `custodian-${stamp}.sqlite`);
      for (const part of [f, manifestFileFor(f), keyFileFor(f)]) fs.writeFileSync(part, 'old');
    }
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a backup');
    const r = await cli(t, ['backup', '--keep', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Deleted 2 older backups (keeping 2).');
    expect(fs.readdirSync(folder).sort()).toEqual(
      [
        'custodian-2020-01-03T000000Z.sqlite',
        'custodian-2020-01-03T000000Z.sqlite.keys.json',
        'custodian-2020-01-03T000000Z.sqlite.manifest.json',
        'notes.txt',
        path.basename(/Backup written: (\S+)/.exec(r.stdout)![1]!),
        `${path.basename(/Backup written: (\S+)/.exec(r.stdout)![1]!)}.keys.json`,
        `${path.basename(/Backup written: (\S+)/.exec(r.stdout)![1]!)}.manifest.json`,
      ].sort(),
    );
    const bad = await cli(t, ['backup', '--keep', '0']);
    expect(bad.code).toBe(2);
  });

  it('from the console: an administrator backs up and makes a new recovery key, each recorded by name', async () => {
    t = await scene();
    const s = t.backend.openSession();
    const admin = await t.call(s, 'auth.login', {
      username: ADMIN.username,
      password: ADMIN.password,
    });
    const made = await t.call(s, 'backup.create', {});
    expect(made.file.startsWith(path.join(t.dir, 'backups'))).toBe(true);
    expect(readManifest(made.file).sha256).toBe(made.sha256);
    expect(made.chainHeadSeq).toBeGreaterThanOrEqual(2);
    const refused = await t.fail(s, 'keys.newRecoveryKey', {} as never);
    expect(refused.code).toBe('VALIDATION');
    const { recoveryKey } = await t.call(s, 'keys.newRecoveryKey', { confirm: true });
    const key = (t.database as { key: Buffer }).key;
    const opened = await unlockDataKey(keyFileFor(t.filename), {
      kind: 'recovery',
      text: recoveryKey,
    });
    expect(opened.equals(key)).toBe(true);
    const events = await listKeyEvents(t.backend.services.db);
    expect(events.map((e) => [e.event, e.via, e.actorId])).toEqual([
      ['backup', 'console', admin.user.id],
      ['recovery_key_regenerated', 'console', admin.user.id],
    ]);
  });

  it('refuses a changed backup, a lying manifest or none, replacing nothing', async () => {
    t = await scene();
    const to = path.join(t.dir, 'b.sqlite');
    expect((await cli(t, ['backup', '--to', to])).code).toBe(0);
    await t.backend.close();
    const before = sha256(t.filename);
    const attempt = async (file: string) => {
      const r = await cli(t!, ['restore', file, '--yes']);
      expect(r.code).toBe(1);
      expect(sha256(t!.filename)).toBe(before);
      expect(fs.existsSync(`${t!.filename}.restoring`)).toBe(false);
      return r.stderr;
    };
    expect((await cli(t, ['restore', to])).stderr).toContain('add --yes');

    const flipped = path.join(t.dir, 'flipped.sqlite');
    const bytes = fs.readFileSync(to);
    const at = bytes.length - 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    fs.writeFileSync(flipped, bytes);
    fs.copyFileSync(manifestFileFor(to), manifestFileFor(flipped));
    expect(await attempt(flipped)).toContain('its SHA-256 differs');

    const lying = path.join(t.dir, 'lying.sqlite');
    fs.copyFileSync(to, lying);
    const manifest = readManifest(to);
    fs.writeFileSync(
      manifestFileFor(lying),
      JSON.stringify({ ...manifest, rowCounts: { ...manifest.rowCounts, accounts: 9999 } }),
    );
    expect(await attempt(lying)).toContain('rowCounts differs');

    const bare = path.join(t.dir, 'bare.sqlite');
    fs.copyFileSync(to, bare);
    expect(await attempt(bare)).toContain('manifest');
    expect(await attempt(path.join(t.dir, 'nothing.sqlite'))).toContain('There is no backup');
  });
});
