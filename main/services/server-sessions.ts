/**
 * Sign-in sessions held by the team server (issue 15) instead of in a workstation's memory.
 * The workstation gets an opaque random token; the database keeps only its SHA-256 with the
 * session's expiry, idle time and lock state. Every request resumes the session from the
 * database and re-reads the staff member, so deactivation, a role change, a lockout or a
 * sign-out made through any server instance takes effect on the next request to every other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/handle';
import { ServerSessionStore, type ServerSessionWithStaff } from '../db/stores/server-sessions';
import type { Clock } from './clock';
import type { SignedIn } from './session';

/** A session row with its staff member, as read at a request's door (atDoor). */
export type SessionRead = ServerSessionWithStaff;

export interface ServerSessionLimits {
  /** A session ends this long after sign-in, whatever its use. */
  lifetimeMs: number;
  /** A session nobody used for this long ends (the idle lock comes far sooner). */
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: ServerSessionLimits = {
  lifetimeMs: 12 * 3_600_000,
  idleMs: 4 * 3_600_000,
};

/** Activity is written back at most this often per session (one UPDATE per request otherwise). */
const ACTIVITY_WRITE_MS = 5_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function ended(message: string): AppError {
  return new AppError('UNAUTHENTICATED', message);
}

export class ServerSessionService {
  private readonly store: ServerSessionStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly limits: ServerSessionLimits = DEFAULT_SESSION_LIMITS,
    /** The backend's prepared statements (services.hot), for the read at every call's door. */
    hot?: ConstructorParameters<typeof ServerSessionStore>[1],
  ) {
    this.store = new ServerSessionStore(db, hot);
  }

  /** Starts a session for a fresh sign-in; answers the token, which is never stored. */
  async begin(signedIn: SignedIn, client: { hostname: string; seenIp: string }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.store.insert({
      tokenHash: hashToken(token),
      staffId: signedIn.staffId,
      role: signedIn.role,
      locked: signedIn.locked,
      createdAt: now.toISOString(),
      lastActivity: new Date(signedIn.lastActivity).toISOString(),
      expiresAt: new Date(now.getTime() + this.limits.lifetimeMs).toISOString(),
      clientHostname: client.hostname.slice(0, 255),
      seenIp: client.seenIp.slice(0, 64),
    });
    return token;
  }

  /**
   * The signed-in state behind a token, checked against the staff table as it is now; a session
   * that has ended for any reason is deleted and refused with that reason.
   */
  async resume(token: string, read?: ServerSessionWithStaff | null): Promise<SignedIn> {
    const tokenHash = hashToken(token);
    // `read`: the row as atDoor read it moments ago, in the same request (no second query).
    const row = read === undefined ? await this.store.find(tokenHash) : read;
    if (!row) {
      throw ended(
        'Your session has ended (signed out, expired or ended by an administrator). Sign in again.',
      );
    }
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const refusal = this.refusalFor(row, now);
    if (refusal) {
      await this.store.remove(tokenHash);
      throw ended(refusal);
    }
    return {
      staffId: row.staffId,
      username: row.staff.username,
      displayName: row.staff.displayName,
      // The role as the staff table has it now: a role change applies on the next request, on
      // every instance, as it does to the windows of the embedded mode.
      role: row.staff.role,
      // The staff table decides, so an administrator's password reset applies at once.
      mustChangePassword: row.staff.mustChangePassword,
      locked: row.locked,
      lastActivity: Date.parse(row.lastActivity) || Date.parse(nowIso),
    };
  }

  private refusalFor(row: ServerSessionWithStaff, now: Date): string | null {
    const nowIso = now.toISOString();
    if (row.expiresAt <= nowIso) return 'Your session expired. Sign in again.';
    if (Date.parse(row.lastActivity) + this.limits.idleMs <= now.getTime()) {
      return 'Your session ended after a long time unused. Sign in again.';
    }
    if (!row.staff.active) return 'Your staff account is no longer active.';
    if (row.staff.lockedUntil && row.staff.lockedUntil > nowIso) {
      return 'Your staff account is locked after too many failed sign-in attempts. Sign in again later, or ask an administrator.';
    }
    return null;
  }

  /**
   * The door of a request, in one statement: the enrolment of the connection's certificate
   * (null: no enrolment has that serial) and the token's session as the database has it now, to
   * be judged by EnrolmentService.refuseUnlessEnrolled and by `resume`. Nothing is kept between
   * requests: a revocation or a sign-out on any instance applies to the next one.
   */
  atDoor(serial: string, token: string) {
    return this.store.findAtDoor(serial, hashToken(token));
  }

  /** Writes back what a request changed: the lock state at once, activity now and then. */
  async save(token: string, before: SignedIn, after: SignedIn): Promise<void> {
    if (
      before.locked === after.locked &&
      after.lastActivity - before.lastActivity < ACTIVITY_WRITE_MS
    ) {
      return;
    }
    await this.store.update(hashToken(token), {
      locked: after.locked,
      lastActivity: new Date(after.lastActivity).toISOString(),
    });
  }

  async end(token: string): Promise<void> {
    await this.store.remove(hashToken(token));
  }

  async endAllFor(staffId: string): Promise<number> {
    return this.store.removeForStaff(staffId);
  }

  /** Deletes the rows of sessions that have expired or idled out. */
  async prune(): Promise<number> {
    const now = this.clock.now();
    return this.store.prune(
      now.toISOString(),
      new Date(now.getTime() - this.limits.idleMs).toISOString(),
    );
  }
}
