import { Button, Checkbox, Group, Modal, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { FIELDS, type FieldKey, type SortKey } from '../../../shared/catalogue';
import { DEFAULT_FIELDS } from '../../../shared/disclosure';
import type { VisibleAccess } from '../../../shared/types';
import { canSee } from '../../../shared/visibility';
import { useAction } from '../data';
import { FileExportForm } from '../exports/FileExportForm';

export interface ExportQuery {
  search: string;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

/** An internal export of the accounts list as searched and sorted now (logged, not a disclosure). */
export function ExportDialog({
  opened,
  onClose,
  query,
  access,
}: {
  opened: boolean;
  onClose(): void;
  query: ExportQuery;
  access: VisibleAccess;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Export accounts for internal use" size="xl">
      {opened && <ExportForm query={query} access={access} onClose={onClose} />}
    </Modal>
  );
}

function ExportForm({
  query,
  access,
  onClose,
}: {
  query: ExportQuery;
  access: VisibleAccess;
  onClose(): void;
}) {
  const visible = FIELDS.filter((f) => {
    const a = access[f.key];
    return a !== undefined && canSee(a);
  });
  const [fields, setFields] = useState<Set<FieldKey>>(
    () => new Set(DEFAULT_FIELDS.internal.filter((k) => visible.some((f) => f.key === k))),
  );
  const action = useAction('exports.accounts', { fields: ['fileName'] });
  return (
    <FileExportForm
      action={action}
      write={(file) =>
        action.run({
          ...(query.search ? { search: query.search } : {}),
          sort: query.sort,
          direction: query.direction,
          fields: FIELDS.map((f) => f.key).filter((k) => fields.has(k)),
          ...file,
        })
      }
      baseName="accounts"
      onClose={onClose}
      disabled={fields.size === 0}
      done={(done) =>
        `Exported ${done.rowCount} account${done.rowCount === 1 ? '' : 's'}. The export is recorded in the disclosure log as internal use.`
      }
      intro={
        <Text size="sm" c="dimmed">
          {query.search
            ? `The accounts matching “${query.search}”, in the list's current order.`
            : "Every account, in the list's current order."}{' '}
          For staff use only: data for a third party goes through Disclose. Masked fields are
          exported masked.
        </Text>
      }
    >
      <FieldPicker visible={visible} fields={fields} onFields={setFields} />
    </FileExportForm>
  );
}

function FieldPicker({
  visible,
  fields,
  onFields,
}: {
  visible: readonly (typeof FIELDS)[number][];
  fields: ReadonlySet<FieldKey>;
  onFields(next: Set<FieldKey>): void;
}) {
  return (
    <div>
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={500}>
          Fields ({fields.size} of {visible.length})
        </Text>
        <Group gap="xs">
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onFields(new Set(visible.map((f) => f.key)))}
          >
            All
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => onFields(new Set())}
          >
            None
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={3} spacing={6}>
        {visible.map((f) => (
          <Checkbox
            key={f.key}
            label={f.label}
            checked={fields.has(f.key)}
            onChange={(e) => {
              const next = new Set(fields);
              if (e.currentTarget.checked) next.add(f.key);
              else next.delete(f.key);
              onFields(next);
            }}
          />
        ))}
      </SimpleGrid>
    </div>
  );
}
