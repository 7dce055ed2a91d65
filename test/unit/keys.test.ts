/** main/keys: the data key's wraps and its key file, in plain Node (no database). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UnlockError,
  addKeychainWrap,
  createKeys,
  regenerateRecoveryKey,
  unlockDataKey,
  type Keychain,
} from '../../main/keys/data-key';
import { KeyFileError, readKeyFile } from '../../main/keys/key-file';
import { dataKeySealer } from '../../main/keys/sealer';
import {
  formatRecoveryKey,
  parseRecoveryKey,
  passphraseKek,
  randomKey,
  seal,
  unseal,
} from '../../main/keys/wrap';

const FAST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const keyFile = () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-keys-'));
  return path.join(dir, 'db.sqlite.keys.json');
};

/** A stand-in for safeStorage: XOR with a fixed byte is enough to tell wraps apart. */
const fakeKeychain: Keychain = {
  seal: (plain) => Buffer.from(plain.map((b) => b ^ 0x5a)).toString('base64'),
  open: (sealed) => Buffer.from(Buffer.from(sealed, 'base64').map((b) => b ^ 0x5a)),
};

describe('wraps', () => {
  it('AES-256-GCM: opens with the key and purpose it was sealed with, nothing else', () => {
    const kek = randomKey();
    const sealed = seal(kek, Buffer.from('secret'), 'data-key');
    expect(unseal(kek, sealed, 'data-key')?.toString()).toBe('secret');
    expect(unseal(randomKey(), sealed, 'data-key')).toBeNull();
    expect(unseal(kek, sealed, 'another-purpose')).toBeNull();
    const tampered = { ...sealed, data: Buffer.from('x').toString('base64') };
    expect(unseal(kek, tampered, 'data-key')).toBeNull();
  });

  it('recovery keys round-trip as typed (case, spaces, dashes) and refuse anything else', () => {
    const key = randomKey();
    const shown = formatRecoveryKey(key);
    expect(shown).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    expect(parseRecoveryKey(shown.toUpperCase().replace(/-/g, ' '))?.equals(key)).toBe(true);
    expect(parseRecoveryKey(shown.slice(1))).toBeNull();
    expect(parseRecoveryKey(`${shown.slice(0, -1)}g`)).toBeNull();
  });

  it('scrypt derives the same key from the same passphrase and salt only', async () => {
    const salt = Buffer.alloc(16, 1);
    const a = await passphraseKek('correct horse battery', salt, FAST_SCRYPT);
    expect((await passphraseKek('correct horse battery', salt, FAST_SCRYPT)).equals(a)).toBe(true);
    expect((await passphraseKek('correct horse batterz', salt, FAST_SCRYPT)).equals(a)).toBe(false);
    expect(
      (await passphraseKek('correct horse battery', Buffer.alloc(16, 2), FAST_SCRYPT)).equals(a),
    ).toBe(false);
  });
});

describe('the key file', () => {
  it('holds the data key only wrapped, opens with the keychain and the recovery key', async () => {
    const file = keyFile();
    const made = await createKeys(file, { keychain: fakeKeychain });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(made.dataKey.toString('hex'));
    expect(text).not.toContain(made.dataKey.toString('base64'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const viaKeychain = await unlockDataKey(file, { kind: 'keychain', keychain: fakeKeychain });
    expect(viaKeychain.equals(made.dataKey)).toBe(true);
    const viaRecovery = await unlockDataKey(file, { kind: 'recovery', text: made.recoveryKey });
    expect(viaRecovery.equals(made.dataKey)).toBe(true);
  });

  it('a new recovery key replaces the old; a keychain wrap can be added later', async () => {
    const file = keyFile();
    const made = await createKeys(file);
    const fresh = regenerateRecoveryKey(file, made.dataKey);
    await expect(unlockDataKey(file, { kind: 'recovery', text: made.recoveryKey })).rejects.toThrow(
      UnlockError,
    );
    expect(
      (await unlockDataKey(file, { kind: 'recovery', text: fresh })).equals(made.dataKey),
    ).toBe(true);
    await expect(unlockDataKey(file, { kind: 'keychain', keychain: fakeKeychain })).rejects.toThrow(
      /not sealed by this computer's keychain/,
    );
    addKeychainWrap(file, made.dataKey, fakeKeychain);
    const k = await unlockDataKey(file, { kind: 'keychain', keychain: fakeKeychain });
    expect(k.equals(made.dataKey)).toBe(true);
  });

  it('refuses a short passphrase, and a damaged file by the field that is wrong', async () => {
    const file = keyFile();
    await expect(createKeys(file, { passphrase: 'short', scrypt: FAST_SCRYPT })).rejects.toThrow(
      /at least 12 characters/,
    );
    await createKeys(file, { passphrase: 'long enough passphrase', scrypt: FAST_SCRYPT });
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { passphrase: { N: number } };
    json.passphrase.N = 1024; // weaker than the floor: refused, not used
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => readKeyFile(file)).toThrow(KeyFileError);
    expect(() => readKeyFile(file)).toThrow(/passphrase\.N/);
    fs.writeFileSync(file, 'not json');
    expect(() => readKeyFile(file)).toThrow(/not valid JSON/);
  });
});

describe('the data-key sealer', () => {
  it('opens only what it sealed, under the same data key and purpose', () => {
    const key = randomKey();
    const sealer = dataKeySealer(key, 'checkpoint-signing-key');
    const sealed = sealer.seal(Buffer.from('-----BEGIN PRIVATE KEY-----'));
    expect(sealed.toString()).not.toContain('PRIVATE KEY');
    expect(sealer.open(sealed)?.toString()).toBe('-----BEGIN PRIVATE KEY-----');
    expect(dataKeySealer(randomKey(), 'checkpoint-signing-key').open(sealed)).toBeNull();
    expect(dataKeySealer(key, 'other').open(sealed)).toBeNull();
    expect(sealer.open(Buffer.from('garbage'))).toBeNull();
  });
});
