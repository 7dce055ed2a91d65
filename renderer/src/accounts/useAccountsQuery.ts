import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { SortKey } from '../../../shared/catalogue';
import { SEARCH_DEBOUNCE_MS } from '../../../shared/search';
import type { VisibleAccess } from '../../../shared/types';
import { canSortBy } from './columns';
import type { ExportQuery } from './ExportDialog';

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
