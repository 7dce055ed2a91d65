/**
 * Staff accounts as the services, the command line and the tests make them: the staff store
 * (main/db/stores/staff.ts), with the password hashed on the way in.
 */
import type { Db } from '../db/handle';
import { insertStaffRow, type NewStaffRow } from '../db/stores/staff';
import { hashPassword } from './passwords';

export {
  countActiveAdministrators,
  countStaff,
  findStaffById,
  findStaffByUsername,
  insertRoleGrant,
  insertStaffEvent,
  lineageEvents,
  pendingRoleGrants,
  type RoleGrantRecord,
  type StaffRecord,
} from '../db/stores/staff';

/** Creates a staff account (and records its creation) with `password` hashed. */
export async function insertStaff(
  db: Db,
  spec: Omit<NewStaffRow, 'passwordHash'> & { password: string },
): Promise<string> {
  const { password, ...rest } = spec;
  return insertStaffRow(db, { ...rest, passwordHash: await hashPassword(password) });
}
