import {
  keepPreviousData,
  useInfiniteQuery,
  useQueryClient,
  type InfiniteData,
  type UseInfiniteQueryResult,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, Input, Output } from '../../../shared/contract';
import { call, isApiError, isSessionProblem, type ApiError } from '../api';
import { refusalMessage } from './errors';

type Cursor = string | number;

export interface ChannelPages<C extends Channel> {
  /** The pages read so far, in order. */
  pages: Output<C>[] | undefined;
  /** The backend's refusal as a sentence (null for a session problem). */
  error: string | null;
  /** The refusal itself, for a screen that places its field errors. */
  refusal: ApiError | null;
  loading: boolean;
  fetching: boolean;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Back to the first page only (e.g. after an account is added). */
  reset(): void;
  /** Patches the pages read so far in place (a row saved elsewhere), without asking again. */
  updatePages(patch: (page: Output<C>) => Output<C>): void;
  query: UseInfiniteQueryResult<InfiniteData<Output<C>, Cursor | null>>;
}

/**
 * Reads a cursor-paged channel (access log, accounts list, disclosure log): the first page for
 * the input, then the next on loadMore. A new input (filter, search, sort) starts again; the
 * previous pages stay on screen until its first page arrives.
 */
export function useChannelPages<C extends Channel>(
  channel: C,
  input: Input<C>,
  nextCursor: (page: Output<C>) => Cursor | null,
): ChannelPages<C> {
  const client = useQueryClient();
  const queryKey = [channel, input, 'pages'] as const;
  const query = useInfiniteQuery<
    Output<C>,
    Error,
    InfiniteData<Output<C>, Cursor | null>,
    readonly unknown[],
    Cursor | null
  >({
    queryKey,
    queryFn: ({ pageParam }) =>
      // The channel's input has an optional cursor: the first page is asked without one.
      call(channel, (pageParam === null ? input : { ...input, cursor: pageParam }) as Input<C>),
    initialPageParam: null,
    getNextPageParam: (last) => nextCursor(last),
    placeholderData: keepPreviousData,
    // Pages already read keep their objects when the next arrives (the infinite query appends),
    // so comparing every row read so far with itself, page after page, only costs time.
    structuralSharing: false,
  });
  const { refetch, fetchNextPage } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const keyText = JSON.stringify(queryKey);
  const reset = useCallback(
    () => void client.resetQueries({ queryKey: JSON.parse(keyText) as unknown[], exact: true }),
    [client, keyText],
  );
  const updatePages = useCallback(
    (patch: (page: Output<C>) => Output<C>) =>
      client.setQueriesData<InfiniteData<Output<C>, Cursor | null>>(
        { queryKey: [channel], predicate: (q) => q.queryKey[2] === 'pages' },
        (data) => data && { ...data, pages: data.pages.map(patch) },
      ),
    [client, channel],
  );
  const err = query.error;
  return {
    pages: query.data?.pages,
    error: query.isError ? refusalMessage(err) : null,
    refusal: isApiError(err) && !isSessionProblem(err) ? err : null,
    loading: query.isPending && query.fetchStatus !== 'idle',
    fetching: query.isFetching,
    hasMore: query.hasNextPage,
    loadMore,
    reload,
    reset,
    updatePages,
    query,
  };
}
