import {
  AppShell,
  Badge,
  Button,
  Divider,
  Group,
  NavLink,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconBuildingBank,
  IconChartBar,
  IconChecklist,
  IconPackageExport,
  IconEye,
  IconFileImport,
  IconGridDots,
  IconListDetails,
  IconLock,
  IconLogout,
  IconSend,
  IconSettings,
  IconShieldLock,
  IconUserCog,
  IconUsers,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import type { VisibleAccess } from '../../../shared/types';
import { AccessLogScreen } from '../accesslog/AccessLogScreen';
import { CollectionsScreen } from '../collections/CollectionsScreen';
import { DashboardScreen } from '../collections/DashboardScreen';
import { seesBalancesAndStanding } from '../collections/common';
import { AccountsScreen } from '../accounts/AccountsScreen';
import { useChannel } from '../data';
import { ApprovalsScreen } from '../disclosures/ApprovalsScreen';
import { DisclosureLogScreen } from '../disclosures/DisclosureLogScreen';
import { DisclosureWizard } from '../disclosures/wizard/DisclosureWizard';
import { ImportScreen } from '../import/ImportScreen';
import { RecipientsScreen } from '../disclosures/RecipientsScreen';
import {
  NavigationContext,
  type Navigation,
  type PickedAccount,
  type Section,
} from '../navigation';
import { useSession } from '../session';
import { SettingsScreen } from '../settings/SettingsScreen';
import { StaffScreen } from '../staff/StaffScreen';
import { AccessMatrixScreen } from '../visibility/AccessMatrixScreen';

interface NavItem {
  section: Section;
  label: string;
  icon: ReactNode;
  roles?: readonly Role[];
  /** Shown only when the role may read these (e.g. balances and standing for the dashboard). */
  needs?: (access: VisibleAccess) => boolean;
  group: 'work' | 'oversight' | 'admin';
}

const OVERSIGHT: readonly Role[] = ['compliance_officer', 'administrator'];

const NAV: readonly NavItem[] = [
  { section: 'accounts', label: 'Accounts', icon: <IconUsers size={18} />, group: 'work' },
  { section: 'disclose', label: 'Disclose', icon: <IconSend size={18} />, group: 'work' },
  { section: 'approvals', label: 'Approvals', icon: <IconChecklist size={18} />, group: 'work' },
  {
    section: 'collections',
    label: 'Collections',
    icon: <IconPackageExport size={18} />,
    needs: seesBalancesAndStanding,
    group: 'work',
  },
  {
    section: 'dashboard',
    label: 'Dashboard',
    icon: <IconChartBar size={18} />,
    needs: seesBalancesAndStanding,
    group: 'work',
  },
  {
    section: 'recipients',
    label: 'Recipients',
    icon: <IconBuildingBank size={18} />,
    roles: OVERSIGHT,
    group: 'oversight',
  },
  {
    section: 'disclosureLog',
    label: 'Disclosure log',
    icon: <IconListDetails size={18} />,
    roles: OVERSIGHT,
    group: 'oversight',
  },
  {
    section: 'accessLog',
    label: 'Access log',
    icon: <IconEye size={18} />,
    roles: ['compliance_officer'],
    group: 'oversight',
  },
  {
    section: 'accessMatrix',
    label: 'Access matrix',
    icon: <IconGridDots size={18} />,
    roles: OVERSIGHT,
    group: 'oversight',
  },
  {
    section: 'staff',
    label: 'Staff',
    icon: <IconUserCog size={18} />,
    roles: ['administrator'],
    group: 'admin',
  },
  {
    section: 'import',
    label: 'Import',
    icon: <IconFileImport size={18} />,
    // main refuses everyone else too: bulk creation of accounts is an administrator's act.
    roles: ['administrator'],
    group: 'admin',
  },
  {
    section: 'settings',
    label: 'Settings',
    icon: <IconSettings size={18} />,
    roles: ['administrator'],
    group: 'admin',
  },
];

const GROUP_LABELS: Record<NavItem['group'], string | null> = {
  work: null,
  oversight: 'Oversight',
  admin: 'Administration',
};

export function ConsoleShell() {
  const { session, appVersion, lock, signOut } = useSession();
  const role = session.user.role;
  const [section, setSectionState] = useState<Section>('accounts');
  // A toast about the screen being left is stale on the next one (and would cover its footer).
  const setSection = useCallback((next: Section) => {
    notifications.clean();
    setSectionState(next);
  }, []);
  const [wizard, setWizard] = useState<{ key: number; accounts: PickedAccount[] }>({
    key: 0,
    accounts: [],
  });
  /** Raised when accounts were added elsewhere (an import): the accounts list reads again. */
  const [accountsGeneration, setAccountsGeneration] = useState(0);
  const items = NAV.filter(
    (n) => (!n.roles || n.roles.includes(role)) && (!n.needs || n.needs(session.fieldAccess)),
  );

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
    }),
    [refreshInbox, setSection],
  );

  const allowed = (s: Section) => items.some((i) => i.section === s);

  return (
    <NavigationContext.Provider value={navigation}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <ThemeIcon size={32} radius="md" color="indigo">
                <IconShieldLock size={20} />
              </ThemeIcon>
              <Text fw={700} fz="lg">
                Custodian
              </Text>
              <Text c="dimmed" fz="sm" visibleFrom="sm">
                Customer accounts
              </Text>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Stack gap={0} align="flex-end">
                <Text fz="sm" fw={600} data-testid="signed-in-user">
                  {session.user.displayName}
                </Text>
                <Text fz="xs" c="dimmed">
                  @{session.user.username}
                </Text>
              </Stack>
              <Badge variant="light" color="indigo" size="lg" radius="sm">
                {ROLE_LABELS[role]}
              </Badge>
              <Tooltip label="Hide the console until you enter your password">
                <Button
                  variant="default"
                  leftSection={<IconLock size={16} />}
                  onClick={lock}
                  size="sm"
                >
                  Lock
                </Button>
              </Tooltip>
              <Button
                variant="subtle"
                color="gray"
                leftSection={<IconLogout size={16} />}
                onClick={() => void signOut()}
                size="sm"
              >
                Sign out
              </Button>
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm">
          <AppShell.Section grow component="nav" aria-label="Sections">
            {(['work', 'oversight', 'admin'] as const).map((group) => {
              const groupItems = items.filter((i) => i.group === group);
              if (groupItems.length === 0) return null;
              const heading = GROUP_LABELS[group];
              return (
                <div key={group}>
                  {heading && (
                    <Divider
                      my={8}
                      label={heading}
                      labelPosition="left"
                      styles={{ label: { fontSize: 11, textTransform: 'uppercase' } }}
                    />
                  )}
                  {groupItems.map((item) => (
                    <NavLink
                      key={item.section}
                      component="button"
                      label={item.label}
                      leftSection={item.icon}
                      rightSection={
                        item.section === 'approvals' && inboxCount > 0 ? (
                          <Badge
                            size="sm"
                            color="red"
                            circle
                            aria-label={`${inboxCount} waiting`}
                            data-testid="inbox-badge"
                          >
                            {inboxCount}
                          </Badge>
                        ) : null
                      }
                      active={section === item.section}
                      onClick={() => setSection(item.section)}
                      aria-current={section === item.section ? 'page' : undefined}
                    />
                  ))}
                </div>
              );
            })}
          </AppShell.Section>
          <AppShell.Section>
            <Text fz="xs" c="dimmed" px="sm">
              Custodian {appVersion}
            </Text>
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main className="console-main">
          {/* Accounts and the wizard stay mounted so that switching back keeps the user's place. */}
          <div className={section === 'accounts' ? 'section-fill' : 'section-fill parked'}>
            <AccountsScreen generation={accountsGeneration} />
          </div>
          <div className={section === 'disclose' ? 'section-fill' : 'section-fill parked'}>
            <DisclosureWizard
              key={wizard.key}
              initialAccounts={wizard.accounts}
              active={section === 'disclose'}
            />
          </div>
          {section === 'approvals' && <ApprovalsScreen />}
          {section === 'collections' && allowed('collections') && <CollectionsScreen />}
          {section === 'dashboard' && allowed('dashboard') && <DashboardScreen />}
          {section === 'recipients' && allowed('recipients') && <RecipientsScreen />}
          {section === 'disclosureLog' && allowed('disclosureLog') && <DisclosureLogScreen />}
          {section === 'accessLog' && allowed('accessLog') && <AccessLogScreen />}
          {section === 'accessMatrix' && allowed('accessMatrix') && <AccessMatrixScreen />}
          {section === 'staff' && allowed('staff') && <StaffScreen />}
          {/* Parked, not unmounted, so that an import's progress and result outlive a look elsewhere. */}
          {allowed('import') && (
            <div className={section === 'import' ? 'section-fill' : 'section-fill parked'}>
              <ImportScreen />
            </div>
          )}
          {section === 'settings' && allowed('settings') && <SettingsScreen />}
        </AppShell.Main>
      </AppShell>
    </NavigationContext.Provider>
  );
}
