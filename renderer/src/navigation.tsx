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

/** What the accounts section is asked to show from elsewhere (the palette, a shortcut). */
export type AccountsRequest = { kind: 'list' } | { kind: 'create' } | { kind: 'open'; id: string };

export interface Navigation {
  go(section: Section): void;
  /** Opens the disclosure wizard with these accounts already chosen. */
  disclose(accounts: PickedAccount[]): void;
  /** Re-reads the approvals badge count (after a request or a decision). */
  refreshInbox(): void;
  /** Opens the accounts list, read again from the start (e.g. after an import). */
  showAccounts(): void;
  /** The accounts section showing its list, a new account's form, or one account. */
  accounts(request: AccountsRequest): void;
}

export const NavigationContext = createContext<Navigation>({
  go: () => undefined,
  disclose: () => undefined,
  refreshInbox: () => undefined,
  showAccounts: () => undefined,
  accounts: () => undefined,
});

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
