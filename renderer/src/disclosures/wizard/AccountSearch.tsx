import { Button, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { Purpose } from '../../../../shared/disclosure';
import type { PickedAccount } from '../../navigation';
import { PickedRow } from './PickedRow';
import { useAccountSearch } from './useAccountSearch';

/** Finds accounts by number, name, email or phone, each with a button to add it. */
export function AccountSearch({
  purpose,
  accounts,
  onChange,
}: {
  purpose: Purpose | null;
  accounts: PickedAccount[];
  onChange(next: PickedAccount[]): void;
}) {
  const [text, setText] = useState('');
  const { search, results, loading, error } = useAccountSearch(text);
  const chosen = new Set(accounts.map((a) => a.id));
  return (
    <Stack gap="xs">
      <TextInput
        label="Find accounts"
        description="By account number, name, email or phone."
        placeholder="e.g. C-1000042 or Smith"
        leftSection={<IconSearch size={16} />}
        rightSection={loading ? <Loader size={14} /> : null}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={error}
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
      />
      {purpose === 'debt_collection' && (
        <Text size="xs" c="dimmed">
          Debt collection admits only accounts in bad standing or in collection.
        </Text>
      )}
      {search && !loading && results.length === 0 && !error && (
        <Text size="sm" c="dimmed">
          No matching accounts.
        </Text>
      )}
      {results.length > 0 && (
        <Table verticalSpacing={6} fz="sm" aria-label="Search results" highlightOnHover>
          <Table.Tbody>
            {results.map((a) => (
              <PickedRow key={a.id} account={a}>
                <Button
                  size="compact-sm"
                  variant="light"
                  leftSection={<IconPlus size={14} />}
                  disabled={chosen.has(a.id)}
                  onClick={() => onChange([...accounts, a])}
                  aria-label={`Add ${a.accountNumber}`}
                >
                  {chosen.has(a.id) ? 'Added' : 'Add'}
                </Button>
              </PickedRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
