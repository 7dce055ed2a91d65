import { Button, Group, Text } from '@mantine/core';
import { IconFileExport, IconFilter, IconFlag, IconPlus } from '@tabler/icons-react';
import type { BulkSource } from '../collections/BulkMarkDialog';
import { ScreenHeader } from '../ui';
import type { Selection } from './useSelection';

/** The accounts list's title and actions: bulk marking, export, new account. */
export function AccountsToolbar({
  selection,
  canMark,
  canCreate,
  onBulk,
  onExport,
  onCreate,
}: {
  selection: Selection;
  canMark: boolean;
  canCreate: boolean;
  onBulk(source: BulkSource): void;
  onExport(): void;
  onCreate(): void;
}) {
  const { selected } = selection;
  return (
    <ScreenHeader
      title="Accounts"
      description="Search by account number, email, phone or name. Select a row to open the account."
      actions={
        <>
          {canMark && (
            <>
              {selected.size > 0 && (
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" c="dimmed" data-testid="selected-count">
                    {selected.size} selected
                  </Text>
                  <Button size="compact-sm" variant="subtle" onClick={selection.clear}>
                    Clear
                  </Button>
                </Group>
              )}
              <Button
                variant="default"
                leftSection={<IconFlag size={16} />}
                disabled={selected.size === 0}
                onClick={() => onBulk({ kind: 'selected', accountIds: [...selected] })}
              >
                Mark selected…
              </Button>
              <Button
                variant="default"
                leftSection={<IconFilter size={16} />}
                onClick={() => onBulk({ kind: 'filter' })}
              >
                Bulk by filter…
              </Button>
            </>
          )}
          <Button variant="default" leftSection={<IconFileExport size={16} />} onClick={onExport}>
            Export…
          </Button>
          {canCreate && (
            <Button leftSection={<IconPlus size={16} />} onClick={onCreate}>
              New account
            </Button>
          )}
        </>
      }
    />
  );
}
