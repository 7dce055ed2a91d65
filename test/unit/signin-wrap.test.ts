/**
 * The offline sign-in wrap (main/workstation/signin-wrap.ts): the replica key comes back only
 * with the password it was wrapped under, for the staff member it was wrapped for; wrong
 * passwords are counted in the sealed file and five refuse offline sign-in until a new wrap; a
 * file the keychain does not open is as good as none.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BAD_CREDENTIALS, SignInWraps, signInWrapFile } from '../../main/workstation/signin-wrap';
import type { SessionInfo } from '../../shared/types';
import { keychainWith } from '../support/keychain';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const PASSWORD = 'correct horse battery';
const keychain = keychainWith(randomBytes(16));

function setUp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-signin-'));
  dirs.push(dir);
  const staffId = randomUUID();
  const session: SessionInfo = {
    user: { id: staffId, username: 'sam', displayName: 'Sam Support', role: 'support_agent' },
    locked: false,
    mustChangePassword: false,
    idleLockMinutes: 10,
    fieldAccess: { firstName: 'edit', taxId: 'masked' },
  };
  const replica = path.join(dir, `replica-${staffId}.db`);
  return { dir, staffId, session, replica, key: randomBytes(32) };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
  );

describe('the offline sign-in wrap', () => {
  it('gives the key and the session back for the right password, whatever the name’s case', async () => {
    const { dir, session, replica, key } = setUp();
    await new SignInWraps(dir, keychain).make(replica, session, PASSWORD, key);
    const opened = await new SignInWraps(dir, keychain).unlock(' SAM ', PASSWORD);
    expect(opened.key.equals(key)).toBe(true);
    expect(opened.session).toEqual(session);
  });

  it('counts wrong passwords in the file; the fifth locks until the wrap is made again', async () => {
    const { dir, session, replica, key } = setUp();
    await new SignInWraps(dir, keychain).make(replica, session, PASSWORD, key);
    for (let i = 0; i < 4; i++) {
      // A new instance each time: the count is on disk, not in memory.
      expect(await refusal(new SignInWraps(dir, keychain).unlock('sam', `wrong ${i}`))).toEqual({
        code: 'UNAUTHENTICATED',
        message: BAD_CREDENTIALS,
      });
    }
    expect((await refusal(new SignInWraps(dir, keychain).unlock('sam', 'wrong')))?.code).toBe(
      'LOGIN_LOCKED',
    );
    expect((await refusal(new SignInWraps(dir, keychain).unlock('sam', PASSWORD)))?.code).toBe(
      'LOGIN_LOCKED',
    );
    await new SignInWraps(dir, keychain).make(replica, session, PASSWORD, key);
    expect((await new SignInWraps(dir, keychain).unlock('sam', PASSWORD)).key.equals(key)).toBe(
      true,
    );
  });

  it('a right password resets the count', async () => {
    const { dir, session, replica, key } = setUp();
    const wraps = new SignInWraps(dir, keychain);
    await wraps.make(replica, session, PASSWORD, key);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await refusal(wraps.unlock('sam', 'wrong'));
      expect((await wraps.unlock('sam', PASSWORD)).key.equals(key)).toBe(true);
    }
  });

  it('does not open for another staff member, even with their name and the right password', async () => {
    const { dir, session, replica, key } = setUp();
    await new SignInWraps(dir, keychain).make(replica, session, PASSWORD, key);
    // Someone with this OS account's keychain edits who the wrap is for: the tag binds the id.
    const file = signInWrapFile(replica);
    const inside = JSON.parse(
      keychain.open(fs.readFileSync(file, 'utf8')).toString('utf8'),
    ) as SessionInfo;
    inside.user.id = randomUUID();
    fs.writeFileSync(file, keychain.seal(Buffer.from(JSON.stringify(inside))));
    expect((await refusal(new SignInWraps(dir, keychain).unlock('sam', PASSWORD)))?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('a wrap another keychain sealed, or none at all, gets the sign-in-online message', async () => {
    const { dir, session, replica, key } = setUp();
    await new SignInWraps(dir, keychain).make(replica, session, PASSWORD, key);
    const elsewhere = new SignInWraps(dir, keychainWith(randomBytes(16)));
    const noCopy = {
      code: 'SERVER_UNREACHABLE',
      message:
        'This workstation has no offline copy for sam: sign in once while the team server can be reached.',
    };
    expect(await refusal(elsewhere.unlock('sam', PASSWORD))).toEqual(noCopy);
    const wraps = new SignInWraps(dir, keychain);
    await wraps.remove(replica);
    expect(fs.existsSync(signInWrapFile(replica))).toBe(false);
    expect(await refusal(wraps.unlock('sam', PASSWORD))).toEqual(noCopy);
  });

  it('refuses to be made with a key derivation cheaper than N = 2^15', async () => {
    const { dir, session, replica, key } = setUp();
    const cheap = new SignInWraps(dir, keychain, { N: 2 ** 10, r: 8, p: 1 });
    await expect(cheap.make(replica, session, PASSWORD, key)).rejects.toThrow();
    expect(fs.existsSync(signInWrapFile(replica))).toBe(false);
  });
});
