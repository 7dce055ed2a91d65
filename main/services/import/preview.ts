/**
 * The preview of an import (issue 17): the first valid rows as they will be stored, after the
 * mapping (names split), date conversion and the rules' normalisation, with the defaults a blank
 * or absent field takes. Kept in main as values; what leaves main is projected by the importing
 * role's access exactly as an account read is (main/policy/visibility.ts).
 */
import { FIELDS, type FieldKey } from '../../../shared/catalogue';
import type { ImportPreview } from '../../../shared/import';
import type { FieldValue, VisibleFields } from '../../../shared/types';
import type { AccessMap } from '../../../shared/visibility';
import { visibleFieldRules } from '../../policy/visibility';
import { IMPORT_DEFAULTS, IMPORT_FIELDS, type RowValidator, type RowValues } from './rules';

/** One previewed row: its line in the file and its values as they will be stored. */
export interface PreviewRow {
  line: number;
  values: Partial<Record<FieldKey, FieldValue>>;
}

/**
 * A checked row as the import will store it: each column's value, a blank one taking its
 * default, and the defaults of fields the file does not have. The account number is null when
 * the row has none: the import gives one.
 */
export function previewRow(validator: RowValidator, line: number, values: RowValues): PreviewRow {
  const out: Partial<Record<FieldKey, FieldValue>> = {};
  for (const key of PREVIEWED) {
    const at = validator.columnOf(key);
    const fallback = IMPORT_DEFAULTS[key];
    if (at < 0 && fallback === undefined && key !== 'accountNumber') continue;
    out[key] = (at < 0 ? null : values[at]) ?? fallback ?? null;
  }
  return { line, values: out };
}

/**
 * The fields a previewed row may have: the importable ones and those an imported account starts
 * with (its standing), in the catalogue's order.
 */
const PREVIEWED: FieldKey[] = FIELDS.filter(
  (f) => IMPORT_FIELDS.includes(f) || IMPORT_DEFAULTS[f.key] !== undefined,
).map((f) => f.key);

/**
 * The previewed rows as `access` may see them: a masked field shows its mask, a hidden one is
 * left out of every row and named in `hidden`.
 */
export function projectPreview(rows: readonly PreviewRow[], access: AccessMap): ImportPreview {
  const present = new Set<FieldKey>(rows.flatMap((r) => Object.keys(r.values) as FieldKey[]));
  const rules = visibleFieldRules(access).filter((r) => present.has(r.field.key));
  const shown = new Set(rules.map((r) => r.field.key));
  return {
    fields: rules.map((r) => r.field.key),
    access: Object.fromEntries(rules.map((r) => [r.field.key, access[r.field.key]])),
    hidden: FIELDS.filter((f) => present.has(f.key) && !shown.has(f.key)).map((f) => f.key),
    rows: rows.map((row) => {
      const values: VisibleFields = {};
      for (const { field, show } of rules) values[field.key] = show(row.values[field.key] ?? null);
      return { line: row.line, values };
    }),
  };
}
