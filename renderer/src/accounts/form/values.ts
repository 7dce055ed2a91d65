/** The account form's values: stored values as input text, and input text as what is sent. */
import {
  FIELD_BY_KEY,
  PROVENANCE_LABELS,
  PROVENANCE_SOURCES,
  type FieldDef,
  type FieldKey,
} from '../../../../shared/catalogue';
import { parseMoney } from '../../../../shared/rules';
import type { FieldValue, VisibleFields } from '../../../../shared/types';
import { fractionDigits } from '../../money';

export type FormValues = Partial<Record<FieldKey, string>>;
export type Payload = Partial<Record<FieldKey, string | number | null>>;

/** Manual entry: an import is never typed by hand. */
export const MANUAL_SOURCES = PROVENANCE_SOURCES.filter((s) => s !== 'import').map((s) => ({
  value: s,
  label: PROVENANCE_LABELS[s],
}));

let currencies: string[] | undefined;
export function currencyOptions(): string[] {
  currencies ??= Intl.supportedValuesOf('currency');
  return currencies;
}

/** A stored value as the text an input holds (money in major units, e.g. "1234.50"). */
function toText(def: FieldDef, value: FieldValue | undefined, fields: VisibleFields): string {
  if (value === null || value === undefined) return '';
  if (def.type === 'money' && typeof value === 'number') {
    const currency = typeof fields.currency === 'string' ? fields.currency : 'USD';
    const digits = fractionDigits(currency);
    return (value / 10 ** digits).toFixed(digits);
  }
  return String(value);
}

export function toFormValues(keys: readonly FieldKey[], fields: VisibleFields): FormValues {
  const out: FormValues = {};
  for (const key of keys) out[key] = toText(FIELD_BY_KEY[key], fields[key], fields);
  return out;
}

/** Where a backend error path belongs: `changes.email`, `fields.email` and `email` are one input. */
export function errorTarget(path: string, inputs: readonly string[]): string | null {
  const key = path.replace(/^(changes|fields)\./, '');
  return inputs.includes(key) ? key : null;
}

/** The currency money fields are typed in. */
export function formCurrency(values: FormValues, base: FormValues): string {
  return (values.currency || base.currency || 'USD').toUpperCase();
}

/** The values to send: for an edit only the changed fields, as the backend types them. */
export function collect(
  editableKeys: readonly FieldKey[],
  values: FormValues,
  base: FormValues,
  edit: boolean,
): { payload: Payload; local: Record<string, string> } {
  const payload: Payload = {};
  const local: Record<string, string> = {};
  for (const key of editableKeys) {
    const text = values[key] ?? '';
    if (edit && text === (base[key] ?? '')) continue;
    if (text.trim() === '') {
      if (edit) payload[key] = null;
      continue;
    }
    if (FIELD_BY_KEY[key].type === 'money') {
      const minor = parseMoney(text, formCurrency(values, base));
      if (minor === null) local[key] = 'Enter an amount such as 1234.56.';
      else payload[key] = minor;
      continue;
    }
    payload[key] = text;
  }
  return { payload, local };
}

/** Required fields left empty (the backend reports them only once the input's shape is valid). */
export function missingRequired(
  editableKeys: readonly FieldKey[],
  values: FormValues,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of editableKeys) {
    const def = FIELD_BY_KEY[key];
    if ('required' in def && def.required && (values[key] ?? '').trim() === '') {
      out[key] = `${def.label} is required.`;
    }
  }
  return out;
}
