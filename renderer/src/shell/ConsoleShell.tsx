import {
  AppShell,
  Badge,
  Button,
  Group,
  NavLink,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { IconLock, IconLogout, IconSettings, IconShieldLock, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../shared/roles';
import { AccountsScreen } from '../accounts/AccountsScreen';
import { useSession } from '../session';
import { SettingsScreen } from '../settings/SettingsScreen';

type Section = 'accounts' | 'settings';

export function ConsoleShell() {
  const { session, appVersion, lock, signOut } = useSession();
  const [section, setSection] = useState<Section>('accounts');
  const isAdmin = session.user.role === 'administrator';

  return (
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
              {ROLE_LABELS[session.user.role]}
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
          <NavLink
            component="button"
            label="Accounts"
            leftSection={<IconUsers size={18} />}
            active={section === 'accounts'}
            onClick={() => setSection('accounts')}
            aria-current={section === 'accounts' ? 'page' : undefined}
          />
          {isAdmin && (
            <NavLink
              component="button"
              label="Settings"
              leftSection={<IconSettings size={18} />}
              active={section === 'settings'}
              onClick={() => setSection('settings')}
              aria-current={section === 'settings' ? 'page' : undefined}
            />
          )}
        </AppShell.Section>
        <AppShell.Section>
          <Text fz="xs" c="dimmed" px="sm">
            Custodian {appVersion}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className="console-main">
        {/* Sections stay mounted so that switching back keeps the user's place. */}
        <div className={section === 'accounts' ? 'section-fill' : 'section-fill parked'}>
          <AccountsScreen />
        </div>
        {isAdmin && section === 'settings' && <SettingsScreen />}
      </AppShell.Main>
    </AppShell>
  );
}
