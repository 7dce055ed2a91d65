import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { FIELD_BY_KEY, isFieldKey, type FieldKey } from '../../shared/catalogue';
import { AppError } from '../../shared/errors';
import { ROLES, ROLE_LABELS, type Role } from '../../shared/roles';
import type { FieldAccessChange, VisibilityMatrix } from '../../shared/types';
import {
  DEFAULT_MATRIX,
  type Access,
  type AccessMap,
  type AccessMatrix,
} from '../../shared/visibility';
import { dbNow, toIso } from '../db/connect';

interface OverrideRow {
  role: Role;
  field: string;
  access: Access;
}

/**
 * The access matrix in force: the shipped default, changed only through audited overrides.
 * Read from the database on every call, so a revocation on one workstation takes effect on all.
 */
export class VisibilityService {
  constructor(private readonly db: Knex) {}

  async accessFor(role: Role): Promise<AccessMap> {
    const map = { ...DEFAULT_MATRIX[role] };
    const rows = await this.db<OverrideRow>('field_access_overrides').where({ role });
    for (const row of rows) if (isFieldKey(row.field)) map[row.field] = row.access;
    return map;
  }

  async matrix(): Promise<VisibilityMatrix> {
    const matrix = Object.fromEntries(
      ROLES.map((r) => [r, { ...DEFAULT_MATRIX[r] }]),
    ) as AccessMatrix;
    for (const row of await this.db<OverrideRow>('field_access_overrides')) {
      if (isFieldKey(row.field) && matrix[row.role]) matrix[row.role][row.field] = row.access;
    }
    return { matrix, defaults: DEFAULT_MATRIX };
  }

  async update(
    actorId: string,
    changes: readonly { role: Role; field: FieldKey; access: Access }[],
    reason: string,
  ): Promise<VisibilityMatrix> {
    const fieldErrors: Record<string, string> = {};
    changes.forEach((c, i) => {
      if (c.access === 'edit' && FIELD_BY_KEY[c.field].system) {
        fieldErrors[`changes.${i}.access`] =
          `${FIELD_BY_KEY[c.field].label} is set by the system; no role may edit it.`;
      }
    });
    if (Object.keys(fieldErrors).length > 0) {
      throw new AppError('VALIDATION', 'Some changes are not allowed.', { fieldErrors });
    }
    await this.db.transaction(async (trx) => {
      for (const c of changes) {
        const current = await trx<OverrideRow>('field_access_overrides')
          .where({ role: c.role, field: c.field })
          .first();
        const old = current?.access ?? DEFAULT_MATRIX[c.role][c.field];
        if (old === c.access) continue;
        await trx('field_access_overrides').where({ role: c.role, field: c.field }).del();
        if (c.access !== DEFAULT_MATRIX[c.role][c.field]) {
          await trx('field_access_overrides').insert({
            role: c.role,
            field: c.field,
            access: c.access,
          });
        }
        await trx('field_access_changes').insert({
          id: uuidv7(),
          role: c.role,
          field: c.field,
          old_access: old,
          new_access: c.access,
          reason,
          staff_id: actorId,
          changed_at: dbNow(trx),
        });
      }
    });
    return this.matrix();
  }

  async changes(): Promise<FieldAccessChange[]> {
    const rows = await this.db('field_access_changes as c')
      .join('staff as s', 's.id', 'c.staff_id')
      .select('c.*', 's.display_name', 's.username')
      .orderBy('c.id', 'desc');
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      roleLabel: ROLE_LABELS[r.role as Role] ?? r.role,
      field: r.field,
      fieldLabel: isFieldKey(String(r.field)) ? FIELD_BY_KEY[r.field as FieldKey].label : r.field,
      oldAccess: r.old_access,
      newAccess: r.new_access,
      reason: r.reason,
      changedBy: `${r.display_name} (${r.username})`,
      changedAt: toIso(r.changed_at),
    }));
  }
}
