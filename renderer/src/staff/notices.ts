import { ROLE_LABELS } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';

/** The toast for a privileged role that waits for a second holder's approval. */
export function pendingNotice(m: StaffSummary) {
  const role = m.pendingGrant ? ROLE_LABELS[m.pendingGrant.role].toLowerCase() : 'new';
  return {
    color: 'yellow',
    title: 'Pending approval',
    message: `${m.displayName}'s ${role} role waits for another administrator or compliance officer to approve it under Approvals; until then the account does not hold it.`,
  };
}
