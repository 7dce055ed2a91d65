import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../shared/roles';
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
  return id;
}

export async function countStaff(db: Knex): Promise<number> {
  const row = await db('staff').count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
