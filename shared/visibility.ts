import { FIELDS, type FieldCategory, type FieldKey } from './catalogue';
import type { Role } from './roles';

/** What a role may do with one customer field (DESIGN.md section 3). */
export const ACCESS_LEVELS = ['hidden', 'masked', 'read', 'edit'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];
export type AccessMap = Record<FieldKey, Access>;
export type AccessMatrix = Record<Role, AccessMap>;

const RANK: Record<Access, number> = { hidden: 0, masked: 1, read: 2, edit: 3 };
export function atLeast(access: Access, wanted: Access): boolean {
  return RANK[access] >= RANK[wanted];
}
export const canRead = (a: Access): boolean => atLeast(a, 'read');
export const canSee = (a: Access): boolean => atLeast(a, 'masked');
export const canEdit = (a: Access): boolean => a === 'edit';

type CategoryDefaults = Record<FieldCategory, Access>;

/**
 * Need-to-know by category, then per-field exceptions. System fields (account number,
 * provenance) are never editable by anyone: the system sets them.
 */
const BY_CATEGORY: Record<Role, { categories: CategoryDefaults; fields?: Partial<AccessMap> }> = {
  support_agent: {
    categories: {
      identity: 'edit',
      contact: 'edit',
      sensitive_identifier: 'hidden',
      payment: 'masked',
      balance: 'read',
      standing: 'read',
      support_notes: 'edit',
      fraud: 'hidden',
      provenance: 'read',
    },
  },
  billing_specialist: {
    categories: {
      identity: 'read',
      contact: 'edit',
      sensitive_identifier: 'masked',
      payment: 'edit',
      balance: 'edit',
      standing: 'read',
      support_notes: 'read',
      fraud: 'hidden',
      provenance: 'read',
    },
    fields: { dateOfBirth: 'masked' },
  },
  collections_agent: {
    categories: {
      identity: 'read',
      contact: 'edit',
      sensitive_identifier: 'masked',
      payment: 'masked',
      balance: 'read',
      standing: 'read',
      support_notes: 'hidden',
      fraud: 'hidden',
      provenance: 'read',
    },
  },
  fraud_analyst: {
    categories: {
      identity: 'read',
      contact: 'read',
      sensitive_identifier: 'read',
      payment: 'read',
      balance: 'read',
      standing: 'read',
      support_notes: 'read',
      fraud: 'edit',
      provenance: 'read',
    },
  },
  compliance_officer: {
    categories: {
      identity: 'read',
      contact: 'read',
      sensitive_identifier: 'masked',
      payment: 'masked',
      balance: 'read',
      standing: 'read',
      support_notes: 'read',
      fraud: 'read',
      provenance: 'read',
    },
  },
  administrator: {
    categories: {
      identity: 'edit',
      contact: 'edit',
      sensitive_identifier: 'hidden',
      payment: 'hidden',
      balance: 'read',
      standing: 'read',
      support_notes: 'hidden',
      fraud: 'hidden',
      provenance: 'read',
    },
    fields: { dateOfBirth: 'masked' },
  },
};

function buildDefaultMatrix(): AccessMatrix {
  const matrix = {} as AccessMatrix;
  for (const [role, spec] of Object.entries(BY_CATEGORY) as [Role, (typeof BY_CATEGORY)[Role]][]) {
    const map = {} as AccessMap;
    for (const field of FIELDS) {
      let access: Access = spec.fields?.[field.key] ?? spec.categories[field.category];
      if (field.system && access === 'edit') access = 'read';
      map[field.key] = access;
    }
    matrix[role] = map;
  }
  return matrix;
}

/** The default need-to-know matrix that ships with Custodian. */
export const DEFAULT_MATRIX: Readonly<AccessMatrix> = buildDefaultMatrix();
