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
  for (const { field, show } of visibleFieldRules(access)) out[field.key] = show(values[field.key]);
  return out;
}

/** How one field the caller may see reaches it: its value as stored, or masked. */
export interface FieldRule {
  field: FieldDef<FieldKey>;
  show: (value: FieldValue) => FieldValue;
}

function ruleOf(access: Readonly<AccessMap>, key: FieldKey): FieldRule {
  const field = FIELD_BY_KEY[key];
  const show =
    access[key] === 'masked'
      ? (value: FieldValue) => maskValue(field, value)
      : (value: FieldValue) => value;
  return { field, show };
}

/**
 * The rule `projectFields` applies, field by field: one per field the caller may see, in the
 * catalogue's order. Whoever reads rows in another shape (columns of a page) applies these.
 */
export function visibleFieldRules(access: Readonly<AccessMap>): FieldRule[] {
  return FIELDS.filter((f) => access[f.key] !== 'hidden').map((f) => ruleOf(access, f.key));
}

/**
 * The rules for the values of `fields` in that order (an export's columns). A hidden field is
 * refused, never answered empty.
 */
export function exportFieldRules(
  access: Readonly<AccessMap>,
  fields: readonly FieldKey[],
): FieldRule[] {
  requireReadable(
    access,
    fields.filter((f) => access[f] === 'hidden'),
    'export these fields',
  );
  return fields.map((f) => ruleOf(access, f));
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
