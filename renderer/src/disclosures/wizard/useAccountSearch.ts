import { useDebouncedValue } from '@mantine/hooks';
import { isApiError, isSessionProblem } from '../../api';
import { canSortBy } from '../../accounts/columns';
import { useChannel } from '../../data';
import { useSession } from '../../session';
import { toPicked } from './draft';

/** The search's own refusal (e.g. too short) under the search box; a session problem is the app's. */
function searchError(err: unknown): string | null {
  if (!err || isSessionProblem(err)) return null;
  return isApiError(err) ? (err.fieldErrors?.search ?? err.message) : 'Search failed.';
}

/** The first ten accounts matching what is typed, read a quarter second after typing stops. */
export function useAccountSearch(text: string) {
  const { session } = useSession();
  const [search] = useDebouncedValue(text.trim(), 250);
  const read = useChannel(
    'accounts.list',
    {
      search,
      sort: canSortBy('accountNumber', session.fieldAccess) ? 'accountNumber' : 'createdAt',
      direction: 'asc',
      limit: 10,
    },
    // The last results stay while the next ones load.
    { enabled: search !== '', keepPrevious: true },
  );
  const on = search !== '';
  return {
    search,
    results: on && read.data ? read.data.rows.map(toPicked) : [],
    loading: on && read.fetching,
    error: on ? searchError(read.query.error) : null,
  };
}
