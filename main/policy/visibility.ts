import { FIELDS, FIELD_BY_KEY, type FieldKey } from '../../shared/catalogue';
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
