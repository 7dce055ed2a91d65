import {
  keepPreviousData,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, Input, Output } from '../../../shared/contract';
import { call } from '../api';
import { refusalMessage } from './errors';

export interface ChannelOptions {
  /** False to wait (e.g. until an id is chosen). */
  enabled?: boolean;
  /** Keep showing the previous answer while a new input (filter, page) loads. */
  keepPrevious?: boolean;
  /** Ask again every so many milliseconds while the screen is open. */
  refetchInterval?: number | false;
}

export interface ChannelRead<C extends Channel> {
  data: Output<C> | undefined;
  /** The backend's refusal as a sentence (null for a session problem: the app handles those). */
  error: string | null;
  /** True until the first answer for this input arrives. */
  loading: boolean;
  /** True while any request for it is in flight (also a background refresh). */
  fetching: boolean;
  reload(): void;
  /** Replaces the cached answer (after a write that returned the new value). */
  setData(next: Output<C>): void;
  query: UseQueryResult<Output<C>>;
}

export const channelKey = <C extends Channel>(channel: C, input: Input<C>) =>
  [channel, input] as const;

/** Reads one channel of main: cached by channel and input, refreshed when a write invalidates it. */
export function useChannel<C extends Channel>(
  channel: C,
  input: Input<C>,
  options: ChannelOptions = {},
): ChannelRead<C> {
  const client = useQueryClient();
  const queryKey = channelKey(channel, input);
  const query = useQuery<Output<C>>({
    queryKey,
    queryFn: () => call(channel, input),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? false,
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const keyText = JSON.stringify(queryKey);
  const setData = useCallback(
    (next: Output<C>) => client.setQueryData(JSON.parse(keyText) as unknown[], next),
    [client, keyText],
  );
  return {
    data: query.data,
    error: query.isError ? refusalMessage(query.error) : null,
    loading: query.isPending && query.fetchStatus !== 'idle',
    fetching: query.isFetching,
    reload,
    setData,
    query,
  };
}
