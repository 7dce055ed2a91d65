import { AppError } from '../../shared/errors';
import { ROLE_LABELS, type Role } from '../../shared/roles';

export function requireAdministrator(role: Role, what: string): void {
  if (role !== 'administrator')
    throw new AppError('FORBIDDEN', `Only an administrator may ${what}.`);
}

export function requireOneOf(role: Role, roles: readonly Role[], what: string): void {
  if (!roles.includes(role)) {
    const who = roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(' or ');
    // "an administrator", "a compliance officer": the article follows the first role's sound.
    const article = /^[aeiou]/.test(who) ? 'an' : 'a';
    throw new AppError('FORBIDDEN', `Only ${article} ${who} may ${what}.`);
  }
}
