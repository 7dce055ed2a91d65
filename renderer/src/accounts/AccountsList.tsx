import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AccountDetail } from '../../../shared/types';
import { canEdit, canRead } from '../../../shared/visibility';
import { BulkMarkDialog, type BulkSource } from '../collections/BulkMarkDialog';
import { canMarkStanding } from '../collections/common';
import { useChannelPages } from '../data';
import { useSession } from '../session';
import { AccountsSearch } from './AccountsSearch';
import { AccountsTable } from './AccountsTable';
import { AccountsToolbar } from './AccountsToolbar';
import { ExportDialog } from './ExportDialog';
import { useAccountsQuery } from './useAccountsQuery';
import { useSelection } from './useSelection';

const PAGE_SIZE = 50;
/**
 * The next page is asked for while this many loaded rows are still below the last one in view:
 * a fast fling (about three rows a frame) takes that long to reach the end, longer than a page
 * takes to arrive, so the list does not stop at the end of what is loaded. Few enough that the
 * first page alone is read until the user scrolls (each page read is logged as listed).
 */
const PREFETCH_ROWS = 30;

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
  const { session } = useSession();
  const q = useAccountsQuery(session.fieldAccess);
  const { query } = q;
  const list = useChannelPages(
    'accounts.list',
    {
      ...(query.search ? { search: query.search } : {}),
      sort: query.sort,
      direction: query.direction,
      limit: PAGE_SIZE,
    },
    (page) => page.nextCursor,
  );
  // The same array until a page arrives: the table and every row drawn are memoised on it.
  const rows = useMemo(() => list.pages?.flatMap((p) => p.rows) ?? [], [list.pages]);
  const access = list.pages?.[0]?.access ?? session.fieldAccess;
  const searchKind = list.pages?.[0]?.searchKind ?? null;
  const selection = useSelection(rows.map((r) => r.id));
  const [exportOpen, setExportOpen] = useState(false);
  const [bulk, setBulk] = useState<BulkSource | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // A new search or sort, or an account added: from the top of the first page.
  const { reset, updatePages, hasMore, fetching, loadMore } = list;
  useEffect(() => {
    // A block, not an expression: Chromium's scrollTo may answer a promise, not a cleanup.
    void scrollRef.current?.scrollTo({ top: 0 });
  }, [query]);
  useEffect(() => {
    if (generation > 0) reset();
  }, [generation, reset]);
  useEffect(() => {
    if (!saved) return;
    updatePages((page) => ({
      ...page,
      rows: page.rows.map((r) => (r.id === saved.id ? { id: saved.id, fields: saved.fields } : r)),
    }));
  }, [saved, updatePages]);

  // The next page as the user scrolls near the end (no count query: the cursor says more).
  const refused = list.refusal !== null;
  const onScrolledTo = useCallback(
    (last: number) => {
      if (hasMore && !fetching && !refused && last >= rows.length - PREFETCH_ROWS) loadMore();
    },
    [hasMore, fetching, refused, rows.length, loadMore],
  );

  const canMark =
    canMarkStanding(session.user.role) && access.standing !== undefined && canRead(access.standing);
  const canCreate =
    canEdit(session.fieldAccess.firstName ?? 'hidden') &&
    canEdit(session.fieldAccess.lastName ?? 'hidden');
  const err = list.refusal;
  const searchError =
    err && (err.code === 'VALIDATION' || err.code === 'FORBIDDEN') && query.search
      ? (err.fieldErrors?.search ?? err.message)
      : null;
  const listError = searchError ? null : list.error;

  return (
    <Stack gap="sm" className="section-fill">
      <AccountsToolbar
        selection={selection}
        canMark={canMark}
        canCreate={canCreate}
        onBulk={setBulk}
        onExport={() => setExportOpen(true)}
        onCreate={onCreate}
      />
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
          selection.clear();
          reset();
        }}
      />
      <AccountsSearch
        q={q}
        busy={fetching}
        searchKind={searchKind}
        error={searchError}
        onArrowDown={() => focusFirstRow(scrollRef.current)}
      />
      {listError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {listError}
        </Alert>
      )}
      <AccountsTable
        rows={rows}
        access={access}
        query={query}
        onSort={q.setChosenSort}
        selection={canMark ? selection : null}
        busy={fetching}
        showEmpty={list.pages !== undefined && !fetching && !list.error}
        scrollRef={scrollRef}
        onOpen={onOpen}
        onScrolledTo={onScrolledTo}
      />
      <Group justify="space-between">
        {/* data-search: the search whose rows are shown (the timings spec waits for it). */}
        <Text
          size="xs"
          c="dimmed"
          data-testid="list-status"
          data-search={list.pages && !list.query.isPlaceholderData ? query.search : undefined}
        >
          {rows.length === 1 ? '1 account shown' : `${rows.length.toLocaleString()} accounts shown`}
          {hasMore ? ' · scroll down for more' : rows.length > 0 ? ' · end of list' : ''}
        </Text>
        {fetching && rows.length > 0 && (
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

/** From the search box to the list: the first row, scrolled to the top. */
function focusFirstRow(scroller: HTMLDivElement | null) {
  if (!scroller) return;
  void scroller.scrollTo({ top: 0 });
  requestAnimationFrame(() => scroller.querySelector<HTMLElement>('[aria-rowindex="2"]')?.focus());
}
