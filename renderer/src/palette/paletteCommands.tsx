import type { MantineColorScheme } from '@mantine/core';
import {
  IconDeviceDesktop,
  IconKeyboard,
  IconLock,
  IconLogout,
  IconMoon,
  IconSun,
  IconUserPlus,
  type Icon,
} from '@tabler/icons-react';
import type { VisibleAccess } from '../../../shared/types';
import { canEdit } from '../../../shared/visibility';
import type { Navigation } from '../navigation';
import type { NavItem } from '../shell/navItems';

export interface Command {
  id: string;
  label: string;
  group: 'Screens' | 'Actions';
  icon: Icon;
  /** Extra words it is found by. */
  keywords?: string;
  run(): void;
}

export interface CommandContext {
  items: readonly NavItem[];
  access: VisibleAccess;
  navigation: Navigation;
  lock(): void;
  signOut(): void;
  setScheme(scheme: MantineColorScheme): void;
  showShortcuts(): void;
}

/** The screens the role may open and the actions it may take, as palette entries. */
export function paletteCommands(c: CommandContext): Command[] {
  const screens: Command[] = c.items.map((item) => ({
    id: `go-${item.section}`,
    label: item.label,
    group: 'Screens',
    icon: item.icon,
    keywords: 'go open screen section',
    run: () =>
      item.section === 'accounts'
        ? c.navigation.accounts({ kind: 'list' })
        : c.navigation.go(item.section),
  }));
  const actions: Command[] = [];
  // The same rule as the list's New account button: the role must be able to write a name.
  if (canEdit(c.access.firstName ?? 'hidden') && canEdit(c.access.lastName ?? 'hidden')) {
    actions.push({
      id: 'new-account',
      label: 'New account',
      group: 'Actions',
      icon: IconUserPlus,
      keywords: 'create add customer',
      run: () => c.navigation.accounts({ kind: 'create' }),
    });
  }
  actions.push(
    { id: 'lock', label: 'Lock the console', group: 'Actions', icon: IconLock, run: c.lock },
    { id: 'sign-out', label: 'Sign out', group: 'Actions', icon: IconLogout, run: c.signOut },
    {
      id: 'shortcuts',
      label: 'Keyboard shortcuts',
      group: 'Actions',
      icon: IconKeyboard,
      keywords: 'help keys',
      run: c.showShortcuts,
    },
    ...(
      [
        ['light', 'Light colour scheme', IconSun],
        ['dark', 'Dark colour scheme', IconMoon],
        ['auto', 'Colour scheme as the system', IconDeviceDesktop],
      ] as const
    ).map(([scheme, label, icon]): Command => ({
      id: `scheme-${scheme}`,
      label,
      group: 'Actions',
      icon,
      keywords: 'theme appearance',
      run: () => c.setScheme(scheme),
    })),
  );
  return [...screens, ...actions];
}

/** Whether every word typed is in the command's label or keywords. */
export function matches(command: Command, query: string): boolean {
  const hay = `${command.label} ${command.keywords ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}
