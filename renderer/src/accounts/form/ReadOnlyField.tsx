import { Group, Text, Tooltip } from '@mantine/core';
import { IconEye, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { FIELD_BY_KEY, type FieldKey } from '../../../../shared/catalogue';
import type { VisibleAccess, VisibleFields } from '../../../../shared/types';
import { isMasked, valueText } from '../../format';

/** A field the role may see but not change: compact, with its mask or read-only mark. */
export function ReadOnlyField({
  fieldKey: key,
  fields,
  access,
  note,
}: {
  fieldKey: FieldKey;
  fields: VisibleFields;
  access: VisibleAccess;
  note: ReactNode;
}) {
  const text = valueText(key, fields, access);
  const masked = isMasked(access, key);
  return (
    <div className="readonly-field" data-field={key}>
      <Text size="xs" c="dimmed" id={`ro-${key}`}>
        {FIELD_BY_KEY[key].label}
      </Text>
      <Group gap={6} wrap="nowrap" aria-labelledby={`ro-${key}`}>
        <Tooltip label={masked ? 'Masked for your role' : 'Read only for your role'}>
          {masked ? (
            <IconLock size={14} aria-label="Masked" />
          ) : (
            <IconEye size={14} aria-label="Read only" opacity={0.5} />
          )}
        </Tooltip>
        <Text
          size="sm"
          c={text === null ? 'dimmed' : undefined}
          ff={masked ? 'monospace' : undefined}
        >
          {text ?? '—'}
        </Text>
      </Group>
      {note}
    </div>
  );
}
