import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Skeleton,
  Stack,
  Text,
  type NumberInputProps,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconDeviceFloppy } from '@tabler/icons-react';

import type { Settings } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { useSession } from '../session';

const SETTING_KEYS = ['idleLockMinutes', 'accessLogRetentionDays', 'replicaLeaseHours'] as const;
type SettingKey = (typeof SETTING_KEYS)[number];

interface SettingSpec {
  heading: string;
  explanation: string;
  label: string;
  description: string;
  range: [number, number];
}

/** What each setting does, in the order shown. */
const SPECS: Record<SettingKey, SettingSpec> = {
  idleLockMinutes: {
    heading: 'Idle auto-lock',
    explanation:
      "When nobody touches the keyboard or mouse for this long, the console covers customer information and asks for the staff member's password.",
    label: 'Lock after (minutes idle)',
    description: 'Between 1 and 120 minutes.',
    range: [1, 120],
  },
  accessLogRetentionDays: {
    heading: 'Access log retention',
    explanation:
      'The access log records who viewed or searched which customer records. Entries older than this are removed at start-up and when compliance prunes the log.',
    label: 'Keep access log entries (days)',
    description: 'Between 30 and 3650 days (10 years).',
    range: [30, 3650],
  },
  replicaLeaseHours: {
    heading: 'Offline copy lease (team workstations)',
    explanation:
      'A team workstation keeps a copy of what each staff member may see, to work while the team server cannot be reached. A copy that has not reached the server for longer than this stops opening until it does.',
    label: 'Offline copies open for (hours without the server)',
    description: 'Between 1 and 720 hours (30 days).',
    range: [1, 720],
  },
};

const valuesOf = (s: Settings | undefined) =>
  Object.fromEntries(SETTING_KEYS.map((k) => [k, s?.[k] ?? ''])) as Record<
    SettingKey,
    number | string
  >;

/**
 * The settings of every workstation: the idle auto-lock delay, the access log's retention and
 * the lease of team workstations' offline copies.
 */
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
  const form = useForm<Record<SettingKey, number | string>>({
    mode: 'controlled',
    initialValues: valuesOf(initial),
  });
  const save = useAction('settings.update', { fields: [...SETTING_KEYS] });
  // A refusal's error stays under a field until that field is edited again.
  const field = (key: SettingKey) => ({
    ...form.getInputProps(key),
    error: form.isTouched(key) ? null : (save.fieldErrors[key] ?? null),
  });
  const message = loadError ?? save.unplaced;
  const loading = !initial && !message;

  async function submit(values: typeof form.values) {
    form.resetTouched();
    const asNumber = (v: number | string) => (typeof v === 'number' ? v : Number.NaN);
    const next = await save.run(
      Object.fromEntries(SETTING_KEYS.map((k) => [k, asNumber(values[k])])) as Record<
        SettingKey,
        number
      >,
    );
    if (!next) return;
    form.setValues(valuesOf(next));
    form.resetTouched();
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
        <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
          <Stack gap="md">
            {SETTING_KEYS.map((key) => (
              <SettingNumber key={key} spec={SPECS[key]} loading={loading} field={field(key)} />
            ))}
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
  spec,
  loading,
  field,
}: {
  spec: SettingSpec;
  loading: boolean;
  /** Value, onChange and error of the form's field. */
  field: NumberInputProps;
}) {
  return (
    <>
      <div>
        <Text fw={600}>{spec.heading}</Text>
        <Text size="sm" c="dimmed">
          {spec.explanation}
        </Text>
      </div>
      {loading ? (
        <Skeleton h={60} w={260} />
      ) : (
        <NumberInput
          label={spec.label}
          description={spec.description}
          {...field}
          min={spec.range[0]}
          max={spec.range[1]}
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
