import { Badge, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import {
  SORT_KEY_FIELDS,
  type FieldKey,
  type SortKey,
  type Standing,
} from '../../../shared/catalogue';
import type { AccountRow, VisibleAccess } from '../../../shared/types';
import { canRead } from '../../../shared/visibility';
import { FieldDisplay, MaskedValue, STANDING_COLORS, STANDING_LABELS, isMasked } from '../format';

export interface ColumnSpec {
  id: string;
  header: string;
  /** The column shows when at least one of these fields is visible to the role. */
  fields: readonly FieldKey[];
  sortKey?: SortKey;
  width: string;
  numeric?: boolean;
  render(row: AccountRow, access: VisibleAccess): ReactNode;
}

function NameCell({ row, access }: { row: AccountRow; access: VisibleAccess }) {
  const parts = (['firstName', 'lastName'] as const)
    .filter((k) => k in access)
    .map((k) => row.fields[k])
    .filter((v): v is string | number => v !== null && v !== undefined && v !== '');
  const text = parts.join(' ');
  if (text === '')
    return (
      <Text span c="dimmed" inherit>
        —
      </Text>
    );
  if (isMasked(access, 'firstName') || isMasked(access, 'lastName')) {
    return <MaskedValue>{text}</MaskedValue>;
  }
  return (
    <Text span inherit fw={500}>
      {text}
    </Text>
  );
}

function StandingCell({ row, access }: { row: AccountRow; access: VisibleAccess }) {
  const value = row.fields.standing;
  if (value === null || value === undefined)
    return (
      <Text span c="dimmed" inherit>
        —
      </Text>
    );
  if (isMasked(access, 'standing')) return <MaskedValue>{String(value)}</MaskedValue>;
  const standing = value as Standing;
  return (
    <Badge color={STANDING_COLORS[standing] ?? 'gray'} variant="light" radius="sm">
      {STANDING_LABELS[standing] ?? String(value)}
    </Badge>
  );
}

/** The columns of the accounts list, in order. */
export const COLUMNS: readonly ColumnSpec[] = [
  {
    id: 'accountNumber',
    header: 'Account',
    fields: ['accountNumber'],
    sortKey: 'accountNumber',
    width: '110px',
    render: (row, access) => (
      <FieldDisplay fieldKey="accountNumber" fields={row.fields} access={access} />
    ),
  },
  {
    id: 'name',
    header: 'Name',
    fields: ['firstName', 'lastName'],
    sortKey: 'name',
    width: 'minmax(160px, 1.2fr)',
    render: (row, access) => <NameCell row={row} access={access} />,
  },
  {
    id: 'email',
    header: 'Email',
    fields: ['email'],
    sortKey: 'email',
    width: 'minmax(180px, 1.6fr)',
    render: (row, access) => <FieldDisplay fieldKey="email" fields={row.fields} access={access} />,
  },
  {
    id: 'phone',
    header: 'Phone',
    fields: ['phone'],
    width: 'minmax(150px, 1fr)',
    render: (row, access) => <FieldDisplay fieldKey="phone" fields={row.fields} access={access} />,
  },
  {
    id: 'city',
    header: 'City',
    fields: ['city'],
    width: 'minmax(100px, 0.8fr)',
    render: (row, access) => <FieldDisplay fieldKey="city" fields={row.fields} access={access} />,
  },
  {
    id: 'standing',
    header: 'Standing',
    fields: ['standing'],
    sortKey: 'standing',
    width: '140px',
    render: (row, access) => <StandingCell row={row} access={access} />,
  },
  {
    id: 'balanceCents',
    header: 'Balance',
    fields: ['balanceCents'],
    sortKey: 'balanceCents',
    width: '120px',
    numeric: true,
    render: (row, access) => (
      <FieldDisplay fieldKey="balanceCents" fields={row.fields} access={access} />
    ),
  },
];

/** Columns whose fields the role can see: hidden fields get no (empty) column. */
export function visibleColumns(access: VisibleAccess): ColumnSpec[] {
  return COLUMNS.filter((c) => c.fields.some((f) => f in access));
}

/** The backend refuses a sort that would reveal the order of a field the role cannot read. */
export function canSortBy(key: SortKey, access: VisibleAccess): boolean {
  return SORT_KEY_FIELDS[key].every((f) => {
    const a = access[f];
    return a !== undefined && canRead(a);
  });
}
