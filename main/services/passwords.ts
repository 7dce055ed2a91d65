import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// OWASP's scrypt minimum is N=2^17,r=8,p=1; N=2^15 with r=8 costs ~50 ms here and keeps the
// login path responsive. The parameters are stored with each hash so they can be raised later.
export const PASSWORD_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
/** What the test suites make new hashes with (see lowerPasswordCostForTests). */
const TEST_PARAMS = { N: 2 ** 10, r: 8, p: 1 } as const;
let params: { N: number; r: number; p: number } = PASSWORD_PARAMS;
const KEY_LENGTH = 32;

/**
 * Test runs only: new hashes are made at N = 2^10 instead of 2^15. The suites create and sign in
 * staff by the hundred, and at full cost scrypt was most of their time (269 derivations, 28 of
 * the 31 s of the four-eyes suite). Refused outside vitest, so no setting or environment of a
 * running console or server can lower it. Checking a password always uses the parameters stored
 * with its hash, so every path is the same; only the cost of a new hash changes.
 */
export function lowerPasswordCostForTests(lowered = true): void {
  if (!process.env.VITEST) throw new Error('The password cost is lowered only in test runs.');
  params = lowered ? TEST_PARAMS : PASSWORD_PARAMS;
}

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...opts, maxmem: 256 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` with base64 salt and hash; the password itself is never stored. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown username is not revealed by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not a real password');
  await verifyPassword(password, await dummyHash);
}
