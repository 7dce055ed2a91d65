/**
 * The workstation's start on its embedded database (issue 14): opened by the OS keychain where
 * there is one; where there is none, a new database asks for a passphrase and shows its recovery
 * key once, and every later start asks for the passphrase or the recovery key. A wrong key is
 * refused with a message that says which key was tried and changes nothing; no contract channel
 * answers before the key is right. An earlier release's direct database connection is retired.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Keychain } from '../../main/keys/data-key';
import { keyFileFor, readKeyFile } from '../../main/keys/key-file';
import { silentLogger } from '../../main/log';
import {
  CHOICE_FILE,
  LEGACY_CONNECTION_FILE,
  LEGACY_NOTICE,
} from '../../main/workstation/choice-file';
import { Workstation, type WorkstationOptions } from '../../main/workstation/workstation';
import type { WorkstationStatus } from '../../shared/workstation';
import { ADMIN, describeSqliteOnly } from '../support/backend';

const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let open: Workstation[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-workstation-'));
  open = [];
});

afterEach(async () => {
  for (const w of open) await w.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A keychain that seals with a key of its own; `broken` stands for a reset or foreign keychain. */
function fakeKeychain(broken = false): Keychain {
  const secret = randomBytes(32);
  return {
    seal: (plain) => Buffer.concat([secret.subarray(0, 4), plain]).toString('base64'),
    open: (sealed) => {
      if (broken) throw new Error('keychain cannot open this');
      const bytes = Buffer.from(sealed, 'base64');
      if (!bytes.subarray(0, 4).equals(secret.subarray(0, 4))) throw new Error('not ours');
      return bytes.subarray(4);
    },
  };
}

let picked: string | null = null;

async function start(keychain: Keychain | null): Promise<Workstation> {
  const options: WorkstationOptions = {
    userData: path.join(dir, 'user-data'),
    databaseFile: path.join(dir, 'custodian.sqlite'),
    keychain,
    client: { hostname: 'desk', ip: '127.0.0.1', os: 'TestOS', appVersion: 'test' },
    logger: silentLogger,
    chooseBackupFile: () => Promise.resolve(picked),
    embedded: {
      exportDir: path.join(dir, 'exports'),
      keyDir: dir,
      witnessDirs: [path.join(dir, 'witness')],
    },
  };
  const w = await Workstation.start(options);
  open.push(w);
  return w;
}

async function own(w: Workstation, channel: string, input: unknown = {}) {
  return w.invoke(1, channel, input);
}

async function status(w: Workstation): Promise<WorkstationStatus> {
  const answer = await own(w, 'workstation.status');
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as WorkstationStatus;
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describeSqliteOnly('the embedded workstation at start', () => {
  it('opens with the keychain, shows the recovery key once, and opens again without asking', async () => {
    const keychain = fakeKeychain();
    const first = await start(keychain);
    const s = await status(first);
    expect(s.state).toEqual({ kind: 'ready' });
    expect(s.mode).toBe('embedded');
    expect(s.recoveryKey).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/i);
    expect((await own(first, 'workstation.recoveryKeyShown')).ok).toBe(true);
    expect((await status(first)).recoveryKey).toBeNull();
    const made = await first.invoke(1, 'setup.createFirstAdmin', ADMIN);
    expect(made.ok).toBe(true);
    await first.close();
    open = [];

    const again = await start(keychain);
    expect(await status(again)).toMatchObject({ state: { kind: 'ready' }, recoveryKey: null });
    const app = await again.invoke(1, 'app.status', {});
    expect(app).toMatchObject({ ok: true, value: { initialised: true } });
  });

  it('without a keychain asks for a passphrase, then for it (or the recovery key) at every start', async () => {
    const first = await start(null);
    expect((await status(first)).state).toEqual({ kind: 'new-key' });
    // Nothing of the contract answers before the database is open.
    const early = await first.invoke(1, 'app.status', {});
    expect(early).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    if (!early.ok) expect(early.error.message).toMatch(/passphrase/);

    const short = await own(first, 'workstation.createKey', {
      passphrase: 'short',
      repeat: 'short',
    });
    expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!short.ok) expect(short.error.fieldErrors?.passphrase).toMatch(/At least 12/);
    const differ = await own(first, 'workstation.createKey', {
      passphrase: PASSPHRASE,
      repeat: `${PASSPHRASE}!`,
    });
    if (differ.ok) throw new Error('two different passphrases were accepted');
    expect(differ.error.fieldErrors?.repeat).toMatch(/differ/);
    expect(fs.existsSync(keyFileFor(path.join(dir, 'custodian.sqlite')))).toBe(false);

    const made = await own(first, 'workstation.createKey', {
      passphrase: PASSPHRASE,
      repeat: PASSPHRASE,
    });
    if (!made.ok) throw new Error(made.error.message);
    const ready = made.value as WorkstationStatus;
    expect(ready.state).toEqual({ kind: 'ready' });
    const recoveryKey = ready.recoveryKey!;
    expect(recoveryKey).toBeTruthy();
    expect((await first.invoke(1, 'setup.createFirstAdmin', ADMIN)).ok).toBe(true);
    // The key file holds no keychain wrap (there is none) and neither secret in clear.
    const keyText = fs.readFileSync(keyFileFor(path.join(dir, 'custodian.sqlite')), 'utf8');
    expect(keyText).not.toContain(PASSPHRASE);
    expect(keyText).not.toContain(recoveryKey);
    expect(readKeyFile(keyFileFor(path.join(dir, 'custodian.sqlite')))?.keychain).toBeUndefined();
    await first.close();
    open = [];

    const second = await start(null);
    expect((await status(second)).state).toEqual({
      kind: 'locked',
      passphrase: true,
      problem: null,
    });
    const database = path.join(dir, 'custodian.sqlite');
    const before = { db: sha(database), keys: sha(keyFileFor(database)) };
    const wrong = await own(second, 'workstation.unlock', {
      kind: 'passphrase',
      secret: 'not the passphrase',
    });
    if (wrong.ok) throw new Error('a wrong passphrase opened the database');
    expect(wrong.error.code).toBe('VALIDATION');
    expect(wrong.error.message).toMatch(/passphrase/i);
    expect(wrong.error.fieldErrors?.secret).toBe(wrong.error.message);
    const notAKey = await own(second, 'workstation.unlock', { kind: 'recovery', secret: 'abc' });
    if (notAKey.ok) throw new Error('a malformed recovery key was accepted');
    expect(notAKey.error.message).toMatch(/not a recovery key/);
    // Refusals change nothing, and the state still asks.
    expect({ db: sha(database), keys: sha(keyFileFor(database)) }).toEqual(before);
    expect((await status(second)).state.kind).toBe('locked');
    expect(
      (await second.invoke(1, 'auth.login', { username: ADMIN.username, password: ADMIN.password }))
        .ok,
    ).toBe(false);

    const unlocked = await own(second, 'workstation.unlock', {
      kind: 'passphrase',
      secret: PASSPHRASE,
    });
    expect(unlocked).toMatchObject({
      ok: true,
      value: { state: { kind: 'ready' }, recoveryKey: null },
    });
    const signedIn = await second.invoke(1, 'auth.login', {
      username: ADMIN.username,
      password: ADMIN.password,
    });
    expect(signedIn.ok).toBe(true);
    await second.close();
    open = [];

    const third = await start(null);
    const byRecovery = await own(third, 'workstation.unlock', {
      kind: 'recovery',
      secret: recoveryKey,
    });
    expect(byRecovery).toMatchObject({ ok: true, value: { state: { kind: 'ready' } } });
  });

  it('a keychain that cannot open the key asks for the recovery key, then seals the key by the new keychain', async () => {
    const made = await start(fakeKeychain());
    const recoveryKey = (await status(made)).recoveryKey!;
    await made.close();
    open = [];

    // Another computer, or a reset keychain: the old wrap no longer opens.
    const newKeychain = fakeKeychain();
    const moved = await start(newKeychain);
    const s = await status(moved);
    expect(s.state).toMatchObject({ kind: 'locked', passphrase: false });
    if (s.state.kind === 'locked') expect(s.state.problem).toMatch(/recovery key/);
    const opened = await own(moved, 'workstation.unlock', {
      kind: 'recovery',
      secret: recoveryKey,
    });
    expect(opened).toMatchObject({ ok: true, value: { state: { kind: 'ready' } } });
    await moved.close();
    open = [];

    const everyday = await start(newKeychain);
    expect((await status(everyday)).state).toEqual({ kind: 'ready' });
  });

  it('keeps each caller’s sign-in apart', async () => {
    const w = await start(fakeKeychain());
    await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
    const one = await w.invoke(1, 'app.status', {});
    const two = await w.invoke(2, 'app.status', {});
    expect(one).toMatchObject({
      ok: true,
      value: { session: { user: { username: ADMIN.username } } },
    });
    expect(two).toMatchObject({ ok: true, value: { session: null } });
    w.forget(1);
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { session: null },
    });
  });

  it('only a signed-in administrator may switch a ready workstation to a team server', async () => {
    const w = await start(fakeKeychain());
    const join = {
      url: 'https://127.0.0.1:9',
      fingerprint: 'ab'.repeat(32),
      code: 'ENROLMENT-CODE-1',
      name: 'Front desk',
    };
    expect(await own(w, 'workstation.joinTeam', join)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
    // An administrator gets as far as the server, which is not there: nothing changes.
    const answer = await own(w, 'workstation.joinTeam', join);
    expect(answer).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    expect((await status(w)).mode).toBe('embedded');
    expect(fs.existsSync(path.join(dir, 'user-data', CHOICE_FILE))).toBe(false);
    const bad = await own(w, 'workstation.joinTeam', {
      ...join,
      url: 'http://x',
      fingerprint: 'zz',
    });
    if (bad.ok) throw new Error('a bad address was accepted');
    expect(Object.keys(bad.error.fieldErrors ?? {}).sort()).toEqual(['fingerprint', 'url']);
  });

  it('retires an earlier release’s direct database connection, password and all', async () => {
    const userData = path.join(dir, 'user-data');
    fs.mkdirSync(userData, { recursive: true });
    const legacy = path.join(userData, LEGACY_CONNECTION_FILE);
    fs.writeFileSync(
      legacy,
      JSON.stringify({ mode: 'pg', host: 'db', user: 'custodian', sealedPassword: 'c2VhbGVk' }),
    );
    const w = await start(fakeKeychain());
    const s = await status(w);
    expect(s).toMatchObject({
      mode: 'team',
      server: null,
      state: { kind: 'team-setup', problem: LEGACY_NOTICE },
    });
    expect(fs.existsSync(legacy)).toBe(false);
    expect(fs.readFileSync(path.join(userData, CHOICE_FILE), 'utf8')).not.toContain('c2VhbGVk');
    // Whoever is at a workstation that is not set up may go back to its own database.
    const back = await own(w, 'workstation.useEmbedded');
    expect(back).toMatchObject({ ok: true, value: { mode: 'embedded', state: { kind: 'ready' } } });
  });

  it('a damaged settings file is a clear start-up failure, and nothing is overwritten', async () => {
    const userData = path.join(dir, 'user-data');
    fs.mkdirSync(userData, { recursive: true });
    fs.writeFileSync(path.join(userData, CHOICE_FILE), '{"mode": "team"');
    const w = await start(fakeKeychain());
    const s = await status(w);
    expect(s.state.kind).toBe('failed');
    if (s.state.kind === 'failed') expect(s.state.message).toMatch(/workstation\.json is damaged/);
    expect(fs.readFileSync(path.join(userData, CHOICE_FILE), 'utf8')).toBe('{"mode": "team"');
  });

  it('an administrator restores a checked backup from the console; a changed backup is refused', async () => {
    const w = await start(fakeKeychain());
    await w.invoke(1, 'setup.createFirstAdmin', ADMIN);
    const settings = (minutes: number) =>
      w.invoke(1, 'settings.update', { idleLockMinutes: minutes, accessLogRetentionDays: 400 });
    expect((await settings(7)).ok).toBe(true);
    const made = await w.invoke(1, 'backup.create', {});
    if (!made.ok) throw new Error(made.error.message);
    const backupFile = (made.value as { file: string }).file;
    expect((await settings(42)).ok).toBe(true);

    // Only a signed-in administrator may check or restore one.
    picked = backupFile;
    expect(await w.invoke(2, 'workstation.checkBackup', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const offered = await w.invoke(1, 'workstation.checkBackup', {});
    if (!offered.ok) throw new Error(offered.error.message);
    const offer = (offered.value as WorkstationStatus).restore;
    expect(offer).toMatchObject({ file: backupFile, appVersion: expect.any(String) });
    expect(offer?.rowCounts.staff).toBe(1);
    expect(await w.invoke(2, 'workstation.restore', { confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const restored = await w.invoke(1, 'workstation.restore', { confirm: true });
    expect(restored).toMatchObject({
      ok: true,
      value: { state: { kind: 'ready' }, restore: null },
    });
    // Every window starts over on the restored database, whose settings are the backup's.
    expect(await w.invoke(1, 'app.status', {})).toMatchObject({
      ok: true,
      value: { session: null },
    });
    await w.invoke(1, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    expect(await w.invoke(1, 'settings.get', {})).toMatchObject({
      ok: true,
      value: { idleLockMinutes: 7 },
    });
    const events = await w.embeddedBackend!.services.db('key_events').where({ event: 'restore' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ via: 'console', actor_id: expect.any(String) });
    // The witness saw nothing the backup lacks (no disclosure since): the log verifies clean.
    const verified = await w.embeddedBackend!.services.witnesses.check();
    expect(verified.every((c) => c.ok)).toBe(true);
    const aside = fs.readdirSync(dir).filter((f) => f.includes('.before-restore-'));
    expect(aside).toHaveLength(1);

    // A backup changed after it was made is refused, and the database is not touched.
    const changed = path.join(dir, 'changed.sqlite');
    fs.copyFileSync(backupFile, changed);
    fs.copyFileSync(`${backupFile}.manifest.json`, `${changed}.manifest.json`);
    const bytes = fs.readFileSync(changed);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    fs.writeFileSync(changed, bytes);
    picked = changed;
    const refused = await w.invoke(1, 'workstation.checkBackup', {});
    if (refused.ok) throw new Error('a changed backup was offered');
    expect(refused.error.message).toMatch(/SHA-256 differs/);
    expect(await w.invoke(1, 'workstation.restore', { confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
