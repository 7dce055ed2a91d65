import { Paper, Table, Text } from '@mantine/core';
import { Fragment } from 'react';
import { FIELDS, FIELD_CATEGORIES, type FieldKey } from '../../../shared/catalogue';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { VisibilityMatrix } from '../../../shared/types';
import type { Access } from '../../../shared/visibility';
import { CATEGORY_LABELS } from '../format';
import { MatrixCell } from './MatrixCell';

export const cellKey = (role: Role, field: FieldKey) => `${role}:${field}`;

const GROUPS = FIELD_CATEGORIES.map((category) => ({
  category,
  fields: FIELDS.filter((f) => f.category === category),
})).filter((g) => g.fields.length > 0);

/** Fields down, roles across, grouped by category (a pivot, so not a DataTable list). */
export function MatrixTable({
  value,
  pending,
  cellErrors,
  editable,
  onCell,
}: {
  value: VisibilityMatrix;
  pending: ReadonlyMap<string, Access>;
  cellErrors: Record<string, string>;
  editable: boolean;
  onCell(role: Role, field: FieldKey, access: Access): void;
}) {
  return (
    <Paper withBorder className="matrix-scroll">
      <Table
        className="matrix-table"
        verticalSpacing={4}
        horizontalSpacing="sm"
        aria-label="Access matrix"
        stickyHeader
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            {ROLES.map((role) => (
              <Table.Th key={role} ta="center">
                {ROLE_LABELS[role]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {GROUPS.map((group) => (
            <Fragment key={group.category}>
              <Table.Tr className="matrix-category">
                <Table.Th colSpan={ROLES.length + 1} scope="colgroup">
                  {CATEGORY_LABELS[group.category]}
                </Table.Th>
              </Table.Tr>
              {group.fields.map((field) => (
                <Table.Tr key={field.key} data-field={field.key}>
                  <Table.Th scope="row" fw={500} className="matrix-field">
                    {field.label}
                    {field.system && (
                      <Text span size="xs" c="dimmed" ml={6}>
                        system
                      </Text>
                    )}
                  </Table.Th>
                  {ROLES.map((role) => {
                    const key = cellKey(role, field.key);
                    return (
                      <MatrixCell
                        key={role}
                        role={role}
                        field={field}
                        current={pending.get(key) ?? value.matrix[role][field.key]}
                        shipped={value.defaults[role][field.key]}
                        changed={pending.has(key)}
                        error={cellErrors[key]}
                        editable={editable}
                        onChange={(access) => onCell(role, field.key, access)}
                      />
                    );
                  })}
                </Table.Tr>
              ))}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
