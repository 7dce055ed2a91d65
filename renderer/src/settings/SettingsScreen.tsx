import { Paper, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../session';
import { useWorkstation } from '../workstation/context';
import { AppearanceSettings } from './AppearanceSettings';
import { BackupSettings } from './BackupSettings';
import { EnrolmentSettings } from './EnrolmentSettings';
import { TeamServerSettings } from './TeamServerSettings';
import { GeneralSettings } from './GeneralSettings';

/** Administrator settings: the idle auto-lock delay, the access log's retention, the database. */
export function SettingsScreen() {
  const { session, appVersion } = useSession();
  const workstation = useWorkstation();
  return (
    <div className="section-scroll">
      <Stack gap="md" maw={720}>
        <div>
          <Title order={2} fz="h3">
            Settings
          </Title>
          <Text size="sm" c="dimmed">
            These settings apply to every workstation that uses this database.
          </Text>
        </div>
        <GeneralSettings />
        <TeamServerSettings />
        {workstation.status.mode === 'team' && <EnrolmentSettings />}
        <AppearanceSettings />
        {/* A team's database is backed up where it lives, by the server's operator. */}
        {workstation.status.mode === 'embedded' && <BackupSettings />}
        <Paper withBorder p="lg">
          <Text fw={600}>About</Text>
          <Text size="sm" c="dimmed">
            Custodian {appVersion}. Signed in as {session.user.displayName} (@
            {session.user.username}).
          </Text>
        </Paper>
      </Stack>
    </div>
  );
}
