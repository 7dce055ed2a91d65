import { Checkbox, Stack, Text } from '@mantine/core';
import {
  createColumnHelper,
  getCoreRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useCallback, useMemo, type RefObject } from 'react';
import { SORT_KEYS, type SortKey } from '../../../shared/catalogue';
import type { AccountRow, VisibleAccess } from '../../../shared/types';
import { VirtualTable } from '../table/VirtualTable';
import { canSortBy, visibleColumns } from './columns';
import type { ChosenSort } from './useAccountsQuery';
import type { ExportQuery } from './ExportDialog';
import type { Selection } from './useSelection';

const ROW_HEIGHT = 44;
const helper = createColumnHelper<AccountRow>();
const isSortKey = (id: string): id is SortKey => (SORT_KEYS as readonly string[]).includes(id);

/** The accounts as a virtualised table: the columns the role may see, sortable by a click. */
export function AccountsTable({
  rows,
  access,
  query,
  onSort,
  selection,
  busy,
  showEmpty,
  scrollRef,
  onOpen,
  onScrolledTo,
}: {
  rows: AccountRow[];
  access: VisibleAccess;
  query: ExportQuery;
  onSort(sort: ChosenSort): void;
  /** Present when the role may mark standing: a checkbox column. */
  selection: Selection | null;
  busy: boolean;
  showEmpty: boolean;
  scrollRef: RefObject<HTMLDivElement | null>;
  onOpen(id: string): void;
  onScrolledTo(lastIndex: number): void;
}) {
  const specs = useMemo(() => visibleColumns(access), [access]);
  const columns = useMemo(
    () =>
      specs.map((spec) =>
        helper.accessor((row) => row.fields[spec.fields[0]!] ?? null, {
          id: spec.id,
          header: spec.header,
          enableSorting: spec.sortKey !== undefined && canSortBy(spec.sortKey, access),
          cell: (ctx) => spec.render(ctx.row.original, access),
        }),
      ),
    [specs, access],
  );
  const sorting: SortingState = useMemo(
    () => (query.sort === 'match' ? [] : [{ id: query.sort, desc: query.direction === 'desc' }]),
    [query.sort, query.direction],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const first = (typeof updater === 'function' ? updater(sorting) : updater)[0];
      if (first && isSortKey(first.id)) {
        onSort({ key: first.id, direction: first.desc ? 'desc' : 'asc' });
      }
    },
  });
  // Stable while the columns are: every row drawn is memoised on them.
  const cellClass = useCallback(
    (id: string) =>
      specs.some((c) => c.id === id && c.numeric) ? 'accounts-cell numeric' : 'accounts-cell',
    [specs],
  );
  const gridTemplateColumns = [...(selection ? ['28px'] : []), ...specs.map((c) => c.width)].join(
    ' ',
  );

  return (
    <VirtualTable
      table={table}
      label="Accounts"
      scrollRef={scrollRef}
      rowHeight={ROW_HEIGHT}
      gridTemplateColumns={gridTemplateColumns}
      cellClass={cellClass}
      busy={busy}
      onOpen={(row) => onOpen(row.id)}
      onScrolledTo={onScrolledTo}
      leading={
        selection && {
          header: (
            <Checkbox
              size="xs"
              aria-label="Select all accounts shown"
              checked={selection.allShown}
              indeterminate={selection.someShown && !selection.allShown}
              onChange={selection.toggleAllShown}
            />
          ),
          cell: (row) => (
            <Checkbox
              size="xs"
              aria-label={`Select ${String(row.original.fields.accountNumber ?? 'account')}`}
              checked={selection.selected.has(row.id)}
              onChange={() => selection.toggle(row.id)}
            />
          ),
          chosen: (row) => selection.selected.has(row.id),
        }
      }
      empty={
        showEmpty && (
          <Stack align="center" gap={4} py={48}>
            <Text fw={500}>{query.search ? 'No matching accounts' : 'No accounts yet'}</Text>
            <Text size="sm" c="dimmed">
              {query.search
                ? 'Check the spelling, or search by account number, email or phone instead.'
                : 'Accounts you create appear here.'}
            </Text>
          </Stack>
        )
      }
    />
  );
}
