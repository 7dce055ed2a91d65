/**
 * The visibility matrix store: the only writer of `field_access_overrides` and
 * `field_access_changes`, and of the matrix revision counter (migration 0007) besides the
 * database's own triggers.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { FieldKey } from '../../../shared/catalogue';
import type { Role } from '../../../shared/roles';
import type { Access } from '../../../shared/visibility';
import { dbNow, toIso } from '../connect';
import { lockRows } from '../locks';
import { ACCESS_MATRIX_COUNTER } from '../migrations/0007_access_matrix_revision';

/** One stored override of the default matrix. */
export interface OverrideRow {
  role: Role;
  field: string;
  access: Access;
}

/** One recorded change of the matrix, with who made it. */
export interface AccessChangeRow {
  id: string;
  role: Role;
  field: string;
  oldAccess: Access;
  newAccess: Access;
  reason: string;
  displayName: string;
  username: string;
  changedAt: string;
}

/** The matrix revision as an SQL expression, to select in the statement that reads rows. */
export function matrixRevisionColumn(db: Knex): Knex.Raw {
  return db.raw('(select value from counters where name = ?)', [ACCESS_MATRIX_COUNTER]);
}

export class VisibilityStore {
  constructor(private readonly db: Knex) {}

  /** The revision now. */
  async revision(): Promise<number> {
    const row = (await this.db('counters')
      .where({ name: ACCESS_MATRIX_COUNTER })
      .first('value')) as { value: number | string } | undefined;
    return Number(row?.value);
  }

  /** Every override and the revision, in one statement (so one snapshot of the database). */
  async overrides(): Promise<{ revision: number; overrides: Partial<OverrideRow>[] }> {
    const rows = (await this.db('counters as c')
      .leftJoin('field_access_overrides as o', (j) => j.on(this.db.raw('1 = 1')))
      .where('c.name', ACCESS_MATRIX_COUNTER)
      .select('c.value as revision', 'o.role', 'o.field', 'o.access')) as (Partial<OverrideRow> & {
      revision: number | string;
    })[];
    return { revision: Number(rows[0]?.revision), overrides: rows };
  }

  /**
   * Applies changes in one transaction, each recorded with its old access (an override, or the
   * default `defaultOf` gives) unless it changes nothing. Two administrators changing one cell at
   * once: the second waits, then reads the first's value as the old one.
   */
  async change(
    staffId: string,
    changes: readonly { role: Role; field: FieldKey; access: Access }[],
    reason: string,
    defaultOf: (role: Role, field: FieldKey) => Access,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      await lockRows(trx, 'counters', { name: ACCESS_MATRIX_COUNTER });
      for (const c of changes) {
        const current = await trx<OverrideRow>('field_access_overrides')
          .where({ role: c.role, field: c.field })
          .first();
        const old = current?.access ?? defaultOf(c.role, c.field);
        if (old === c.access) continue;
        await trx('field_access_overrides').where({ role: c.role, field: c.field }).del();
        if (c.access !== defaultOf(c.role, c.field)) {
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
          staff_id: staffId,
          changed_at: dbNow(trx),
        });
      }
    });
  }

  /** Every recorded change, newest first. */
  async changes(): Promise<AccessChangeRow[]> {
    const rows = await this.db('field_access_changes as c')
      .join('staff as s', 's.id', 'c.staff_id')
      .select('c.*', 's.display_name', 's.username')
      .orderBy('c.id', 'desc');
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      field: r.field,
      oldAccess: r.old_access,
      newAccess: r.new_access,
      reason: r.reason,
      displayName: r.display_name,
      username: r.username,
      changedAt: toIso(r.changed_at),
    }));
  }
}
