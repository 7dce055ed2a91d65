import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../shared/roles';
import { dbNow } from '../db/connect';
import { hashPassword } from './passwords';

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

export async function insertStaff(
  db: Knex,
  spec: {
    username: string;
    displayName: string;
    role: Role;
    password: string;
    mustChangePassword: boolean;
    now: Date;
    /** Who created them (null for first-run set-up and the command line), and by what means. */
    actorId: string | null;
    via: 'first run' | 'staff administration' | 'command line';
  },
): Promise<string> {
  const id = uuidv7();
  const at = spec.now.toISOString();
  await db('staff').insert({
    id,
    username: spec.username.toLowerCase(),
    display_name: spec.displayName,
    role: spec.role,
    password_hash: await hashPassword(spec.password),
    must_change_password: spec.mustChangePassword,
    active: true,
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
    at: dbNow(db),
  });
  return id;
}

export async function countStaff(db: Knex): Promise<number> {
  const row = await db('staff').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
