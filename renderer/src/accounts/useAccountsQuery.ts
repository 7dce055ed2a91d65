import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { SortKey } from '../../../shared/catalogue';
import type { VisibleAccess } from '../../../shared/types';
import { canSortBy } from './columns';
import type { ExportQuery } from './ExportDialog';

/**
 * The pause after a key before the search runs. Every search that shows results is logged as an
 * access (P3), so a search per key is too many; a typist's keys come 80 ms or more apart, so
 * 100 ms still makes one search per word typed at speed, and a pause shows results at once
 * (within the 150 ms of issue 17 with the query's own time).
 */
export const SEARCH_DEBOUNCE_MS = 100;

export type ChosenSort = { key: SortKey; direction: 'asc' | 'desc' } | null;

/**
 * The accounts list's search and sort. A column the user chose to sort by wins; until then a
 * search lists its best matches first (the order its index gives, so the first page is as
 * quick as any) and the plain list is by name.
 */
export function useAccountsQuery(fieldAccess: VisibleAccess) {
  const [searchText, setSearchText] = useState('');
  const [debouncedSearch] = useDebouncedValue(searchText.trim(), SEARCH_DEBOUNCE_MS);
  const [chosenSort, setChosenSort] = useState<ChosenSort>(null);
  const sort = useMemo(
    () =>
      chosenSort ??
      (debouncedSearch
        ? { key: 'match' as const, direction: 'asc' as const }
        : {
            key: canSortBy('name', fieldAccess) ? ('name' as const) : ('createdAt' as const),
            direction: 'asc' as const,
          }),
    [chosenSort, debouncedSearch, fieldAccess],
  );
  const query: ExportQuery = useMemo(
    () => ({ search: debouncedSearch, sort: sort.key, direction: sort.direction }),
    [debouncedSearch, sort],
  );
  return {
    searchText,
    setSearchText,
    searchPending: searchText.trim() !== debouncedSearch,
    chosenSort,
    setChosenSort,
    query,
  };
}
