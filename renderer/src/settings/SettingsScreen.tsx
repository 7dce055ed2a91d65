import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconDeviceFloppy } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { call, isApiError, isSessionProblem } from '../api';
import { useSession } from '../session';
import { DatabaseSettings } from './DatabaseSettings';

/** Administrator settings: the idle auto-lock delay and the access log's retention. */
export function SettingsScreen() {
  const { session, updateSession, appVersion, unlockCount } = useSession();
  const [minutes, setMinutes] = useState<number | string>('');
  const [days, setDays] = useState<number | string>('');
  const [saved, setSaved] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('settings.get', {})
      .then((s) => {
        if (!live) return;
        setMinutes(s.idleLockMinutes);
        setDays(s.accessLogRetentionDays);
        setSaved(s.idleLockMinutes);
      })
      .catch((err: unknown) => {
        if (live && !isSessionProblem(err)) {
          setMessage(isApiError(err) ? err.message : 'Could not load the settings.');
        }
      });
    return () => {
      live = false;
    };
  }, [unlockCount]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDaysError(null);
    setMessage(null);
    try {
      const next = await call('settings.update', {
        idleLockMinutes: typeof minutes === 'number' ? minutes : Number.NaN,
        accessLogRetentionDays: typeof days === 'number' ? days : Number.NaN,
      });
      setSaved(next.idleLockMinutes);
      setMinutes(next.idleLockMinutes);
      setDays(next.accessLogRetentionDays);
      updateSession({ ...session, idleLockMinutes: next.idleLockMinutes });
      notifications.show({
        color: 'teal',
        title: 'Settings saved',
        message: `The console now locks after ${next.idleLockMinutes} idle minute${next.idleLockMinutes === 1 ? '' : 's'}.`,
      });
    } catch (err) {
      if (isSessionProblem(err)) return;
      if (
        isApiError(err) &&
        (err.fieldErrors?.idleLockMinutes || err.fieldErrors?.accessLogRetentionDays)
      ) {
        setError(err.fieldErrors.idleLockMinutes ?? null);
        setDaysError(err.fieldErrors.accessLogRetentionDays ?? null);
      } else {
        setMessage(isApiError(err) ? err.message : 'Could not save the settings.');
      }
    } finally {
      setBusy(false);
    }
  }

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
        {message && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {message}
          </Alert>
        )}
        <Paper withBorder p="lg">
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <div>
                <Text fw={600}>Idle auto-lock</Text>
                <Text size="sm" c="dimmed">
                  When nobody touches the keyboard or mouse for this long, the console covers
                  customer information and asks for the staff member&apos;s password.
                </Text>
              </div>
              {saved === null && !message ? (
                <Skeleton h={60} w={260} />
              ) : (
                <NumberInput
                  label="Lock after (minutes idle)"
                  description="Between 1 and 120 minutes."
                  value={minutes}
                  onChange={(v) => {
                    setMinutes(v);
                    setError(null);
                  }}
                  error={error}
                  min={1}
                  max={120}
                  step={1}
                  allowDecimal={false}
                  allowNegative={false}
                  clampBehavior="none"
                  w={260}
                />
              )}
              <div>
                <Text fw={600}>Access log retention</Text>
                <Text size="sm" c="dimmed">
                  The access log records who viewed or searched which customer records. Entries
                  older than this are removed at start-up and when compliance prunes the log.
                </Text>
              </div>
              {saved === null && !message ? (
                <Skeleton h={60} w={260} />
              ) : (
                <NumberInput
                  label="Keep access log entries (days)"
                  description="Between 30 and 3650 days (10 years)."
                  value={days}
                  onChange={(v) => {
                    setDays(v);
                    setDaysError(null);
                  }}
                  error={daysError}
                  min={30}
                  max={3650}
                  step={1}
                  allowDecimal={false}
                  allowNegative={false}
                  clampBehavior="none"
                  w={260}
                />
              )}
              <Group>
                <Button
                  type="submit"
                  loading={busy}
                  disabled={saved === null}
                  leftSection={<IconDeviceFloppy size={16} />}
                >
                  Save settings
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
        <DatabaseSettings />
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
