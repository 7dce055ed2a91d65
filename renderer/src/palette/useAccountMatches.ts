import { useDebouncedValue } from '@mantine/hooks';
import type { AccountRow } from '../../../shared/types';
import { useChannel } from '../data';

const LIMIT = 8;

/**
 * Accounts matching the palette's text, through the same search channel as the accounts list:
 * the backend decides what the role may search and see, and logs the search as the list's is.
 */
export function useAccountMatches(query: string): { rows: AccountRow[]; loading: boolean } {
  const [text] = useDebouncedValue(query.trim(), 200);
  const enabled = text.length >= 2;
  const read = useChannel(
    'accounts.list',
    { search: text, sort: 'match', direction: 'asc', limit: LIMIT },
    { enabled, keepPrevious: true },
  );
  return { rows: enabled ? (read.data?.rows ?? []) : [], loading: enabled && read.fetching };
}
