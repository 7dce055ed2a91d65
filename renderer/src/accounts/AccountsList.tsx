import {
  Alert,
  Button,
  Checkbox,
  CloseButton,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconArrowDown,
  IconArrowUp,
  IconArrowsSort,
  IconFileExport,
  IconFilter,
  IconFlag,
  IconPlus,
  IconSearch,
} from '@tabler/icons-react';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SearchKind, SortKey } from '../../../shared/catalogue';
import { SORT_KEYS } from '../../../shared/catalogue';
import { SEARCH_KIND_LABELS } from '../../../shared/search';
import type { AccountDetail, AccountRow, VisibleAccess } from '../../../shared/types';
import { canEdit, canRead } from '../../../shared/visibility';
import { BulkMarkDialog, type BulkSource } from '../collections/BulkMarkDialog';
import { canMarkStanding } from '../collections/common';
import { call, isApiError, isSessionProblem, type ApiError } from '../api';
import { useSession } from '../session';
import { canSortBy, visibleColumns } from './columns';
import { ExportDialog } from './ExportDialog';

const PAGE_SIZE = 50;
const ROW_HEIGHT = 44;

interface Query {
  search: string;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

const helper = createColumnHelper<AccountRow>();

export function AccountsList({
  onOpen,
  onCreate,
  saved,
  generation,
}: {
  onOpen(id: string): void;
  onCreate(): void;
  /** An account just saved elsewhere in the screen: its row is refreshed in place. */
  saved: AccountDetail | null;
  /** Increase to reload from the first page (e.g. after creating an account). */
  generation: number;
}) {
  const { session, unlockCount } = useSession();
  const [searchText, setSearchText] = useState('');
  const [debouncedSearch] = useDebouncedValue(searchText.trim(), 250);
  // A column the user chose to sort by; until then a search lists its best matches first (the
  // order its index gives, so the first page is as quick as any) and the plain list is by name.
  const [chosenSort, setChosenSort] = useState<{
    key: SortKey;
    direction: 'asc' | 'desc';
  } | null>(null);
  const sort = useMemo(
    () =>
      chosenSort ??
      (debouncedSearch
        ? { key: 'match' as const, direction: 'asc' as const }
        : {
            key: canSortBy('name', session.fieldAccess)
              ? ('name' as const)
              : ('createdAt' as const),
            direction: 'asc' as const,
          }),
    [chosenSort, debouncedSearch, session.fieldAccess],
  );

  const [rows, setRows] = useState<AccountRow[]>([]);
  const [access, setAccess] = useState<VisibleAccess>(session.fieldAccess);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [searchKind, setSearchKind] = useState<SearchKind | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  /** Rows ticked for bulk marking (kept across searches; the count is always shown). */
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [bulk, setBulk] = useState<BulkSource | null>(null);
  const requestId = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const query: Query = useMemo(
    () => ({ search: debouncedSearch, sort: sort.key, direction: sort.direction }),
    [debouncedSearch, sort],
  );

  const loadPage = useCallback(
    async (cursor: string | null) => {
      const id = ++requestId.current;
      setLoading(true);
      try {
        const page = await call('accounts.list', {
          ...(query.search ? { search: query.search } : {}),
          sort: query.sort,
          direction: query.direction,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        });
        if (id !== requestId.current) return;
        setRows((prev) => (cursor ? [...prev, ...page.rows] : page.rows));
        setNextCursor(page.nextCursor);
        setAccess(page.access);
        setSearchKind(page.searchKind as SearchKind | null);
        setError(null);
        setLoaded(true);
        if (!cursor) scrollRef.current?.scrollTo({ top: 0 });
      } catch (err) {
        if (id !== requestId.current) return;
        setError(isApiError(err) ? err : null);
        if (!cursor) {
          setRows([]);
          setNextCursor(null);
        }
      } finally {
        if (id === requestId.current) setLoading(false);
      }
    },
    [query],
  );

  useEffect(() => {
    void loadPage(null);
  }, [loadPage, generation]);

  // A page refused because the console locked: fetch it again once unlocked.
  const lastError = useRef(error);
  useEffect(() => {
    lastError.current = error;
  }, [error]);
  useEffect(() => {
    if (unlockCount > 0 && lastError.current && isSessionProblem(lastError.current)) {
      void loadPage(null);
    }
  }, [unlockCount, loadPage]);

  useEffect(() => {
    if (!saved) return;
    setRows((prev) =>
      prev.map((r) => (r.id === saved.id ? { id: saved.id, fields: saved.fields } : r)),
    );
  }, [saved]);

  const columnsSpec = useMemo(() => visibleColumns(access), [access]);
  const columns = useMemo(
    () =>
      columnsSpec.map((spec) =>
        helper.accessor((row) => row.fields[spec.fields[0]!] ?? null, {
          id: spec.id,
          header: spec.header,
          enableSorting: spec.sortKey !== undefined && canSortBy(spec.sortKey, access),
          cell: (ctx) => spec.render(ctx.row.original, access),
        }),
      ),
    [columnsSpec, access],
  );
  const sorting: SortingState = useMemo(
    () => (sort.key === 'match' ? [] : [{ id: sort.key, desc: sort.direction === 'desc' }]),
    [sort],
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
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (!first || !(SORT_KEYS as readonly string[]).includes(first.id)) return;
      setChosenSort({ key: first.id as SortKey, direction: first.desc ? 'desc' : 'asc' });
    },
  });
  const tableRows = table.getRowModel().rows;

  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  // Fetch the next page as the user scrolls near the end (no count query: the cursor says more).
  useEffect(() => {
    if (nextCursor && !loading && !error && lastIndex >= tableRows.length - 10) {
      void loadPage(nextCursor);
    }
  }, [lastIndex, tableRows.length, nextCursor, loading, error, loadPage]);

  const canMark =
    canMarkStanding(session.user.role) && access.standing !== undefined && canRead(access.standing);
  const toggleSelected = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allShownSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someShownSelected = rows.some((r) => selected.has(r.id));
  const gridTemplateColumns = [
    ...(canMark ? ['28px'] : []),
    ...columnsSpec.map((c) => c.width),
  ].join(' ');
  const canCreate =
    canEdit(session.fieldAccess.firstName ?? 'hidden') &&
    canEdit(session.fieldAccess.lastName ?? 'hidden');
  const searchError =
    error && (error.code === 'VALIDATION' || error.code === 'FORBIDDEN') && query.search
      ? (error.fieldErrors?.search ?? error.message)
      : null;
  const listError = error && !searchError && !isSessionProblem(error) ? error.message : null;
  const searchPending = searchText.trim() !== debouncedSearch;

  return (
    <Stack gap="sm" className="section-fill">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Title order={2} fz="h3">
            Accounts
          </Title>
          <Text c="dimmed" size="sm">
            Search by account number, email, phone or name. Select a row to open the account.
          </Text>
        </div>
        <Group gap="sm" wrap="nowrap">
          {canMark && (
            <>
              {selected.size > 0 && (
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" c="dimmed" data-testid="selected-count">
                    {selected.size} selected
                  </Text>
                  <Button size="compact-sm" variant="subtle" onClick={() => setSelected(new Set())}>
                    Clear
                  </Button>
                </Group>
              )}
              <Button
                variant="default"
                leftSection={<IconFlag size={16} />}
                disabled={selected.size === 0}
                onClick={() => setBulk({ kind: 'selected', accountIds: [...selected] })}
              >
                Mark selected…
              </Button>
              <Button
                variant="default"
                leftSection={<IconFilter size={16} />}
                onClick={() => setBulk({ kind: 'filter' })}
              >
                Bulk by filter…
              </Button>
            </>
          )}
          <Button
            variant="default"
            leftSection={<IconFileExport size={16} />}
            onClick={() => setExportOpen(true)}
          >
            Export…
          </Button>
          {canCreate && (
            <Button leftSection={<IconPlus size={16} />} onClick={onCreate}>
              New account
            </Button>
          )}
        </Group>
      </Group>
      <ExportDialog
        opened={exportOpen}
        onClose={() => setExportOpen(false)}
        query={query}
        access={access}
      />
      <BulkMarkDialog
        source={bulk}
        onClose={() => setBulk(null)}
        onDone={() => {
          setSelected(new Set());
          void loadPage(null);
        }}
      />

      <Group align="flex-start" gap="md" wrap="nowrap">
        <TextInput
          label="Search accounts"
          placeholder="e.g. C-1000042, ana@example.com, 555 0199 or Smith"
          w={460}
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          leftSection={<IconSearch size={16} />}
          rightSection={
            loading || searchPending ? (
              <Loader size={14} />
            ) : searchText ? (
              <CloseButton aria-label="Clear search" size="sm" onClick={() => setSearchText('')} />
            ) : null
          }
          error={searchError}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
        />
        <Text size="sm" c="dimmed" mt={30} data-testid="search-hint">
          {query.search && searchKind && !searchError
            ? `Searching by ${SEARCH_KIND_LABELS[searchKind]}${sort.key === 'match' ? ', best matches first' : ''}`
            : ''}
        </Text>
        {query.search && chosenSort && !searchError && (
          <Button variant="subtle" size="compact-sm" mt={28} onClick={() => setChosenSort(null)}>
            Best matches first
          </Button>
        )}
      </Group>

      {listError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {listError}
        </Alert>
      )}

      <div
        ref={scrollRef}
        className="accounts-scroll"
        role="table"
        aria-label="Accounts"
        aria-rowcount={-1}
        aria-busy={loading}
      >
        <div role="rowgroup" className="accounts-head-group">
          {table.getHeaderGroups().map((group) => (
            <div
              key={group.id}
              role="row"
              className="accounts-row accounts-head"
              style={{ gridTemplateColumns }}
            >
              {canMark && (
                <div role="columnheader" className="accounts-cell">
                  <Checkbox
                    size="xs"
                    aria-label="Select all accounts shown"
                    checked={allShownSelected}
                    indeterminate={someShownSelected && !allShownSelected}
                    onChange={() =>
                      setSelected((prev) => {
                        const next = new Set(prev);
                        for (const r of rows) {
                          if (allShownSelected) next.delete(r.id);
                          else next.add(r.id);
                        }
                        return next;
                      })
                    }
                  />
                </div>
              )}
              {group.headers.map((header) => {
                const spec = columnsSpec.find((c) => c.id === header.column.id);
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <div
                    key={header.id}
                    role="columnheader"
                    className={spec?.numeric ? 'accounts-cell numeric' : 'accounts-cell'}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                        title={`Sort by ${String(header.column.columnDef.header)}`}
                      >
                        {label}
                        {sorted === 'asc' ? (
                          <IconArrowUp size={14} aria-hidden />
                        ) : sorted === 'desc' ? (
                          <IconArrowDown size={14} aria-hidden />
                        ) : (
                          <IconArrowsSort size={14} aria-hidden opacity={0.45} />
                        )}
                      </button>
                    ) : (
                      label
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>

        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = tableRows[item.index]!;
            return (
              <div
                key={row.id}
                role="row"
                tabIndex={0}
                aria-rowindex={item.index + 2}
                className={`accounts-row accounts-body-row${item.index % 2 ? ' odd' : ''}`}
                style={{
                  gridTemplateColumns,
                  height: item.size,
                  width: '100%',
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() => onOpen(row.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpen(row.id);
                  }
                }}
              >
                {canMark && (
                  <div
                    role="cell"
                    className="accounts-cell"
                    onClick={(e) => e.stopPropagation()}
                    onKeyDown={(e) => e.stopPropagation()}
                  >
                    <Checkbox
                      size="xs"
                      aria-label={`Select ${String(row.original.fields.accountNumber ?? 'account')}`}
                      checked={selected.has(row.id)}
                      onChange={() => toggleSelected(row.id)}
                    />
                  </div>
                )}
                {row.getVisibleCells().map((cell) => {
                  const spec = columnsSpec.find((c) => c.id === cell.column.id);
                  return (
                    <div
                      key={cell.id}
                      role="cell"
                      className={spec?.numeric ? 'accounts-cell numeric' : 'accounts-cell'}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>

        {loaded && !loading && rows.length === 0 && !error && (
          <Stack align="center" gap={4} py={48}>
            <Text fw={500}>{query.search ? 'No matching accounts' : 'No accounts yet'}</Text>
            <Text size="sm" c="dimmed">
              {query.search
                ? 'Check the spelling, or search by account number, email or phone instead.'
                : 'Accounts you create appear here.'}
            </Text>
          </Stack>
        )}
      </div>

      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="list-status">
          {rows.length === 1 ? '1 account shown' : `${rows.length.toLocaleString()} accounts shown`}
          {nextCursor ? ' · scroll down for more' : rows.length > 0 ? ' · end of list' : ''}
        </Text>
        {loading && rows.length > 0 && (
          <Group gap={6}>
            <Loader size={12} />
            <Text size="xs" c="dimmed">
              Loading…
            </Text>
          </Group>
        )}
      </Group>
    </Stack>
  );
}
