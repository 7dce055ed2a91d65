import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { LoggedPurpose } from '../../../shared/disclosure';
import { call } from '../api';
import { channelKey, refusalMessage } from '../data';

const PAGE = 100;

/**
 * The disclosure log a page at a time, newest first; more pages join below on request. Keyed
 * under 'disclosures.log', so a write that invalidates the log reads these pages again too.
 */
export function useLogPages(purpose: LoggedPurpose | null) {
  const input = { limit: PAGE, ...(purpose ? { purpose } : {}) };
  const query = useInfiniteQuery({
    queryKey: [...channelKey('disclosures.log', input), 'pages'],
    // 0 stands for "from the newest": cursors are positive record numbers.
    queryFn: ({ pageParam }) =>
      call('disclosures.log', { ...input, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor,
    // A new filter keeps the old list on screen until its own first page arrives.
    placeholderData: keepPreviousData,
  });
  const pages = query.data?.pages;
  return {
    records: pages ? pages.flatMap((p) => p.records) : null,
    more: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: () => void query.fetchNextPage(),
    error: query.isError ? refusalMessage(query.error, 'Could not read the log.') : null,
  };
}
