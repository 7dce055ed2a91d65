import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, Input, Output } from '../../../shared/contract';
import { call } from '../api';
import { channelKey } from './useChannel';

/**
 * A read asked for at a moment rather than shown (resolve a typed account number, poll a job):
 * it goes through the same cache, so a screen showing the same read sees the answer too. Throws
 * the ApiError; refusalMessage turns it into a sentence.
 */
export function useAsk(): <C extends Channel>(channel: C, input: Input<C>) => Promise<Output<C>> {
  const client = useQueryClient();
  return useCallback(
    <C extends Channel>(channel: C, input: Input<C>) =>
      client.fetchQuery({
        queryKey: channelKey(channel, input),
        queryFn: () => call(channel, input),
        staleTime: 0,
        retry: false,
      }),
    [client],
  );
}
