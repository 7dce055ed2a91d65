import {
  Alert,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ConnectionView } from '../../../../shared/types';
import { TLS_OPTIONS, type Tls } from './tls';
import type { ConnectionValues } from './useConnectionForm';

type Field = (name: keyof ConnectionValues) => Record<string, unknown>;

const PLAIN = { autoComplete: 'off', spellCheck: false } as const;

/** Where the team's PostgreSQL server is and how to reach it. */
export function ServerFields({
  field,
  initial,
  tls,
}: {
  field: Field;
  initial: ConnectionView;
  tls: Tls;
}) {
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label="Server host"
          description="Name or IP address."
          placeholder="db.example.internal"
          {...field('host')}
          {...PLAIN}
          maxLength={253}
        />
        <NumberInput
          label="Port"
          description="Usually 5432."
          {...field('port')}
          min={1}
          max={65535}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
        />
        <TextInput
          label="Database name"
          description="As created on the server."
          {...field('database')}
          {...PLAIN}
          maxLength={63}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label="User"
          description="The login Custodian connects as."
          {...field('user')}
          {...PLAIN}
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
          {...field('password')}
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
          This computer has no operating system keychain for Custodian to keep a password in, so a
          password is never saved. Use a server that accepts this workstation without a password
          (for example by client certificate or trusted network), or set up the keychain.
        </Alert>
      )}
      <Select
        label="Encryption (TLS)"
        description={TLS_OPTIONS.find((o) => o.value === tls)!.help}
        data={TLS_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
        {...field('tls')}
        allowDeselect={false}
      />
    </Stack>
  );
}
