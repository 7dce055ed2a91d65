/**
 * The staff store: the only writer of `staff`, `staff_events` and `staff_role_grants`. Every
 * function takes the database or the caller's transaction.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../../shared/roles';
import { LINEAGE_EVENTS } from '../../../shared/four-eyes';
import type { StaffLineageEvent } from '../../policy/four-eyes';
import { lockRows } from '../locks';

export interface StaffRecord {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean | number;
  active: boolean | number;
  failed_attempts: number;
  locked_until: string | null;
  version: number;
}

export async function findStaffByUsername(
  db: Knex,
  username: string,
): Promise<StaffRecord | undefined> {
  return db<StaffRecord>('staff').where({ username: username.toLowerCase() }).first();
}

export async function findStaffById(db: Knex, id: string): Promise<StaffRecord | undefined> {
  return db<StaffRecord>('staff').where({ id }).first();
}

/** What a new staff account is made of; the password comes hashed (main/services/passwords.ts). */
export interface NewStaffRow {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  now: Date;
  /** Who created them (null for first-run set-up and the command line), and by what means. */
  actorId: string | null;
  via: 'first run' | 'staff administration' | 'command line';
  /** False for an account whose privileged role waits for a second holder's approval. */
  active?: boolean;
}

export async function insertStaffRow(db: Knex, spec: NewStaffRow): Promise<string> {
  const id = uuidv7();
  const at = spec.now.toISOString();
  await db('staff').insert({
    id,
    username: spec.username.toLowerCase(),
    display_name: spec.displayName,
    role: spec.role,
    password_hash: spec.passwordHash,
    must_change_password: spec.mustChangePassword,
    active: spec.active ?? true,
    failed_attempts: 0,
    locked_until: null,
    created_at: at,
    updated_at: at,
    version: 1,
  });
  // Every way a staff account comes to exist is recorded, with no secret in the record.
  await db('staff_events').insert({
    id: uuidv7(),
    staff_id: id,
    actor_id: spec.actorId,
    event: 'created',
    detail: JSON.stringify({ role: spec.role, via: spec.via }),
    // The backend's clock, as every staff event: the cooling period (shared/four-eyes.ts) is
    // measured against it.
    at,
  });
  return id;
}

export async function countActiveAdministrators(db: Knex): Promise<number> {
  const row = await db('staff')
    .where({ role: 'administrator', active: true })
    .count<{ n: number | string }[]>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

export async function countStaff(db: Knex): Promise<number> {
  const row = await db('staff').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * Every event that put one of these accounts in someone's hands, or that one of them did to
 * another account, with the actor's name (for the four-eyes rule, main/policy/four-eyes.ts).
 */
export async function lineageEvents(
  db: Knex,
  staffIds: readonly string[],
): Promise<StaffLineageEvent[]> {
  const ids = [...new Set(staffIds)];
  if (ids.length === 0) return [];
  const rows = await db('staff_events as e')
    .leftJoin('staff as a', 'a.id', 'e.actor_id')
    .whereIn('e.event', LINEAGE_EVENTS)
    .where((q) => q.whereIn('e.staff_id', ids).orWhereIn('e.actor_id', ids))
    .orderBy('e.id')
    .select('e.staff_id', 'e.actor_id', 'e.event', 'e.at', 'a.display_name as actor_name');
  return rows.map((r) => ({
    staffId: r.staff_id,
    actorId: r.actor_id ?? null,
    actorName: r.actor_name ?? null,
    event: r.event,
    at: String(r.at),
  }));
}

/** One audited staff event; `at` is the backend's clock (the cooling period reads it). */
export async function insertStaffEvent(
  db: Knex,
  e: {
    staffId: string;
    actorId: string | null;
    event: string;
    detail: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await db('staff_events').insert({
    id: uuidv7(),
    staff_id: e.staffId,
    actor_id: e.actorId,
    event: e.event,
    detail: JSON.stringify(e.detail),
    at: e.at.toISOString(),
  });
}

export interface RoleGrantRecord {
  id: string;
  staff_id: string;
  role: Role;
  kind: 'create' | 'role_change' | 'reactivate';
  activate: boolean | number;
  granter_id: string | null;
  requested_at: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
}

/**
 * Records that `staffId` is to hold a privileged role once a second holder approves
 * (main/services/staff-grants.ts). The caller has checked that none is pending already; the
 * partial unique index refuses a second one all the same.
 */
export async function insertRoleGrant(
  db: Knex,
  g: {
    staffId: string;
    role: Role;
    kind: RoleGrantRecord['kind'];
    activate: boolean;
    granterId: string | null;
    now: Date;
  },
): Promise<string> {
  const id = uuidv7();
  await db('staff_role_grants').insert({
    id,
    staff_id: g.staffId,
    role: g.role,
    kind: g.kind,
    activate: g.activate,
    granter_id: g.granterId,
    requested_at: g.now.toISOString(),
    status: 'pending',
  });
  await insertStaffEvent(db, {
    staffId: g.staffId,
    actorId: g.granterId,
    event: 'role_grant_requested',
    detail: { grantId: id, role: g.role, kind: g.kind },
    at: g.now,
  });
  return id;
}

export async function pendingRoleGrants(
  db: Knex,
  staffIds?: readonly string[],
): Promise<(RoleGrantRecord & { granter_name: string | null })[]> {
  const q = db('staff_role_grants as g')
    .leftJoin('staff as a', 'a.id', 'g.granter_id')
    .where('g.status', 'pending')
    .orderBy('g.id')
    .select('g.*', 'a.display_name as granter_name');
  if (staffIds) q.whereIn('g.staff_id', staffIds);
  return q;
}

/** Every staff account, by name. */
export async function listStaff(db: Knex): Promise<StaffRecord[]> {
  return db<StaffRecord>('staff').orderBy('display_name').orderBy('username');
}

/**
 * Locks the active administrators until the transaction ends (main/db/locks.ts), so that two
 * changes that each count the other administrators cannot both count the other as staying.
 */
export async function lockActiveAdministrators(trx: Knex.Transaction): Promise<void> {
  await lockRows(trx, 'staff', { role: 'administrator', active: true });
}

/** Active administrators other than `id`. */
export async function countOtherActiveAdministrators(db: Knex, id: string): Promise<number> {
  const others = await db('staff')
    .where({ role: 'administrator', active: true })
    .whereNot({ id })
    .count<{ n: number | string }[]>({ n: '*' })
    .first();
  return Number(others?.n ?? 0);
}

/** The columns of a staff account a change may set. */
export interface StaffChanges {
  display_name?: string;
  role?: Role;
  active?: boolean;
  password_hash?: string;
  must_change_password?: boolean;
  failed_attempts?: number;
  locked_until?: string | null;
}

/** Writes `changes` and the next version; with `version`, only if the row is still at it. */
export async function updateStaff(
  db: Knex,
  id: string,
  changes: StaffChanges,
  opts: { version: number; at: Date; ifVersion?: boolean },
): Promise<number> {
  const where = opts.ifVersion ? { id, version: opts.version } : { id };
  return db('staff')
    .where(where)
    .update({ ...changes, version: opts.version + 1, updated_at: opts.at.toISOString() });
}

export async function findRoleGrant(db: Knex, id: string): Promise<RoleGrantRecord | undefined> {
  return db<RoleGrantRecord>('staff_role_grants').where({ id }).first();
}

/** Decides a pending grant; answers false when it was no longer pending. */
export async function decideRoleGrant(
  db: Knex,
  id: string,
  d: {
    status: 'approved' | 'rejected' | 'withdrawn';
    decidedBy: string;
    at: Date;
    note?: string | null;
  },
): Promise<boolean> {
  const changed = await db('staff_role_grants')
    .where({ id, status: 'pending' })
    .update({
      status: d.status,
      decided_by: d.decidedBy,
      decided_at: d.at.toISOString(),
      ...(d.note !== undefined ? { note: d.note } : {}),
    });
  return changed === 1;
}

/** The sign-in failure count and lock of an account (no new version: not an edit of it). */
export async function setSignInFailures(
  db: Knex,
  id: string,
  failedAttempts: number,
  lockedUntil: string | null,
): Promise<void> {
  await db('staff')
    .where({ id })
    .update({ failed_attempts: failedAttempts, locked_until: lockedUntil });
}
