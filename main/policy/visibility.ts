import { FIELDS, FIELD_BY_KEY, type FieldDef, type FieldKey } from '../../shared/catalogue';
import type { FieldValue, VisibleAccess, VisibleFields } from '../../shared/types';
import { canRead, type AccessMap } from '../../shared/visibility';
import { AppError } from '../../shared/errors';
import { maskValue } from './masks';

/**
 * Projects a full account onto what one caller may see: hidden fields are dropped, masked ones
 * replaced by their mask. Every path that returns customer data goes through here.
 */
export function projectFields(
  values: Readonly<Record<FieldKey, FieldValue>>,
  access: AccessMap,
): VisibleFields {
  const out: VisibleFields = {};
  for (const field of FIELDS) {
    const a = access[field.key];
    if (a === 'hidden') continue;
    out[field.key] = a === 'masked' ? maskValue(field, values[field.key]) : values[field.key];
  }
  return out;
}

/** How one visible field of a row read as an array of columns is projected. */
interface FieldPlan {
  field: FieldDef<FieldKey>;
  /** Its column in the row (-1: not selected, so null). */
  at: number;
  masked: boolean;
  numeric: boolean;
}

function fieldPlan(
  access: Readonly<AccessMap>,
  columns: readonly string[],
  key: FieldKey,
): FieldPlan {
  const field = FIELD_BY_KEY[key];
  const numeric = field.type === 'money' || field.type === 'integer';
  return { field, at: columns.indexOf(field.column), masked: access[key] === 'masked', numeric };
}

function projectCell(plan: FieldPlan, row: readonly unknown[]): FieldValue {
  const raw = plan.at < 0 ? null : row[plan.at];
  // As rowToValues reads a record: numbers from pg's bigint text, everything else text.
  const value = raw === null || raw === undefined ? null : plan.numeric ? Number(raw) : String(raw);
  return plan.masked ? maskValue(plan.field, value) : value;
}

/**
 * `projectFields` for rows read as arrays of columns (a page of the accounts list): the same
 * projection, with what depends only on the access map and the columns worked out once.
 */
export function rowProjector(
  access: Readonly<AccessMap>,
  columns: readonly string[],
): (row: readonly unknown[]) => VisibleFields {
  const plans = FIELDS.filter((f) => access[f.key] !== 'hidden').map((f) =>
    fieldPlan(access, columns, f.key),
  );
  return (row) => {
    const out: VisibleFields = {};
    for (const plan of plans) out[plan.field.key] = projectCell(plan, row);
    return out;
  };
}

/**
 * The same projection as `rowProjector`, to the values of `fields` in that order (an export's
 * columns). A hidden field is refused, never answered empty.
 */
export function cellsProjector(
  access: Readonly<AccessMap>,
  columns: readonly string[],
  fields: readonly FieldKey[],
): (row: readonly unknown[]) => FieldValue[] {
  requireReadable(
    access,
    fields.filter((f) => access[f] === 'hidden'),
    'export these fields',
  );
  const plans = fields.map((f) => fieldPlan(access, columns, f));
  return (row) => plans.map((plan) => projectCell(plan, row));
}

/** The caller's access for every field it can see; hidden fields are absent. */
export function visibleAccess(access: AccessMap): VisibleAccess {
  const out: VisibleAccess = {};
  for (const field of FIELDS) {
    if (access[field.key] !== 'hidden') out[field.key] = access[field.key];
  }
  return out;
}

/** Refuses a search, filter or sort that would reveal a field the caller cannot read. */
export function requireReadable(
  access: AccessMap,
  fields: readonly FieldKey[],
  what: string,
): void {
  const blocked = fields.filter((f) => !canRead(access[f]));
  if (blocked.length > 0) {
    const labels = blocked.map((f) => FIELD_BY_KEY[f].label).join(', ');
    throw new AppError('FORBIDDEN', `You cannot ${what}: your role may not read ${labels}.`);
  }
}
