import type { Role } from '../../shared/roles';
import type { Session } from '../../main/services/session';
import type { TestBackend } from './backend';

export const STAFF_PASSWORD = 'staff password 123';

/** Creates a staff member with a role and returns a session signed in as them. */
export async function signedInAs(
  t: TestBackend,
  role: Role,
  username: string = role.replace(/_/g, ''),
): Promise<Session> {
  await t.backend.services.auth.createStaff({
    username,
    displayName: `${role} user`,
    role,
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
  const s = t.backend.openSession();
  await t.call(s, 'auth.login', { username, password: STAFF_PASSWORD });
  return s;
}
