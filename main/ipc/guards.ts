import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/roles';

export function requireAdministrator(role: Role, what: string): void {
  if (role !== 'administrator')
    throw new AppError('FORBIDDEN', `Only an administrator may ${what}.`);
}
