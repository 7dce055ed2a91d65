/**
 * The one QueryClient of the console. Every call to main goes through it (useChannel for reads,
 * useAction for writes), so retry and refetch rules are decided here once.
 */
import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api';

/**
 * Only a failure that may go away by itself is worth asking again: the backend unreachable or an
 * unexpected fault. A refusal (validation, role, conflict, not found, a locked or ended session)
 * gives the same answer the second time, so it is shown at once.
 */
export function isTransient(err: unknown): boolean {
  return !isApiError(err) || err.code === 'INTERNAL';
}

const MAX_RETRIES = 1;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, err) => failures < MAX_RETRIES && isTransient(err),
        retryDelay: 300,
        // A desktop window: focus and reconnect say nothing about the data's age. A screen reads
        // afresh when it opens (staleTime 0), as it did before the data layer.
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        staleTime: 0,
      },
      // A write is never repeated on its own: the person decides whether to try again.
      mutations: { retry: false },
    },
  });
}
