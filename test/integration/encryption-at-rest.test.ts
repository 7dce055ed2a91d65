/**
 * Issue 14: the embedded database is an SQLCipher file. A canary tax id and fraud note written
 * through the real services are nowhere on disk in clear (database, WAL, SHM), and a wrong key
 * or a damaged file is refused with a message naming the key tried, leaving the file unchanged.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { databaseKey } from '../../main/app/database-key';
import { connect } from '../../main/db/connect';
import { DatabaseKeyError } from '../../main/db/sqlcipher';
import { UnlockError, createKeys, setPassphrase } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import {
  ADMIN,
  describeSqliteOnly,
  openTestBackend,
  sqliteFilename,
  type TestBackend,
} from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import { signingKeySealer } from '../../main/backend';
import { CHECKPOINT_KEY_PURPOSE, dataKeySealer } from '../../main/keys/sealer';
import { loadSigningKey } from '../../main/services/audit/checkpoint';
import { it } from 'vitest';

const TAX_CANARY = 'TAXCANARY918273645';
const NOTE_CANARY = 'fraudcanary-the-vault-code-is-4471';

let t: TestBackend | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every encoding SQLite could store the text in. */
function assertAbsent(file: string): void {
  if (!fs.existsSync(file)) return;
  const bytes = fs.readFileSync(file);
  for (const canary of [TAX_CANARY, NOTE_CANARY]) {
    for (const encoding of ['utf8', 'utf16le'] as const) {
      expect(bytes.includes(Buffer.from(canary, encoding)), `${canary} in ${file}`).toBe(false);
    }
    expect(bytes.includes(Buffer.from(canary, 'utf16le').swap16()), `${canary} in ${file}`).toBe(
      false,
    );
  }
}

async function withCanaries(): Promise<TestBackend> {
  const backend = await openTestBackend();
  const s = backend.backend.openSession();
  const admin = await backend.call(s, 'setup.createFirstAdmin', ADMIN);
  const write = fixtureWriter(backend, admin.user.id);
  // Many rows, so that pages go through the WAL and a sort could spill.
  for (let i = 0; i < 40; i++) {
    await write.create({
      lastName: `Canary${i}`,
      taxId: `${TAX_CANARY.slice(0, 14)}${String(i).padStart(4, '0')}`,
      fraudNotes: `${NOTE_CANARY} #${i}`,
    });
  }
  await write.create({ lastName: 'Exact', taxId: TAX_CANARY, fraudNotes: NOTE_CANARY });
  return backend;
}

describeSqliteOnly('encryption at rest (SQLCipher)', () => {
  it('keeps the canaries out of the database file, its WAL and SHM, open and closed', async () => {
    t = await withCanaries();
    const file = sqliteFilename(t);
    const db = t.backend.services.db;
    const [cipher] = (await db.raw('PRAGMA cipher_version')) as { cipher_version: string }[];
    expect(cipher?.cipher_version).toMatch(/^4\.\d+\.\d+ community$/);
    const [temp] = (await db.raw('PRAGMA temp_store')) as { temp_store: number }[];
    expect(temp?.temp_store).toBe(2); // MEMORY: no temporary file at all
    // A sort over every row, as the list does: still nothing in clear anywhere in the folder.
    await db('accounts').orderBy('fraud_notes').select('fraud_notes');
    // The WAL holds the recent pages while open: it must be there and encrypted.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    for (const f of fs.readdirSync(t.dir)) {
      const p = path.join(t.dir, f);
      if (fs.statSync(p).isFile()) assertAbsent(p);
    }
    // The data is really there (read back through the key).
    const row = await db('accounts').where({ tax_id: TAX_CANARY }).first('fraud_notes');
    expect(row?.fraud_notes).toBe(NOTE_CANARY);
    await t.backend.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) assertAbsent(f);
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
  });

  it('the canary check itself finds the canaries in a plaintext file (the control)', async () => {
    t = await openTestBackend();
    const file = path.join(t.dir, 'plain.sqlite');
    const plain = connect({ client: 'sqlite', filename: file, key: null });
    await plain.raw('CREATE TABLE t (x TEXT)');
    await plain('t').insert([{ x: TAX_CANARY }, { x: NOTE_CANARY }]);
    await plain.destroy();
    expect(() => assertAbsent(file)).toThrow(TAX_CANARY);
  });

  it('keeps the audit checkpoint signing key sealed by the data key, sealing a clear one', async () => {
    t = await withCanaries();
    const comp = await signedInAs(t, 'compliance_officer', 'cora');
    await t.call(comp, 'exports.accounts', {
      fields: ['lastName'],
      format: 'csv',
      fileName: 'a.csv',
    });
    const cp = await t.call(comp, 'disclosures.checkpoint', { fileName: 'cp.json' });
    const sealedFile = path.join(t.dir, 'audit-checkpoint-key.sealed');
    expect(fs.existsSync(path.join(t.dir, 'audit-checkpoint-key.pem'))).toBe(false);
    expect(fs.readFileSync(sealedFile, 'utf8')).not.toContain('PRIVATE KEY');
    const key = (t.database as { key: Buffer }).key;
    const sealer = signingKeySealer(t.database)!;
    // The same key opens again; another database's key does not.
    expect(
      createPublicKey(loadSigningKey(t.dir, sealer)).export({ type: 'spki', format: 'pem' }),
    ).toBe(cp.checkpoint.publicKey);
    const other = dataKeySealer(randomBytes(32), CHECKPOINT_KEY_PURPOSE);
    expect(() => loadSigningKey(t!.dir, other)).toThrow(/does not open with this database's key/);
    expect(key.length).toBe(32);

    // A clear key from an earlier release is sealed and its clear file removed; same key.
    const dir = path.join(t.dir, 'legacy');
    const clear = loadSigningKey(dir);
    expect(fs.existsSync(path.join(dir, 'audit-checkpoint-key.pem'))).toBe(true);
    const sealed = loadSigningKey(dir, sealer);
    expect(fs.existsSync(path.join(dir, 'audit-checkpoint-key.pem'))).toBe(false);
    expect(sealed.export({ type: 'pkcs8', format: 'pem' })).toBe(
      clear.export({ type: 'pkcs8', format: 'pem' }),
    );
  });

  it('refuses a wrong data key and a damaged file, changing nothing', async () => {
    t = await withCanaries();
    const file = sqliteFilename(t);
    await t.backend.close();
    const before = sha256(file);
    const wrong = connect({ client: 'sqlite', filename: file, key: randomBytes(32) });
    await expect(wrong.raw('SELECT 1')).rejects.toBeInstanceOf(DatabaseKeyError);
    await wrong.destroy();
    expect(sha256(file)).toBe(before);
    // Opening it as plaintext reads nothing either.
    const plain = connect({ client: 'sqlite', filename: file, key: null });
    await expect(plain.raw('SELECT count(*) FROM accounts')).rejects.toThrow();
    await plain.destroy();
    expect(sha256(file)).toBe(before);

    // A damaged first page: refused with the same clear error, file unchanged.
    const damaged = path.join(t.dir, 'damaged.sqlite');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x41, 100, 400);
    fs.writeFileSync(damaged, bytes);
    const damagedHash = sha256(damaged);
    const key = (t.database as { key: Buffer }).key;
    const opened = connect({ client: 'sqlite', filename: damaged, key });
    const err = await opened.raw('SELECT 1').catch((e: unknown) => e);
    await opened.destroy();
    expect(err).toBeInstanceOf(DatabaseKeyError);
    expect((err as Error).message).toMatch(/damaged, or it belongs to another key file/);
    expect(sha256(damaged)).toBe(damagedHash);
  });

  it('names the key tried when the recovery key or passphrase is wrong, and touches no file', async () => {
    t = await openTestBackend();
    const file = path.join(t.dir, 'keyed.sqlite');
    const made = await databaseKey(file, {
      create: true,
      unlock: () => Promise.reject(new Error('not asked for a new database')),
    });
    expect(made.recoveryKey).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    const db = connect({ client: 'sqlite', filename: file, key: made.key });
    await db.raw('CREATE TABLE t (x TEXT)');
    await db('t').insert({ x: TAX_CANARY });
    await db.destroy();
    await setPassphrase(keyFileFor(file), made.key, 'a long enough passphrase', {
      N: 2 ** 14,
      r: 8,
      p: 1,
    });
    const hashes = () => [sha256(file), sha256(keyFileFor(file))];
    const before = hashes();

    const flipped = made.recoveryKey!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const recovery = await databaseKey(file, {
      create: false,
      unlock: () => Promise.resolve({ kind: 'recovery', text: flipped }),
    }).catch((e: unknown) => e);
    expect(recovery).toBeInstanceOf(UnlockError);
    expect((recovery as UnlockError).tried).toBe('recovery');
    expect((recovery as Error).message).toMatch(/The recovery key does not open this database/);
    expect((recovery as Error).message).not.toContain(flipped);

    const notAKey = await databaseKey(file, {
      create: false,
      unlock: () => Promise.resolve({ kind: 'recovery', text: 'abc' }),
    }).catch((e: unknown) => e);
    expect((notAKey as Error).message).toMatch(/64 hexadecimal digits/);

    const passphrase = await databaseKey(file, {
      create: false,
      unlock: () => Promise.resolve({ kind: 'passphrase', text: 'not the passphrase' }),
    }).catch((e: unknown) => e);
    expect((passphrase as UnlockError).tried).toBe('passphrase');
    expect((passphrase as Error).message).toMatch(/passphrase is wrong.*recovery key/);

    const keychain = await databaseKey(file, {
      create: false,
      unlock: () =>
        Promise.resolve({
          kind: 'keychain',
          keychain: { seal: () => '', open: () => Buffer.alloc(32) },
        }),
    }).catch((e: unknown) => e);
    expect((keychain as UnlockError).tried).toBe('keychain');
    expect((keychain as Error).message).toMatch(/not sealed by this computer's keychain/);
    expect(hashes()).toEqual(before);

    // The right ones open it.
    for (const unlock of [
      { kind: 'recovery' as const, text: made.recoveryKey!.toUpperCase() },
      { kind: 'passphrase' as const, text: 'a long enough passphrase' },
    ]) {
      const opened = await databaseKey(file, {
        create: false,
        unlock: () => Promise.resolve(unlock),
      });
      expect(opened.key.equals(made.key)).toBe(true);
    }
  });

  it('refuses an encrypted file whose key file is missing, and a damaged key file, by name', async () => {
    t = await openTestBackend();
    const file = path.join(t.dir, 'lost-keys.sqlite');
    const { dataKey } = await createKeys(keyFileFor(file));
    const db = connect({ client: 'sqlite', filename: file, key: dataKey });
    await db.raw('CREATE TABLE t (x TEXT)');
    await db.destroy();
    const never = () => Promise.reject(new Error('not asked'));
    fs.writeFileSync(keyFileFor(file), '{"format":"custodian-keys/1","recovery":{}}');
    await expect(databaseKey(file, { create: false, unlock: never })).rejects.toThrow(
      /key file .* is damaged \(recovery\.iv/,
    );
    fs.rmSync(keyFileFor(file));
    await expect(databaseKey(file, { create: false, unlock: never })).rejects.toThrow(
      /is encrypted but its key file .* is missing/,
    );
  });
});
