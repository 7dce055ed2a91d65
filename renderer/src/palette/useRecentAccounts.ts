import type { AccountRow } from '../../../shared/types';
import { useChannel } from '../data';

/**
 * The accounts the signed-in staff member opened most recently, as their role sees them: the
 * backend derives them from that person's own access-log views. Read each time the palette opens
 * with nothing typed (staleTime 0), so an account opened a moment ago is already there.
 */
export function useRecentAccounts(wanted: boolean): AccountRow[] {
  const read = useChannel('accounts.recent', {}, { enabled: wanted });
  return wanted ? (read.data ?? []) : [];
}
