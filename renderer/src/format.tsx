/** How customer values are shown: labels, money, enums, masks. */
import { Group, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import {
  FIELD_BY_KEY,
  PROVENANCE_LABELS,
  type FieldCategory,
  type FieldKey,
  type ProvenanceSource,
  type Standing,
} from '../../shared/catalogue';
import { formatMoney } from '../../shared/rules';
import type { FieldValue, VisibleAccess, VisibleFields } from '../../shared/types';

export const CATEGORY_LABELS: Record<FieldCategory, string> = {
  identity: 'Identity',
  contact: 'Contact',
  sensitive_identifier: 'Sensitive identifiers',
  payment: 'Payment method',
  balance: 'Balance',
  standing: 'Standing',
  support_notes: 'Support notes',
  fraud: 'Fraud',
  provenance: 'Provenance',
};

export const STANDING_LABELS: Record<Standing, string> = {
  good: 'Good standing',
  past_due: 'Past due',
  bad_standing: 'Bad standing',
  in_collection: 'In collection',
  settled: 'Settled',
  written_off: 'Written off',
};

export const STANDING_COLORS: Record<Standing, string> = {
  good: 'teal',
  past_due: 'yellow',
  bad_standing: 'orange',
  in_collection: 'red',
  settled: 'blue',
  written_off: 'gray',
};

const FRAUD_LABELS: Record<string, string> = {
  none: 'None',
  suspected: 'Suspected',
  reported: 'Reported',
};

/** The label of one option of an enum field. */
export function optionLabel(key: FieldKey, option: string): string {
  if (key === 'standing') return STANDING_LABELS[option as Standing] ?? option;
  if (key === 'provenanceSource') return PROVENANCE_LABELS[option as ProvenanceSource] ?? option;
  if (key === 'fraudFlag') return FRAUD_LABELS[option] ?? option;
  return option;
}

let regionNames: Intl.DisplayNames | undefined;
export function countryName(code: string): string | undefined {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    const name = regionNames.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/**
 * When a record was made: the server's time, and for a change made on a workstation offline
 * also the time it was made there (by that workstation's clock).
 */
export function formatRecorded(e: { at: string; madeOfflineAt?: string | undefined }): string {
  if (!e.madeOfflineAt) return formatTimestamp(e.at);
  return `made offline ${formatTimestamp(e.madeOfflineAt)}, received ${formatTimestamp(e.at)}`;
}

export function isMasked(access: VisibleAccess, key: FieldKey): boolean {
  return access[key] === 'masked';
}

/** Plain text of a visible value (null when empty). Masked values come as their mask. */
export function valueText(
  key: FieldKey,
  fields: VisibleFields,
  access: VisibleAccess,
): string | null {
  const value: FieldValue | undefined = fields[key];
  if (value === null || value === undefined || value === '') return null;
  if (isMasked(access, key)) return String(value);
  const def = FIELD_BY_KEY[key];
  if (def.type === 'money' && typeof value === 'number') {
    const currency = typeof fields.currency === 'string' && !isMasked(access, 'currency');
    try {
      return formatMoney(value, currency ? (fields.currency as string) : 'USD');
    } catch {
      return String(value);
    }
  }
  if (def.type === 'enum') return optionLabel(key, String(value));
  if (def.type === 'country') {
    const name = countryName(String(value));
    return name ? `${String(value)} · ${name}` : String(value);
  }
  return String(value);
}

/** A masked value with the lock icon and the reason on hover. */
export function MaskedValue({ children }: { children: ReactNode }) {
  return (
    <Tooltip label="Masked for your role" withArrow openDelay={150}>
      <Group gap={6} wrap="nowrap" component="span" className="masked-value" tabIndex={0}>
        <IconLock size={14} stroke={1.8} aria-label="Masked" />
        <Text span inherit c="dimmed" ff="monospace">
          {children}
        </Text>
      </Group>
    </Tooltip>
  );
}

/** A value as a table cell or a detail row shows it. */
export function FieldDisplay({
  fieldKey,
  fields,
  access,
}: {
  fieldKey: FieldKey;
  fields: VisibleFields;
  access: VisibleAccess;
}) {
  const text = valueText(fieldKey, fields, access);
  if (text === null) {
    return (
      <Text span c="dimmed" inherit>
        —
      </Text>
    );
  }
  if (isMasked(access, fieldKey)) return <MaskedValue>{text}</MaskedValue>;
  return <>{text}</>;
}

/** Today's date as the backend checks it (UTC), for date inputs' defaults. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
