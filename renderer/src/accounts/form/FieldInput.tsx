import { Select, Text, TextInput, Textarea } from '@mantine/core';
import type { ReactNode } from 'react';
import { FIELD_BY_KEY, type FieldKey } from '../../../../shared/catalogue';
import { optionLabel } from '../../format';
import { currencyOptions } from './values';

type WrapperPart = 'label' | 'input' | 'error' | 'description';
const WRAPPER_ORDER: WrapperPart[] = ['label', 'input', 'error', 'description'];

/** The input of one editable field, chosen by the field's type. */
export function FieldInput({
  fieldKey: key,
  value,
  error,
  note,
  currency,
  onChange,
}: {
  fieldKey: FieldKey;
  value: string;
  error: string | undefined;
  /** "Saved now: …" under the input during a conflict. */
  note: ReactNode;
  currency: string;
  onChange(value: string): void;
}) {
  const def = FIELD_BY_KEY[key];
  const required = 'required' in def && def.required;
  const common = {
    label: def.label,
    error,
    description: note,
    withAsterisk: required,
    inputWrapperOrder: WRAPPER_ORDER,
  };
  switch (def.type) {
    case 'longtext':
      return (
        <Textarea
          {...common}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={10}
          maxLength={def.maxLength}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'money':
      return (
        <TextInput
          {...common}
          value={value}
          inputMode="decimal"
          placeholder="0.00"
          onChange={(e) => onChange(e.currentTarget.value)}
          leftSection={
            <Text size="xs" c="dimmed" ff="monospace">
              {currency}
            </Text>
          }
          leftSectionWidth={48}
        />
      );
    case 'currency':
      return (
        <Select
          {...common}
          data={currencyOptions()}
          value={value || null}
          onChange={(v) => onChange(v ?? '')}
          searchable
          allowDeselect={false}
        />
      );
    case 'enum':
      return (
        <Select
          {...common}
          data={(def.options ?? []).map((o) => ({ value: o, label: optionLabel(key, o) }))}
          value={value || null}
          onChange={(v) => onChange(v ?? '')}
          clearable={!required && key !== 'standing'}
        />
      );
    case 'country':
      return (
        <TextInput
          {...common}
          description={note ?? 'Two-letter code, e.g. US or GB.'}
          value={value}
          maxLength={2}
          onChange={(e) => onChange(e.currentTarget.value.toUpperCase())}
          styles={{ input: { textTransform: 'uppercase' } }}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={value}
          maxLength={def.maxLength}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
