import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/roles';
import type { StaffSummary } from '../../shared/types';
import type { Db } from '../db/handle';
import {
  countOtherActiveAdministrators,
  decideRoleGrant,
  insertStaffEvent,
  listStaff,
  lockActiveAdministrators,
  updateStaff,
  type StaffChanges,
} from '../db/stores/staff';
import { isPrivileged } from '../../shared/four-eyes';
import type { Clock } from './clock';
import { hashPassword } from './passwords';
import type { SessionRegistry } from './session-registry';
import {
  pendingGrantsByStaff,
  refuseWhilePending,
  RoleGrantService,
  splitForGrant,
} from './staff-grants';
import {
  findStaffById,
  findStaffByUsername,
  insertRoleGrant,
  insertStaff,
  type StaffRecord,
} from './staff-repo';

type StaffRow = StaffRecord & { created_at: string };

function summary(r: StaffRow): StaffSummary {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    active: Boolean(r.active),
    mustChangePassword: Boolean(r.must_change_password),
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    version: Number(r.version),
    pendingGrant: null,
  };
}

/** Staff administration (administrators only; the handlers check the role). */
export class StaffService {
  /** Grants of the administrator and compliance officer roles, waiting for a second holder. */
  readonly grants: RoleGrantService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionRegistry,
  ) {
    this.grants = new RoleGrantService(db, clock, sessions);
  }

  async list(): Promise<StaffSummary[]> {
    const rows = (await listStaff(this.db)) as StaffRow[];
    const pending = await pendingGrantsByStaff(this.db);
    return rows.map((r) => ({ ...summary(r), pendingGrant: pending.get(r.id) ?? null }));
  }

  async create(
    actorId: string,
    spec: { username: string; displayName: string; role: Role; temporaryPassword: string },
  ): Promise<StaffSummary> {
    const id = await this.db.transaction(async (trx) => {
      if (await findStaffByUsername(trx, spec.username)) {
        throw new AppError('VALIDATION', 'That username is taken.', {
          fieldErrors: { username: 'Already in use: choose another username.' },
        });
      }
      // A new administrator or compliance officer cannot sign in until a second holder approves.
      const privileged = isPrivileged(spec.role);
      const now = this.clock.now();
      const newId = await insertStaff(trx, {
        username: spec.username,
        displayName: spec.displayName,
        role: spec.role,
        password: spec.temporaryPassword,
        mustChangePassword: true,
        now,
        actorId,
        via: 'staff administration',
        active: !privileged,
      });
      if (privileged) {
        await insertRoleGrant(trx, {
          staffId: newId,
          role: spec.role,
          kind: 'create',
          activate: true,
          granterId: actorId,
          now,
        });
      }
      return newId;
    });
    return this.get(id);
  }

  async update(
    actorId: string,
    id: string,
    version: number,
    asked: {
      displayName?: string | undefined;
      role?: Role | undefined;
      active?: boolean | undefined;
    },
  ): Promise<StaffSummary> {
    await this.db.transaction(async (trx) => {
      // The last-administrator rule counts the others: two administrators deactivating each
      // other at once must not each count the other as staying, so the active administrators
      // are locked before anything is read (main/db/locks.ts).
      if (asked.active === false || asked.role !== undefined) await lockActiveAdministrators(trx);
      const row = await findStaffById(trx, id);
      if (!row) throw new AppError('NOT_FOUND', 'No such staff member.');
      const { patch, grant } = await this.holdPrivilegedPart(trx, actorId, row, asked);
      if (Number(row.version) !== version) {
        throw new AppError(
          'CONFLICT',
          'Someone else changed this staff member after you opened it. Reload and try again.',
          { details: { current: summary(row as StaffRow) } },
        );
      }
      const wasActiveAdmin = row.role === 'administrator' && Boolean(row.active);
      const staysActiveAdmin =
        (patch.role ?? row.role) === 'administrator' && (patch.active ?? Boolean(row.active));
      if (patch.active === false && id === actorId) {
        throw new AppError('FORBIDDEN', 'You cannot deactivate your own staff account.', {
          fieldErrors: { active: 'Ask another administrator.' },
        });
      }
      if (wasActiveAdmin && !staysActiveAdmin) {
        if ((await countOtherActiveAdministrators(trx, id)) === 0) {
          throw new AppError(
            'FORBIDDEN',
            'This is the last active administrator: make someone else an administrator first.',
            {
              fieldErrors: {
                [patch.role ? 'role' : 'active']: 'The last active administrator must stay.',
              },
            },
          );
        }
      }
      const changes: StaffChanges = {};
      if (patch.displayName !== undefined && patch.displayName !== row.display_name) {
        changes.display_name = patch.displayName;
        await this.event(trx, id, actorId, 'renamed', {});
      }
      if (patch.role !== undefined && patch.role !== row.role) {
        changes.role = patch.role;
        await this.event(trx, id, actorId, 'role_changed', { from: row.role, to: patch.role });
      }
      if (patch.active !== undefined && patch.active !== Boolean(row.active)) {
        changes.active = patch.active;
        await this.event(trx, id, actorId, patch.active ? 'reactivated' : 'deactivated', {});
      }
      if (grant) {
        await insertRoleGrant(trx, {
          staffId: id,
          ...grant,
          granterId: actorId,
          now: this.clock.now(),
        });
      }
      if (Object.keys(changes).length === 0) return;
      await updateStaff(trx, id, changes, { version, at: this.clock.now(), ifVersion: true });
    });
    const after = await this.get(id);
    // Take effect at once on open sessions: a deactivated member is signed out, a new role applies.
    if (!after.active) await this.sessions.signOut(id);
    else {
      this.sessions.update(id, (s) => {
        s.role = after.role;
        s.displayName = after.displayName;
      });
    }
    return after;
  }

  async resetPassword(
    actorId: string,
    id: string,
    temporaryPassword: string,
  ): Promise<StaffSummary> {
    await this.db.transaction(async (trx) => {
      const row = await findStaffById(trx, id);
      if (!row) throw new AppError('NOT_FOUND', 'No such staff member.');
      const changes = {
        password_hash: await hashPassword(temporaryPassword),
        must_change_password: true,
        failed_attempts: 0,
        locked_until: null,
      };
      await updateStaff(trx, id, changes, { version: Number(row.version), at: this.clock.now() });
      await this.event(trx, id, actorId, 'password_reset', {});
    });
    await this.sessions.signOut(id);
    return this.get(id);
  }

  private async get(id: string): Promise<StaffSummary> {
    const row = (await findStaffById(this.db, id)) as StaffRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No such staff member.');
    const pending = await pendingGrantsByStaff(this.db, [id]);
    return { ...summary(row), pendingGrant: pending.get(id) ?? null };
  }

  /**
   * Takes out of a change what makes the account an administrator or compliance officer (or
   * lets an inactive one sign in again): that waits for a second holder as a role grant. While
   * a grant waits, the role and activation stay as they are; deactivating withdraws the grant.
   */
  private async holdPrivilegedPart(
    trx: Db,
    actorId: string,
    row: StaffRecord,
    asked: {
      displayName?: string | undefined;
      role?: Role | undefined;
      active?: boolean | undefined;
    },
  ) {
    const { immediate, grant } = splitForGrant(
      { role: row.role, active: Boolean(row.active) },
      asked,
    );
    const patch = { displayName: asked.displayName, ...immediate };
    const pending = (await pendingGrantsByStaff(trx, [row.id])).get(row.id);
    if (pending) {
      const roleChange = patch.role !== undefined && patch.role !== row.role;
      if (grant || roleChange || patch.active === true) refuseWhilePending(pending);
      if (patch.active === false) {
        await decideRoleGrant(trx, pending.id, {
          status: 'withdrawn',
          decidedBy: actorId,
          at: this.clock.now(),
        });
        await this.event(trx, row.id, actorId, 'role_grant_withdrawn', { grantId: pending.id });
      }
    }
    return { patch, grant };
  }

  private async event(
    trx: Db,
    staffId: string,
    actorId: string | null,
    event: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    // The backend's clock: the four-eyes cooling period (shared/four-eyes.ts) is measured in it.
    await insertStaffEvent(trx, { staffId, actorId, event, detail, at: this.clock.now() });
  }
}
