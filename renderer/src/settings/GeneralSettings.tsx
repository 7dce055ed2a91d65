import { Alert, Button, Group, NumberInput, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconDeviceFloppy } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { useSession } from '../session';

/** The settings of every workstation: the idle auto-lock delay and the access log's retention. */
export function GeneralSettings() {
  const settings = useChannel('settings.get', {});
  return (
    <SettingsForm
      key={settings.data ? 'loaded' : 'loading'}
      initial={settings.data}
      loadError={settings.error}
    />
  );
}

function SettingsForm({
  initial,
  loadError,
}: {
  initial: Settings | undefined;
  loadError: string | null;
}) {
  const { session, updateSession } = useSession();
  const [minutes, setMinutes] = useState<number | string>(initial?.idleLockMinutes ?? '');
  const [days, setDays] = useState<number | string>(initial?.accessLogRetentionDays ?? '');
  const save = useAction('settings.update', {
    fields: ['idleLockMinutes', 'accessLogRetentionDays'],
  });
  const [edited, setEdited] = useState<Record<string, boolean>>({});
  const fieldError = (key: string) => (edited[key] ? null : (save.fieldErrors[key] ?? null));
  const message = loadError ?? save.unplaced;
  const loading = !initial && !message;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setEdited({});
    const next = await save.run({
      idleLockMinutes: typeof minutes === 'number' ? minutes : Number.NaN,
      accessLogRetentionDays: typeof days === 'number' ? days : Number.NaN,
    });
    if (!next) return;
    setMinutes(next.idleLockMinutes);
    setDays(next.accessLogRetentionDays);
    updateSession({ ...session, idleLockMinutes: next.idleLockMinutes });
    notifications.show({
      color: 'teal',
      title: 'Settings saved',
      message: `The console now locks after ${next.idleLockMinutes} idle minute${next.idleLockMinutes === 1 ? '' : 's'}.`,
    });
  }

  return (
    <>
      {message && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {message}
        </Alert>
      )}
      <Paper withBorder p="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <SettingNumber
              heading="Idle auto-lock"
              explanation="When nobody touches the keyboard or mouse for this long, the console covers customer information and asks for the staff member's password."
              loading={loading}
              input={{
                label: 'Lock after (minutes idle)',
                description: 'Between 1 and 120 minutes.',
              }}
              range={[1, 120]}
              value={minutes}
              onChange={(v) => {
                setMinutes(v);
                setEdited((x) => ({ ...x, idleLockMinutes: true }));
              }}
              error={fieldError('idleLockMinutes')}
            />
            <SettingNumber
              heading="Access log retention"
              explanation="The access log records who viewed or searched which customer records. Entries older than this are removed at start-up and when compliance prunes the log."
              loading={loading}
              input={{
                label: 'Keep access log entries (days)',
                description: 'Between 30 and 3650 days (10 years).',
              }}
              range={[30, 3650]}
              value={days}
              onChange={(v) => {
                setDays(v);
                setEdited((x) => ({ ...x, accessLogRetentionDays: true }));
              }}
              error={fieldError('accessLogRetentionDays')}
            />
            <Group>
              <Button
                type="submit"
                loading={save.busy}
                disabled={!initial}
                leftSection={<IconDeviceFloppy size={16} />}
              >
                Save settings
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}

/** One whole-number setting: what it does, then its input (a placeholder while loading). */
function SettingNumber({
  heading,
  explanation,
  loading,
  input,
  range: [min, max],
  value,
  onChange,
  error,
}: {
  heading: string;
  explanation: string;
  loading: boolean;
  input: { label: string; description: string };
  range: [number, number];
  value: number | string;
  onChange(value: number | string): void;
  error: string | null;
}) {
  return (
    <>
      <div>
        <Text fw={600}>{heading}</Text>
        <Text size="sm" c="dimmed">
          {explanation}
        </Text>
      </div>
      {loading ? (
        <Skeleton h={60} w={260} />
      ) : (
        <NumberInput
          {...input}
          {...{ value, onChange, error, min, max }}
          step={1}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          w={260}
        />
      )}
    </>
  );
}
