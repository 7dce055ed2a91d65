import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { call, isApiError, isSessionProblem } from '../../api';
import { canSortBy } from '../../accounts/columns';
import type { PickedAccount } from '../../navigation';
import { useSession } from '../../session';
import { toPicked } from './draft';

/** The first ten accounts matching what is typed, read a quarter second after typing stops. */
export function useAccountSearch(text: string) {
  const { session } = useSession();
  const [search] = useDebouncedValue(text.trim(), 250);
  const [results, setResults] = useState<PickedAccount[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!search) {
      setResults([]);
      setError(null);
      return;
    }
    let live = true;
    setLoading(true);
    call('accounts.list', {
      search,
      sort: canSortBy('accountNumber', session.fieldAccess) ? 'accountNumber' : 'createdAt',
      direction: 'asc',
      limit: 10,
    })
      .then((page) => {
        if (!live) return;
        setResults(page.rows.map(toPicked));
        setError(null);
      })
      .catch((err: unknown) => {
        if (!live || isSessionProblem(err)) return;
        setResults([]);
        setError(isApiError(err) ? (err.fieldErrors?.search ?? err.message) : 'Search failed.');
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [search, session.fieldAccess]);

  return { search, results, loading, error };
}
