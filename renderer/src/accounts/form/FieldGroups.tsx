import { Fieldset, SimpleGrid, Text } from '@mantine/core';
import { FIELD_BY_KEY, FIELD_CATEGORIES, type FieldKey } from '../../../../shared/catalogue';
import type { AccountDetail, VisibleAccess } from '../../../../shared/types';
import { CATEGORY_LABELS, valueText } from '../../format';
import { FieldInput } from './FieldInput';
import { ReadOnlyField } from './ReadOnlyField';
import { formCurrency, type FormValues } from './values';

/** The form's fields by category: inputs for what the role may edit, the rest read-only. */
export function FieldGroups({
  shownKeys,
  editableKeys,
  values,
  baseValues,
  errors,
  access,
  display,
  conflict,
  changedByMe,
  changedByThem,
  onValue,
}: {
  shownKeys: readonly FieldKey[];
  editableKeys: readonly FieldKey[];
  values: FormValues;
  baseValues: FormValues;
  errors: Record<string, string>;
  access: VisibleAccess;
  /** The account the read-only fields show (the conflicting version during a conflict). */
  display: AccountDetail | null;
  conflict: AccountDetail | null;
  changedByMe: readonly FieldKey[];
  changedByThem: readonly FieldKey[];
  onValue(key: FieldKey, value: string): void;
}) {
  const savedNow = (key: FieldKey) => {
    if (!conflict || (!changedByMe.includes(key) && !changedByThem.includes(key))) return null;
    const text = valueText(key, conflict.fields, conflict.access) ?? '(empty)';
    return (
      <Text component="span" size="xs" c="orange" fw={500} data-testid={`saved-now-${key}`}>
        Saved now: {text}
        {changedByThem.includes(key) ? ' (changed by someone else)' : ''}
      </Text>
    );
  };
  const currency = formCurrency(values, baseValues);
  return FIELD_CATEGORIES.map((category) => {
    const keys = shownKeys.filter((k) => FIELD_BY_KEY[k].category === category);
    const editable = keys.filter((k) => editableKeys.includes(k));
    const readOnly = keys.filter((k) => !editableKeys.includes(k));
    if (keys.length === 0) return null;
    return (
      <Fieldset key={category} legend={CATEGORY_LABELS[category]}>
        {editable.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            {editable.map((key) => (
              <div
                key={key}
                style={FIELD_BY_KEY[key].type === 'longtext' ? { gridColumn: '1 / -1' } : undefined}
              >
                <FieldInput
                  fieldKey={key}
                  value={values[key] ?? ''}
                  error={errors[key]}
                  note={savedNow(key)}
                  currency={currency}
                  onChange={(v) => onValue(key, v)}
                />
              </div>
            ))}
          </SimpleGrid>
        )}
        {readOnly.length > 0 && (
          <div className="readonly-grid" data-has-inputs={editable.length > 0 || undefined}>
            {readOnly.map((key) => (
              <ReadOnlyField
                key={key}
                fieldKey={key}
                fields={display?.fields ?? {}}
                access={access}
                note={savedNow(key)}
              />
            ))}
          </div>
        )}
      </Fieldset>
    );
  });
}
