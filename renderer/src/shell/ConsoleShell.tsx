import { AppShell, useMantineColorScheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useChannel } from '../data';
import {
  NavigationContext,
  type AccountsRequest,
  type Navigation,
  type PickedAccount,
  type Section,
} from '../navigation';
import { CommandPalette } from '../palette/CommandPalette';
import { paletteCommands } from '../palette/paletteCommands';
import { ShortcutSheet } from '../palette/ShortcutSheet';
import { useConsoleKeys } from '../palette/useConsoleKeys';
import { useSession } from '../session';
import { navItemsFor } from './navItems';
import { SectionNav } from './SectionNav';
import { SectionViews } from './SectionViews';
import { ShellHeader } from './ShellHeader';
import { useSectionHistory } from './useSectionHistory';

export function ConsoleShell() {
  const { session, lock, signOut } = useSession();
  const { setColorScheme } = useMantineColorScheme();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const history = useSectionHistory('accounts');
  const { section, show, back, forward } = history;
  // A toast about the screen being left is stale on the next one (and would cover its footer).
  const setSection = useCallback(
    (next: Section) => {
      notifications.clean();
      show(next);
    },
    [show],
  );
  const [wizard, setWizard] = useState<{ key: number; accounts: PickedAccount[] }>({
    key: 0,
    accounts: [],
  });
  /** Raised when accounts were added elsewhere (an import): the accounts list reads again. */
  const [accountsGeneration, setAccountsGeneration] = useState(0);
  const [accountsRequest, setAccountsRequest] = useState<{ n: number; to: AccountsRequest }>();
  const items = navItemsFor(session.user.role, session.fieldAccess);

  // The badge is read when the user moves around (and after a write to the inbox), never on a
  // timer: a background poll would count as activity and keep the backend's own idle lock from
  // ever firing.
  const inbox = useChannel('disclosures.inbox', {});
  const { reload: refreshInbox } = inbox;
  useEffect(() => {
    refreshInbox();
  }, [refreshInbox, section]);
  const inboxCount = (inbox.data ?? []).filter(
    (r) => r.canDecide || (r.status === 'approved' && r.requesterId === session.user.id),
  ).length;

  const navigation = useMemo<Navigation>(
    () => ({
      go: setSection,
      disclose: (accounts) => {
        setWizard((w) => ({ key: w.key + 1, accounts }));
        setSection('disclose');
      },
      refreshInbox,
      showAccounts: () => {
        setAccountsGeneration((n) => n + 1);
        setSection('accounts');
      },
      accounts: (to) => {
        setAccountsRequest((r) => ({ n: (r?.n ?? 0) + 1, to }));
        setSection('accounts');
      },
    }),
    [refreshInbox, setSection],
  );
  useConsoleKeys({
    showList: () => navigation.accounts({ kind: 'list' }),
    showShortcuts: () => setShortcutsOpen(true),
    back: () => {
      notifications.clean();
      back();
    },
    forward: () => {
      notifications.clean();
      forward();
    },
  });
  const commands = paletteCommands({
    items,
    access: session.fieldAccess,
    navigation,
    lock,
    signOut: () => void signOut(),
    setScheme: setColorScheme,
    showShortcuts: () => setShortcutsOpen(true),
  });

  return (
    <NavigationContext.Provider value={navigation}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
        <ShellHeader />
        <SectionNav
          items={items}
          section={section}
          inboxCount={inboxCount}
          onSection={setSection}
        />
        <SectionViews
          section={section}
          allowed={(s) => items.some((i) => i.section === s)}
          wizard={wizard}
          accountsGeneration={accountsGeneration}
          accountsRequest={accountsRequest}
        />
      </AppShell>
      <CommandPalette commands={commands} />
      <ShortcutSheet opened={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </NavigationContext.Provider>
  );
}
