import { Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The centred card every pre-console screen (first run, sign-in, password change) uses. */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="auth-page">
      <Stack w={440} maw="100%" gap="lg">
        <Group gap="sm" justify="center">
          <ThemeIcon size={40} radius="md" variant="white" color="indigo">
            <IconShieldLock size={24} />
          </ThemeIcon>
          <Text c="white" fw={700} fz={26} lh={1}>
            Custodian
          </Text>
        </Group>
        <Paper component="main" p="xl" radius="md" shadow="lg" withBorder>
          <Stack gap="md">
            <div>
              <Title order={2} fz="h3">
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" size="sm" mt={4}>
                  {subtitle}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
        {footer && (
          <Text c="indigo.1" size="xs" ta="center">
            {footer}
          </Text>
        )}
      </Stack>
    </div>
  );
}
