import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconDatabase,
  IconDeviceFloppy,
  IconPlugConnected,
} from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { ConnectionView, TeamConnectionInput } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { ErrorAlert } from '../ui';

type Tls = 'disable' | 'require' | 'verify-full';

const TLS_OPTIONS: { value: Tls; label: string; help: string }[] = [
  {
    value: 'verify-full',
    label: 'Encrypt and verify the server (recommended)',
    help: 'The connection is encrypted and the server must prove it is the one named above with a certificate this computer trusts.',
  },
  {
    value: 'require',
    label: 'Encrypt, do not verify the server',
    help: 'The connection is encrypted but the server is not checked: use only on a network you trust.',
  },
  {
    value: 'disable',
    label: 'No encryption',
    help: 'Customer data crosses the network in the clear: only for a server on this computer or a closed private network.',
  },
];

const FIELDS = ['host', 'port', 'database', 'user', 'password', 'tls'] as const;

/**
 * Which database this workstation opens: its own local file (the default, works offline) or the
 * team's PostgreSQL server. Administrators only; a change applies at the next start.
 */
export function DatabaseSettings() {
  const view = useChannel('connection.get', {});
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="database-heading">
      <Stack gap="md">
        <Group gap="xs">
          <IconDatabase size={18} />
          <Text fw={600} id="database-heading">
            Database
          </Text>
        </Group>
        <Text size="sm" c="dimmed" mt={-10}>
          Where this workstation keeps customer accounts. This setting belongs to this workstation
          only, and a change takes effect the next time Custodian starts.
        </Text>
        <ErrorAlert>{view.error}</ErrorAlert>
        {!view.data ? !view.error && <Skeleton h={120} /> : <ConnectionForm initial={view.data} />}
      </Stack>
    </Paper>
  );
}

function ConnectionForm({ initial }: { initial: ConnectionView }) {
  const [mode, setMode] = useState<'sqlite' | 'pg'>(initial.mode);
  const [host, setHost] = useState(initial.host ?? '');
  const [port, setPort] = useState<number | string>(initial.port ?? 5432);
  const [database, setDatabase] = useState(initial.database ?? 'custodian');
  const [user, setUser] = useState(initial.user ?? '');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<Tls>(initial.tls ?? 'verify-full');
  const [tested, setTested] = useState<{ ok: boolean; message: string; form: string } | null>(null);
  const [saved, setSaved] = useState<{ view: ConnectionView; form: string } | null>(null);
  // Test and save answer about the same fields: the last of the two that ran is shown.
  const [last, setLast] = useState<'test' | 'save'>('save');
  const testAction = useAction('connection.test', { fields: FIELDS });
  const saveAction = useAction('connection.save', { fields: FIELDS });
  const shown = last === 'test' ? testAction : saveAction;
  const errors = shown.fieldErrors;
  const message = shown.unplaced;
  const busy = testAction.busy ? 'test' : saveAction.busy ? 'save' : null;

  // A test result or a saved notice describes the form as it was: hidden once it changes.
  const settingsNow = JSON.stringify([mode, host, port, database, user, tls]);
  const formNow = JSON.stringify([settingsNow, password]);
  const test = tested && tested.form === formNow ? tested : null;
  const savedView = saved && saved.form === settingsNow && password === '' ? saved.view : null;

  function input(): TeamConnectionInput {
    if (mode === 'sqlite') return { mode: 'sqlite' };
    return {
      mode: 'pg',
      host: host.trim(),
      port: typeof port === 'number' ? port : Number.NaN,
      database: database.trim(),
      user: user.trim(),
      tls,
      ...(password ? { password } : {}),
    };
  }

  async function runTest() {
    setLast('test');
    saveAction.reset();
    const result = await testAction.run(input());
    if (result) setTested({ ...result, form: formNow });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setLast('save');
    testAction.reset();
    const next = await saveAction.run(input());
    if (!next) return;
    setPassword('');
    setSaved({ view: next, form: settingsNow });
  }

  const tlsHelp = TLS_OPTIONS.find((o) => o.value === tls)!.help;
  return (
    <form onSubmit={save} noValidate aria-label="Database connection">
      <Stack gap="md">
        <ErrorAlert>{message}</ErrorAlert>
        <Radio.Group
          label="Connect to"
          value={mode}
          onChange={(v) => setMode(v as 'sqlite' | 'pg')}
        >
          <Stack gap="xs" mt={6}>
            <Radio
              value="sqlite"
              label="Local database on this workstation (default)"
              description="One file in this computer's user-data folder. Works offline; nobody else sees it."
            />
            <Radio
              value="pg"
              label="Team server (PostgreSQL)"
              description="Every workstation of the team opens the same database on one PostgreSQL server."
            />
          </Stack>
        </Radio.Group>

        {mode === 'pg' && (
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label="Server host"
                description="Name or IP address."
                placeholder="db.example.internal"
                value={host}
                onChange={(e) => setHost(e.currentTarget.value)}
                error={errors.host}
                autoComplete="off"
                spellCheck={false}
                maxLength={253}
              />
              <NumberInput
                label="Port"
                description="Usually 5432."
                value={port}
                onChange={setPort}
                error={errors.port}
                min={1}
                max={65535}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
              />
              <TextInput
                label="Database name"
                description="As created on the server."
                value={database}
                onChange={(e) => setDatabase(e.currentTarget.value)}
                error={errors.database}
                autoComplete="off"
                spellCheck={false}
                maxLength={63}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label="User"
                description="The login Custodian connects as."
                value={user}
                onChange={(e) => setUser(e.currentTarget.value)}
                error={errors.user}
                autoComplete="off"
                spellCheck={false}
                maxLength={63}
              />
              <PasswordInput
                label="Password"
                description={
                  initial.hasPassword
                    ? 'A password is stored. Leave empty to keep it.'
                    : initial.keychain
                      ? 'Sealed by the OS keychain; never shown again.'
                      : 'Only for the test: it cannot be stored here.'
                }
                placeholder={initial.hasPassword ? '•••••••• (stored)' : undefined}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={errors.password}
                autoComplete="new-password"
              />
            </SimpleGrid>
            {!initial.keychain && (
              <Alert
                color="yellow"
                icon={<IconAlertTriangle size={18} />}
                title="No keychain on this computer"
                data-testid="no-keychain"
              >
                This computer has no operating system keychain for Custodian to keep a password in,
                so a password is never saved. Use a server that accepts this workstation without a
                password (for example by client certificate or trusted network), or set up the
                keychain.
              </Alert>
            )}
            <Select
              label="Encryption (TLS)"
              description={tlsHelp}
              data={TLS_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
              value={tls}
              onChange={(v) => v && setTls(v as Tls)}
              error={errors.tls}
              allowDeselect={false}
            />
          </Stack>
        )}

        {test && (
          <Alert
            color={test.ok ? 'teal' : 'red'}
            icon={test.ok ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
            title={test.ok ? 'Connection works' : 'Connection failed'}
            data-testid="connection-test"
            role={test.ok ? undefined : 'alert'}
          >
            {test.message}
          </Alert>
        )}
        {savedView && (
          <Alert
            color="blue"
            icon={<IconCircleCheck size={18} />}
            title="Saved"
            data-testid="connection-saved"
          >
            {savedView.mode === 'pg'
              ? `From the next start, this workstation opens database "${savedView.database ?? ''}" on ${savedView.host ?? ''}:${savedView.port ?? ''}.`
              : 'From the next start, this workstation opens its local database.'}{' '}
            Custodian keeps using the current database until it is closed and started again.
          </Alert>
        )}

        <Group>
          <Button
            variant="default"
            leftSection={<IconPlugConnected size={16} />}
            onClick={() => void runTest()}
            loading={busy === 'test'}
          >
            Test connection
          </Button>
          <Button
            type="submit"
            leftSection={<IconDeviceFloppy size={16} />}
            loading={busy === 'save'}
          >
            Save
          </Button>
          <Text size="xs" c="dimmed">
            Takes effect the next time Custodian starts.
          </Text>
        </Group>
      </Stack>
    </form>
  );
}
