import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconInfoCircle, IconTrash } from '@tabler/icons-react';
import type { Purpose } from '../../../../shared/disclosure';
import type { PickedAccount } from '../../navigation';
import { AccountSearch } from './AccountSearch';
import { PickedRow } from './PickedRow';

/** Step 3: the accounts named in the request, found by search (none for a business transfer). */
export function AccountsStep({
  allAccounts,
  purpose,
  accounts,
  onChange,
}: {
  allAccounts: boolean;
  purpose: Purpose | null;
  accounts: PickedAccount[];
  onChange(next: PickedAccount[]): void;
}) {
  if (allAccounts) {
    return (
      <Alert
        color="indigo"
        variant="light"
        icon={<IconInfoCircle size={18} />}
        title="All accounts"
      >
        A business transfer covers every customer account at the time it is carried out. It cannot
        name single accounts.
      </Alert>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <AccountSearch purpose={purpose} accounts={accounts} onChange={onChange} />
      <ChosenAccounts accounts={accounts} onChange={onChange} />
    </SimpleGrid>
  );
}

function ChosenAccounts({
  accounts,
  onChange,
}: {
  accounts: PickedAccount[];
  onChange(next: PickedAccount[]): void;
}) {
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          Chosen accounts ({accounts.length})
        </Text>
        {accounts.length > 0 && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange([])}>
            Remove all
          </Button>
        )}
      </Group>
      <Paper withBorder>
        {accounts.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center">
            None yet: find accounts and add them.
          </Text>
        ) : (
          <Table verticalSpacing={6} fz="sm" aria-label="Chosen accounts">
            <Table.Tbody>
              {accounts.map((a) => (
                <PickedRow key={a.id} account={a} actionWidth={40}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    onClick={() => onChange(accounts.filter((x) => x.id !== a.id))}
                    aria-label={`Remove ${a.accountNumber}`}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </PickedRow>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
