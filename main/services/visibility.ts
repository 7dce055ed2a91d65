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
import { lockRows } from '../db/locks';
import { ACCESS_MATRIX_COUNTER } from '../db/migrations/0007_access_matrix_revision';

interface OverrideRow {
  role: Role;
  field: string;
  access: Access;
}

/** A role's access map and the matrix revision it was read at. */
export interface RoleAccess {
  /** Shared with every caller: never changed. */
  access: Readonly<AccessMap>;
  revision: number;
}

/** What a service that answers with customer rows needs of the matrix (VisibilityService). */
export type AccessSource = Pick<
  VisibilityService,
  'accessFor' | 'cachedAccess' | 'invalidate' | 'revisionColumn' | 'revision'
>;

interface Snapshot {
  revision: number;
  matrix: AccessMatrix;
}

/**
 * The access matrix in force: the shipped default, changed only through audited overrides.
 *
 * `accessFor` reads it from the database on every call, so a revocation on one workstation takes
 * effect on all. The two hottest paths (a page of the accounts list, an account's detail) use
 * `cachedAccess` instead, a copy kept in memory, and select `revisionColumn` with their rows in
 * the same statement: when the revision they read is not the copy's, the matrix changed
 * somewhere, and they drop the copy and answer again (see AccountsService). The database advances
 * the revision on every change (migration 0007), so this holds across workstations and engines.
 */
export class VisibilityService {
  private snapshot: Snapshot | null = null;
  /** Advanced by `invalidate`, so that a read begun before it is not kept. */
  private generation = 0;

  constructor(private readonly db: Knex) {}

  async accessFor(role: Role): Promise<AccessMap> {
    return { ...(await this.read()).matrix[role] };
  }

  /** The role's access from the copy in memory (read once); check its revision, see above. */
  async cachedAccess(role: Role): Promise<RoleAccess> {
    const snapshot = this.snapshot ?? (await this.read());
    return { access: snapshot.matrix[role], revision: snapshot.revision };
  }

  /** Forgets the copy in memory: the next call reads the matrix again. */
  invalidate(): void {
    this.snapshot = null;
    this.generation++;
  }

  /** The matrix revision as an SQL expression, to select in the statement that reads rows. */
  revisionColumn(db: Knex): Knex.Raw {
    return db.raw('(select value from counters where name = ?)', [ACCESS_MATRIX_COUNTER]);
  }

  /** The revision now, for an answer that read no row to compare it with. */
  async revision(): Promise<number> {
    const row = (await this.db('counters')
      .where({ name: ACCESS_MATRIX_COUNTER })
      .first('value')) as { value: number | string } | undefined;
    return Number(row?.value);
  }

  /** The whole matrix and its revision, in one statement (so one snapshot of the database). */
  private async read(): Promise<Snapshot> {
    const generation = this.generation;
    const rows = (await this.db('counters as c')
      .leftJoin('field_access_overrides as o', (j) => j.on(this.db.raw('1 = 1')))
      .where('c.name', ACCESS_MATRIX_COUNTER)
      .select('c.value as revision', 'o.role', 'o.field', 'o.access')) as (Partial<OverrideRow> & {
      revision: number | string;
    })[];
    const matrix = Object.fromEntries(
      ROLES.map((r) => [r, { ...DEFAULT_MATRIX[r] }]),
    ) as AccessMatrix;
    for (const row of rows) {
      if (row.role && row.field && row.access && isFieldKey(row.field) && matrix[row.role]) {
        matrix[row.role][row.field] = row.access;
      }
    }
    const snapshot = { revision: Number(rows[0]?.revision), matrix };
    if (!Number.isSafeInteger(snapshot.revision)) throw new Error('access matrix revision missing');
    if (generation === this.generation) this.snapshot = snapshot;
    return snapshot;
  }

  async matrix(): Promise<VisibilityMatrix> {
    return { matrix: structuredClone((await this.read()).matrix), defaults: DEFAULT_MATRIX };
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
      // Two administrators changing one cell at once: the second waits, then reads the first's
      // value as the old one, instead of both reading the same and one failing on the key.
      await lockRows(trx, 'counters', { name: ACCESS_MATRIX_COUNTER });
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
    // Here at once; other workstations see the revision move (migration 0007).
    this.invalidate();
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
