import { AppError } from '../../shared/errors';
import type { Gate } from '../../shared/contract';
import type { SessionInfo } from '../../shared/types';
import type { Role } from '../../shared/roles';
import type { Db } from '../db/handle';
import { setSignInFailures, updateStaff } from '../db/stores/staff';
import type { Clock } from './clock';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import type { Session } from './session';
import type { SettingsService } from './settings';
import type { VisibilityService } from './visibility';
import {
  countStaff,
  findStaffById,
  findStaffByUsername,
  insertStaff,
  type StaffRecord,
} from './staff-repo';
import { visibleAccess } from '../policy/visibility';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
const BAD_CREDENTIALS = 'Incorrect username or password.';

function hhmm(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly visibility: VisibilityService,
  ) {}

  async isInitialised(): Promise<boolean> {
    return (await countStaff(this.db)) > 0;
  }

  /** First run only: creates the first administrator and signs the caller in. */
  async createFirstAdmin(
    session: Session,
    input: { displayName: string; username: string; password: string },
  ): Promise<SessionInfo> {
    await this.db.transaction(async (trx) => {
      if ((await countStaff(trx)) > 0) {
        throw new AppError(
          'ALREADY_INITIALISED',
          'Custodian already has an administrator. Sign in instead.',
        );
      }
      await insertStaff(trx, {
        ...input,
        role: 'administrator',
        mustChangePassword: false,
        now: this.clock.now(),
        actorId: null,
        via: 'first run',
      });
    });
    return this.login(session, input.username, input.password);
  }

  async login(session: Session, username: string, password: string): Promise<SessionInfo> {
    const staff = await findStaffByUsername(this.db, username);
    if (!staff || !staff.active) {
      await burnPasswordCheck(password);
      throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS, {
        fieldErrors: { password: BAD_CREDENTIALS },
      });
    }
    await this.checkPassword(staff, password);
    session.signedIn = {
      staffId: staff.id,
      username: staff.username,
      displayName: staff.display_name,
      role: staff.role,
      mustChangePassword: Boolean(staff.must_change_password),
      locked: false,
      lastActivity: this.clock.now().getTime(),
    };
    return this.sessionInfo(session);
  }

  /**
   * Verifies a password against the lockout rule: five failures lock the staff account for
   * fifteen minutes, and during the lock even the right password is refused.
   */
  private async checkPassword(staff: StaffRecord, password: string): Promise<void> {
    const now = this.clock.now();
    if (staff.locked_until && staff.locked_until > now.toISOString()) {
      await burnPasswordCheck(password);
      throw this.lockedError(staff.locked_until);
    }
    if (await verifyPassword(password, staff.password_hash)) {
      if (staff.failed_attempts > 0 || staff.locked_until) {
        await setSignInFailures(this.db, staff.id, 0, null);
      }
      return;
    }
    // Counted in the database so that a restart or a second workstation does not reset it.
    const failed = (staff.locked_until ? 0 : staff.failed_attempts) + 1;
    if (failed >= MAX_FAILED_ATTEMPTS) {
      const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
      await setSignInFailures(this.db, staff.id, 0, until);
      throw this.lockedError(until);
    }
    await setSignInFailures(this.db, staff.id, failed, null);
    throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS, {
      fieldErrors: { password: BAD_CREDENTIALS },
    });
  }

  private lockedError(until: string): AppError {
    return new AppError(
      'LOGIN_LOCKED',
      `Too many failed sign-in attempts: this staff account is locked for ${LOCKOUT_MINUTES} minutes, until ${hhmm(until)}. An administrator can help sooner.`,
      { details: { lockedUntil: until } },
    );
  }

  logout(session: Session): void {
    session.signedIn = null;
  }

  lock(session: Session): void {
    if (session.signedIn) session.signedIn.locked = true;
  }

  async unlock(session: Session, password: string): Promise<SessionInfo> {
    const signedIn = this.requireSignedIn(session);
    const staff = await findStaffById(this.db, signedIn.staffId);
    if (!staff || !staff.active) {
      session.signedIn = null;
      throw new AppError(
        'UNAUTHENTICATED',
        'Your staff account is no longer active. Sign in again.',
      );
    }
    try {
      await this.checkPassword(staff, password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'LOGIN_LOCKED') session.signedIn = null;
      if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
        // The lock screen knows who is signed in: only the password can be wrong.
        throw new AppError('UNAUTHENTICATED', 'Incorrect password.', {
          fieldErrors: { password: 'Incorrect password.' },
        });
      }
      throw err;
    }
    signedIn.locked = false;
    signedIn.lastActivity = this.clock.now().getTime();
    return this.sessionInfo(session);
  }

  async changePassword(
    session: Session,
    currentPassword: string,
    password: string,
  ): Promise<SessionInfo> {
    const signedIn = this.requireSignedIn(session);
    const staff = await findStaffById(this.db, signedIn.staffId);
    if (!staff) throw new AppError('UNAUTHENTICATED', 'Sign in again.');
    if (!(await verifyPassword(currentPassword, staff.password_hash))) {
      throw new AppError('VALIDATION', 'Your current password is not correct.', {
        fieldErrors: { currentPassword: 'Not your current password.' },
      });
    }
    if (currentPassword === password) {
      throw new AppError('VALIDATION', 'Choose a password different from the current one.', {
        fieldErrors: { password: 'Same as the current password.' },
      });
    }
    const changes = { password_hash: await hashPassword(password), must_change_password: false };
    await updateStaff(this.db, staff.id, changes, { version: staff.version, at: this.clock.now() });
    signedIn.mustChangePassword = false;
    return this.sessionInfo(session);
  }

  private requireSignedIn(session: Session) {
    if (!session.signedIn) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    return session.signedIn;
  }

  /**
   * Enforces a channel's gate for a caller, including the idle auto-lock: a session left alone
   * longer than the configured minutes is locked here, whatever the renderer did.
   */
  async enforceGate(session: Session, gate: Gate): Promise<void> {
    if (gate === 'public') return;
    const signedIn = this.requireSignedIn(session);
    const now = this.clock.now().getTime();
    const { idleLockMinutes } = await this.settings.get();
    if (!signedIn.locked && now - signedIn.lastActivity > idleLockMinutes * 60_000) {
      signedIn.locked = true;
    }
    if (gate === 'locked-ok') return;
    if (signedIn.locked) {
      throw new AppError(
        'SESSION_LOCKED',
        'The console is locked. Enter your password to continue.',
      );
    }
    if (signedIn.mustChangePassword && gate !== 'password-change') {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Choose a new password before you continue.');
    }
    signedIn.lastActivity = now;
  }

  async sessionInfo(session: Session): Promise<SessionInfo> {
    const s = this.requireSignedIn(session);
    const { idleLockMinutes } = await this.settings.get();
    return {
      user: { id: s.staffId, username: s.username, displayName: s.displayName, role: s.role },
      locked: s.locked,
      mustChangePassword: s.mustChangePassword,
      idleLockMinutes,
      fieldAccess: visibleAccess(await this.visibility.accessFor(s.role)),
    };
  }

  async createStaff(spec: {
    username: string;
    displayName: string;
    role: Role;
    password: string;
    mustChangePassword: boolean;
  }): Promise<string> {
    if (await findStaffByUsername(this.db, spec.username)) {
      throw new AppError('VALIDATION', 'That username is taken.', {
        fieldErrors: { username: 'Already in use.' },
      });
    }
    return this.db.transaction((trx) =>
      insertStaff(trx, {
        ...spec,
        now: this.clock.now(),
        actorId: null,
        via: 'staff administration',
      }),
    );
  }
}
