import { createContext, useContext } from 'react';

export type Section =
  | 'accounts'
  | 'disclose'
  | 'approvals'
  | 'collections'
  | 'dashboard'
  | 'recipients'
  | 'disclosureLog'
  | 'accessLog'
  | 'staff'
  | 'accessMatrix'
  | 'import'
  | 'settings';

/** An account handed to the disclosure wizard from elsewhere (e.g. an open account). */
export interface PickedAccount {
  id: string;
  accountNumber: string;
  name: string;
  standing: string | null;
}

export interface Navigation {
  go(section: Section): void;
  /** Opens the disclosure wizard with these accounts already chosen. */
  disclose(accounts: PickedAccount[]): void;
  /** Re-reads the approvals badge count (after a request or a decision). */
  refreshInbox(): void;
  /** Opens the accounts list, read again from the start (e.g. after an import). */
  showAccounts(): void;
}

export const NavigationContext = createContext<Navigation>({
  go: () => undefined,
  disclose: () => undefined,
  refreshInbox: () => undefined,
  showAccounts: () => undefined,
});

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
