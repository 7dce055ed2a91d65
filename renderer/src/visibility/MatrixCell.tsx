import { NativeSelect, Table, Tooltip } from '@mantine/core';
import type { FieldDef } from '../../../shared/catalogue';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import { ACCESS_LEVELS, type Access } from '../../../shared/visibility';
import { AccessBadge, ACCESS_LABELS } from './AccessBadge';

const isAccess = (v: string): v is Access => (ACCESS_LEVELS as readonly string[]).includes(v);

/** One role's access to one field: a select for an administrator, a badge otherwise. */
export function MatrixCell({
  role,
  field,
  current,
  shipped,
  changed,
  error,
  editable,
  onChange,
}: {
  role: Role;
  field: FieldDef;
  current: Access;
  shipped: Access;
  changed: boolean;
  error: string | undefined;
  editable: boolean;
  onChange(access: Access): void;
}) {
  const custom = current !== shipped;
  const label = `${ROLE_LABELS[role]}: ${field.label}`;
  return (
    <Table.Td
      className="matrix-cell"
      data-role={role}
      data-access={current}
      data-changed={changed || undefined}
      data-custom={custom || undefined}
      ta="center"
    >
      <Tooltip
        label={error ?? (custom ? `Shipped default: ${ACCESS_LABELS[shipped]}` : 'As shipped')}
        color={error ? 'red' : undefined}
        withArrow
        openDelay={300}
        opened={error ? true : undefined}
      >
        <div className="matrix-cell-inner">
          {editable ? (
            <NativeSelect
              size="xs"
              aria-label={label}
              value={current}
              error={error ? true : undefined}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (isAccess(v)) onChange(v);
              }}
              data={ACCESS_LEVELS.map((a) => ({
                value: a,
                label: ACCESS_LABELS[a],
                disabled: a === 'edit' && 'system' in field && Boolean(field.system),
              }))}
              w={96}
            />
          ) : (
            <span aria-label={`${label}: ${ACCESS_LABELS[current]}`}>
              <AccessBadge access={current} />
            </span>
          )}
        </div>
      </Tooltip>
    </Table.Td>
  );
}
