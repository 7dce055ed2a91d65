import { AppShell, Badge, Button, Group, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconLock, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { ROLE_LABELS } from '../../../shared/roles';
import { useSession } from '../session';
import { SchemeMenu } from './SchemeMenu';
import { ServerLink } from './ServerLink';

/** The bar on top: the product, who is signed in with which role, Lock and Sign out. */
export function ShellHeader() {
  const { session, lock, signOut } = useSession();
  return (
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
          <ServerLink />
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
          <SchemeMenu />
          <Tooltip label="Hide the console until you enter your password">
            <Button variant="default" leftSection={<IconLock size={16} />} onClick={lock} size="sm">
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
  );
}
