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
import type { Db } from '../db/handle';
import { VisibilityStore, matrixRevisionColumn } from '../db/stores/visibility';

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

  private readonly store: VisibilityStore;

  constructor(db: Db) {
    this.store = new VisibilityStore(db);
  }

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
  revisionColumn(db: Db): ReturnType<typeof matrixRevisionColumn> {
    return matrixRevisionColumn(db);
  }

  /** The revision now, for an answer that read no row to compare it with. */
  async revision(): Promise<number> {
    return this.store.revision();
  }

  /** The whole matrix and its revision, in one statement (so one snapshot of the database). */
  private async read(): Promise<Snapshot> {
    const generation = this.generation;
    const { revision, overrides } = await this.store.overrides();
    const matrix = Object.fromEntries(
      ROLES.map((r) => [r, { ...DEFAULT_MATRIX[r] }]),
    ) as AccessMatrix;
    for (const row of overrides) {
      if (row.role && row.field && row.access && isFieldKey(row.field) && matrix[row.role]) {
        matrix[row.role][row.field] = row.access;
      }
    }
    const snapshot = { revision, matrix };
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
    await this.store.change(actorId, changes, reason, (role, field) => DEFAULT_MATRIX[role][field]);
    // Here at once; other workstations see the revision move (migration 0007).
    this.invalidate();
    return this.matrix();
  }

  async changes(): Promise<FieldAccessChange[]> {
    const rows = await this.store.changes();
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      roleLabel: ROLE_LABELS[r.role as Role] ?? r.role,
      field: r.field,
      fieldLabel: isFieldKey(String(r.field)) ? FIELD_BY_KEY[r.field as FieldKey].label : r.field,
      oldAccess: r.oldAccess,
      newAccess: r.newAccess,
      reason: r.reason,
      changedBy: `${r.displayName} (${r.username})`,
      changedAt: r.changedAt,
    }));
  }
}
