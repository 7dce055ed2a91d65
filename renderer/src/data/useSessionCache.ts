import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * The session's side of the data layer, used once by the App. While the console is open the
 * cache lives on (a lock only covers the screen); after an unlock every read is asked again, so
 * what the lock refused loads now. When no one is signed in the cache is emptied, so the next
 * person never sees, even for a moment, what the last one's role showed.
 */
export function useSessionCache(signedIn: boolean, unlockCount: number): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!signedIn) client.clear();
  }, [client, signedIn]);
  useEffect(() => {
    if (unlockCount > 0) void client.invalidateQueries();
  }, [client, unlockCount]);
}
