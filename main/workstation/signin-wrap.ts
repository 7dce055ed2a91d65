/**
 * Offline sign-in on a team workstation (issue 16): at each online sign-in the staff member's
 * replica key is wrapped under a key scrypt derives from the password they typed, beside their
 * replica, with who the server said they are. A laptop started where the server cannot be
 * reached then signs them in by unwrapping it: the password is checked by the wrap opening, and
 * the key it yields is the one that opens the replica. The password itself is never kept.
 *
 * The whole file is sealed by the OS keychain as well (as the replica's own key file is), so its
 * contents, the failure count included, cannot be read or reset without this OS account's
 * keychain; another OS user or a stolen disk gets neither the wrap nor the count.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROLES } from '../../shared/roles';
import type { SessionInfo } from '../../shared/types';
import { ACCESS_LEVELS } from '../../shared/visibility';
import { AppError } from '../../shared/errors';
import type { Keychain } from '../keys/data-key';
import { passphraseKek, seal, unseal, type ScryptParams } from '../keys/wrap';
import { fsyncPath, writeFileSynced } from '../fsync';

/**
 * N = 2^15, r = 8: 32 MiB per guess, about 200 ms on a shared two-core machine (2^16 took 0.6 to
 * 1.9 s there). The keychain seal is the first line against a stolen disk; this is the second.
 */
export const SIGNIN_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** Wrong passwords in a row after which offline sign-in waits for an online one. */
export const MAX_OFFLINE_FAILURES = 5;

/** The online sign-in's answer, word for word: nothing says whether the name has a wrap. */
export const BAD_CREDENTIALS = 'Incorrect username or password.';

const FILE = /^replica-([0-9a-f-]{36})\.db\.signin$/;
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const wrapSchema = z.object({
  format: z.literal('custodian-offline-signin/1'),
  user: z.object({
    id: z.string().uuid(),
    username: z.string().min(1),
    displayName: z.string(),
    role: z.enum(ROLES),
  }),
  idleLockMinutes: z.number().int().positive(),
  fieldAccess: z.record(z.string(), z.enum(ACCESS_LEVELS)),
  kdf: z.object({
    salt: base64,
    N: z
      .number()
      .int()
      .min(2 ** 15),
    r: z.number().int().min(8),
    p: z.number().int().min(1),
  }),
  key: z.object({ iv: base64, data: base64, tag: base64 }),
  /** Wrong passwords typed offline since the last online sign-in. */
  failures: z.number().int().min(0),
  madeAt: z.string(),
});
type Wrap = z.infer<typeof wrapSchema>;

/** Who signed in offline, and the replica key their password opened. */
export interface OfflineSignIn {
  session: SessionInfo;
  key: Buffer;
}

/** The wrap of `staffId`'s replica key: beside the replica, named like it. */
export function signInWrapFile(replicaFilename: string): string {
  return `${replicaFilename}.signin`;
}

/** The AAD binds the wrapped key to the staff member: a wrap copied onto another's does not open. */
const purpose = (staffId: string) => `offline-signin:${staffId}`;

export class SignInWraps {
  /** One change to the wrap files at a time (two windows typing at once count both failures). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly keychain: Keychain,
    private readonly params: ScryptParams = SIGNIN_SCRYPT,
  ) {}

  /**
   * Wraps `key` (the replica key of `session.user`) under `password`, replacing the wrap there
   * was: a new password, a new role or name, and the failure count back to nothing.
   */
  async make(replicaFilename: string, session: SessionInfo, password: string, key: Buffer) {
    const salt = randomBytes(16);
    const kek = await passphraseKek(password, salt, this.params);
    const wrap: Wrap = {
      format: 'custodian-offline-signin/1',
      user: { ...session.user },
      idleLockMinutes: session.idleLockMinutes,
      fieldAccess: { ...session.fieldAccess },
      kdf: { salt: salt.toString('base64'), ...this.params },
      key: seal(kek, key, purpose(session.user.id)),
      failures: 0,
      madeAt: new Date().toISOString(),
    };
    await this.serial(async () => this.write(signInWrapFile(replicaFilename), wrap));
  }

  /**
   * Opens `username`'s wrap with `password`. Refusals: no wrap here (say how to get one), a wrong
   * password (the online words, counted), too many wrong ones (until an online sign-in).
   */
  unlock(username: string, password: string): Promise<OfflineSignIn> {
    return this.serial(async () => {
      const found = this.find(username);
      if (!found) {
        throw new AppError(
          'SERVER_UNREACHABLE',
          `This workstation has no offline copy for ${username.trim()}: sign in once while the team server can be reached.`,
        );
      }
      const { file, wrap } = found;
      if (wrap.failures >= MAX_OFFLINE_FAILURES) throw lockedOut();
      const kek = await passphraseKek(password, Buffer.from(wrap.kdf.salt, 'base64'), wrap.kdf);
      const key = unseal(kek, wrap.key, purpose(wrap.user.id));
      if (!key) {
        const failures = wrap.failures + 1;
        this.write(file, { ...wrap, failures });
        if (failures >= MAX_OFFLINE_FAILURES) throw lockedOut();
        throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS, {
          fieldErrors: { password: BAD_CREDENTIALS },
        });
      }
      if (wrap.failures > 0) this.write(file, { ...wrap, failures: 0 });
      return {
        key,
        session: {
          user: { ...wrap.user },
          locked: false,
          mustChangePassword: false,
          idleLockMinutes: wrap.idleLockMinutes,
          fieldAccess: { ...wrap.fieldAccess },
        },
      };
    });
  }

  /** Deletes `staffId`'s wrap (a deactivated member, a password the server wants changed). */
  remove(replicaFilename: string): Promise<void> {
    return this.serial(async () => {
      fs.rmSync(signInWrapFile(replicaFilename), { force: true });
    });
  }

  /**
   * The wrap of `username` on this workstation (usernames are lower case at the server). A file
   * the keychain no longer opens, or that does not parse, is passed over: no offline sign-in
   * from it, and the next online sign-in writes a good one.
   */
  private find(username: string): { file: string; wrap: Wrap } | null {
    const wanted = username.trim().toLowerCase();
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return null;
    }
    for (const name of names.filter((n) => FILE.test(n))) {
      const file = path.join(this.dir, name);
      const wrap = this.read(file);
      if (wrap?.user.username.toLowerCase() === wanted) return { file, wrap };
    }
    return null;
  }

  private read(file: string): Wrap | null {
    try {
      const plain = this.keychain.open(fs.readFileSync(file, 'utf8').trim());
      const parsed = wrapSchema.safeParse(JSON.parse(plain.toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** The whole file beside its name, synced, renamed into place: a crash leaves old or new. */
  private write(file: string, wrap: Wrap): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    const sealed = this.keychain.seal(Buffer.from(JSON.stringify(wrapSchema.parse(wrap)), 'utf8'));
    writeFileSynced(temp, sealed);
    fs.renameSync(temp, file);
    fsyncPath(this.dir);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function lockedOut(): AppError {
  return new AppError(
    'LOGIN_LOCKED',
    `Too many wrong passwords for offline sign-in on this workstation: it is refused until you sign in while the team server can be reached.`,
  );
}
