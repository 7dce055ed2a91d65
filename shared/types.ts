import type { FieldKey } from './catalogue';
import type { Access, AccessMap, AccessMatrix } from './visibility';
import type { Role } from './roles';

export type FieldValue = string | number | null;
/** Customer field values as the caller may see them: hidden fields are absent, masked ones are strings. */
export type VisibleFields = Partial<Record<FieldKey, FieldValue>>;
export type VisibleAccess = Partial<AccessMap>;

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface SessionInfo {
  user: StaffUser;
  locked: boolean;
  mustChangePassword: boolean;
  idleLockMinutes: number;
  /** The caller's access per visible customer field (hidden fields absent). */
  fieldAccess: VisibleAccess;
}

export interface AppStatus {
  initialised: boolean;
  appVersion: string;
  session: SessionInfo | null;
}

export interface AccountRow {
  id: string;
  fields: VisibleFields;
}

export interface AccountPage {
  rows: AccountRow[];
  /** Pass back to get the next page; null at the end. */
  nextCursor: string | null;
  access: VisibleAccess;
  searchKind: string | null;
}

export interface AccountDetail {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: VisibleFields;
  access: VisibleAccess;
}

export interface Settings {
  idleLockMinutes: number;
}

export interface VisibilityMatrix {
  matrix: AccessMatrix;
  defaults: AccessMatrix;
}

export interface FieldAccessChange {
  id: string;
  role: Role;
  roleLabel: string;
  field: string;
  fieldLabel: string;
  oldAccess: Access;
  newAccess: Access;
  reason: string;
  changedBy: string;
  changedAt: string;
}

export interface StaffSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  version: number;
}

export interface FieldChange {
  field: FieldKey;
  label: string;
  access: Access;
  oldValue: FieldValue;
  newValue: FieldValue;
}

export interface HistoryEntry {
  id: string;
  event: 'created' | 'updated';
  at: string;
  by: string;
  source: string;
  sourceDate: string;
  /** Only the fields the viewer may see, as far as they may see them. */
  changes: FieldChange[];
}
