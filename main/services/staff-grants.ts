import { AppError } from '../../shared/errors';
import { isPrivileged } from '../../shared/four-eyes';
import { ROLE_LABELS, type Role } from '../../shared/roles';
import type { PendingGrant, RoleGrantView } from '../../shared/types';
import type { Db } from '../db/handle';
import {
  countOtherActiveAdministrators,
  decideRoleGrant,
  findRoleGrant,
  lockActiveAdministrators,
  updateStaff,
} from '../db/stores/staff';
import { describeTaint, findTaint, SECOND_PERSON_RULE } from '../policy/four-eyes';
import type { Clock } from './clock';
import type { SessionRegistry } from './session-registry';
import {
  findStaffById,
  insertStaffEvent,
  lineageEvents,
  pendingRoleGrants,
  type RoleGrantRecord,
  type StaffRecord,
} from './staff-repo';

type Patch = { role?: Role | undefined; active?: boolean | undefined };
export type GrantSpec = { role: Role; kind: RoleGrantRecord['kind']; activate: boolean };

const COMMAND_LINE = 'the command line';

/**
 * Splits a staff change into what applies at once and what needs a second holder's approval:
 * making an account an administrator or compliance officer, or letting an inactive one holding
 * such a role sign in again. Everything else (renaming, deactivating, any other role) applies.
 */
export function splitForGrant(
  row: { role: Role; active: boolean },
  patch: Patch,
): { immediate: Patch; grant: GrantSpec | null } {
  const roleChange = patch.role !== undefined && patch.role !== row.role;
  const activating = patch.active === true && !row.active;
  const role = patch.role ?? row.role;
  if (!isPrivileged(role) || !(roleChange || activating)) return { immediate: patch, grant: null };
  const immediate: Patch = {};
  if (patch.active === false) immediate.active = false;
  return {
    immediate,
    grant: { role, kind: roleChange ? 'role_change' : 'reactivate', activate: activating },
  };
}

/** The pending grant of each account, as the Staff screen shows it. */
export async function pendingGrantsByStaff(
  db: Db,
  staffIds?: readonly string[],
): Promise<Map<string, PendingGrant>> {
  const rows = await pendingRoleGrants(db, staffIds);
  return new Map(rows.map((g) => [g.staff_id, pendingGrant(g)]));
}

function pendingGrant(g: RoleGrantRecord & { granter_name: string | null }): PendingGrant {
  return {
    id: g.id,
    role: g.role,
    kind: g.kind,
    requestedBy: g.granter_id ? (g.granter_name ?? '?') : COMMAND_LINE,
    requestedAt: g.requested_at,
  };
}

/** Refuses a role or activation change while a grant for the account waits for a decision. */
export function refuseWhilePending(pending: PendingGrant): never {
  throw new AppError(
    'CONFLICT',
    `A grant of the ${ROLE_LABELS[pending.role]} role to this account, asked for by ${pending.requestedBy}, is waiting for approval: approve or reject it under Approvals first.`,
    { fieldErrors: { role: 'A role grant is waiting for approval.' } },
  );
}

/**
 * The approval of privileged role grants (DESIGN.md section 4): an active administrator or
 * compliance officer other than the one who asked, not the account's holder, and a separate
 * person from the one who asked by the four-eyes rule (main/policy/four-eyes.ts).
 */
export class RoleGrantService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionRegistry,
  ) {}

  async list(viewerId: string): Promise<RoleGrantView[]> {
    const grants = await pendingRoleGrants(this.db);
    return Promise.all(grants.map((g) => this.view(g, viewerId)));
  }

  async decide(
    viewerId: string,
    grantId: string,
    decision: 'approved' | 'rejected',
    note: string | null,
  ): Promise<RoleGrantView> {
    const now = this.clock.now();
    const applied = await this.db.transaction(async (trx) => {
      // An approval can take an administrator out of that role: lock the active administrators
      // first, as staff.update does, so the last-administrator count holds under concurrency.
      if (decision === 'approved') await lockActiveAdministrators(trx);
      const grant = await findRoleGrant(trx, grantId);
      if (!grant) throw new AppError('NOT_FOUND', 'No such role grant.');
      if (grant.status !== 'pending')
        throw new AppError('CONFLICT', `This role grant is already ${grant.status}.`);
      const viewer = await findStaffById(trx, viewerId);
      if (!viewer || !viewer.active || !isPrivileged(viewer.role)) {
        throw new AppError(
          'FORBIDDEN',
          'Only an active administrator or compliance officer decides on role grants.',
        );
      }
      if (decision === 'approved') {
        const problem = await this.approvalProblem(trx, grant, viewer, now);
        if (problem) throw new AppError('FORBIDDEN', problem);
      }
      // Whoever decides second finds the grant decided: the status guard makes it one decision.
      const decided = await decideRoleGrant(trx, grantId, {
        status: decision,
        decidedBy: viewerId,
        at: now,
        note,
      });
      if (!decided) throw new AppError('CONFLICT', 'Someone else decided this grant first.');
      await insertStaffEvent(trx, {
        staffId: grant.staff_id,
        actorId: viewerId,
        event: decision === 'approved' ? 'role_grant_approved' : 'role_grant_rejected',
        detail: { grantId, role: grant.role },
        at: now,
      });
      if (decision === 'approved') await this.apply(trx, grant, viewerId, now);
      return decision === 'approved' ? grant.staff_id : null;
    });
    // The new role applies at once to a session the account already has open.
    if (applied) {
      const row = await findStaffById(this.db, applied);
      if (row?.active) this.sessions.update(row.id, (s) => (s.role = row.role));
    }
    const row = await findRoleGrant(this.db, grantId);
    return this.view({ ...row!, granter_name: null }, viewerId);
  }

  /** Why `viewer` may not approve `grant`, in plain words; null when they may. */
  private async approvalProblem(
    db: Db,
    grant: RoleGrantRecord,
    viewer: StaffRecord,
    now: Date,
  ): Promise<string | null> {
    if (viewer.id === grant.staff_id)
      return 'This role grant is for your own account: another administrator or compliance officer must approve it.';
    if (viewer.id === grant.granter_id)
      return 'You asked for this role grant: another administrator or compliance officer must approve it.';
    const granter = grant.granter_id ? await findStaffById(db, grant.granter_id) : undefined;
    const others = granter
      ? [{ staffId: granter.id, name: granter.display_name, as: 'the person who asked for it' }]
      : [];
    const events = await lineageEvents(db, [viewer.id, ...others.map((o) => o.staffId)]);
    const taint = findTaint(viewer.id, others, events, now);
    if (!taint) return null;
    return `You cannot approve this role grant: ${describeTaint(taint, { you: true })}; ${SECOND_PERSON_RULE}`;
  }

  /** The account takes the role (and may sign in, for a new account or a reactivation). */
  private async apply(
    trx: Db,
    grant: RoleGrantRecord,
    approverId: string,
    now: Date,
  ): Promise<void> {
    const row = await findStaffById(trx, grant.staff_id);
    if (!row) throw new AppError('NOT_FOUND', 'No such staff member.');
    if (row.role === 'administrator' && grant.role !== 'administrator' && Boolean(row.active)) {
      if ((await countOtherActiveAdministrators(trx, row.id)) === 0) {
        throw new AppError(
          'FORBIDDEN',
          'This is the last active administrator: make someone else an administrator first.',
        );
      }
    }
    const changes = { role: grant.role, ...(grant.activate ? { active: true } : {}) };
    await updateStaff(trx, row.id, changes, { version: Number(row.version), at: now });
    // Recorded as the act of the one who asked (their lineage is what the four-eyes rule
    // follows: a puppet they made); the approver's part is the role_grant_approved event. The
    // event is written now, when the role takes effect, so the cooling period starts now.
    const events =
      grant.kind === 'create'
        ? ['role_granted']
        : grant.kind === 'reactivate'
          ? ['reactivated']
          : grant.activate
            ? ['role_changed', 'reactivated']
            : ['role_changed'];
    for (const event of events) {
      await insertStaffEvent(trx, {
        staffId: row.id,
        actorId: grant.granter_id,
        event,
        detail: { from: row.role, to: grant.role, grantId: grant.id, approvedBy: approverId },
        at: now,
      });
    }
  }

  private async view(
    g: RoleGrantRecord & { granter_name: string | null },
    viewerId: string,
  ): Promise<RoleGrantView> {
    const staff = await findStaffById(this.db, g.staff_id);
    const viewer = await findStaffById(this.db, viewerId);
    const granterName = g.granter_id
      ? (g.granter_name ?? (await findStaffById(this.db, g.granter_id))?.display_name ?? '?')
      : null;
    const problem =
      g.status !== 'pending'
        ? `This role grant is already ${g.status}.`
        : viewer
          ? await this.approvalProblem(this.db, g, viewer, this.clock.now())
          : 'No such staff member.';
    return {
      ...pendingGrant({ ...g, granter_name: granterName }),
      staffId: g.staff_id,
      displayName: staff?.display_name ?? '?',
      username: staff?.username ?? '?',
      currentRole: staff?.role ?? g.role,
      active: Boolean(staff?.active),
      cannotApprove: problem,
    };
  }
}
