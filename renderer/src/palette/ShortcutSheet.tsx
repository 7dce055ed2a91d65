import { Kbd, Modal, Table } from '@mantine/core';

/** Every keyboard shortcut of the console, for the `?` sheet. */
export const SHORTCUTS: readonly { keys: string[]; what: string }[] = [
  { keys: ['Ctrl', 'K'], what: 'Find a screen, an action or an account' },
  { keys: ['/'], what: 'Search the list' },
  { keys: ['↓', '↑'], what: 'Move through the accounts list (from the search box too)' },
  { keys: ['Enter'], what: 'Open the account' },
  { keys: ['Esc'], what: 'Back (to the list from an account; leave an unchanged form)' },
  { keys: ['Ctrl', 'S'], what: 'Save the account being edited' },
  { keys: ['Alt', '←'], what: 'The screen visited before' },
  { keys: ['Alt', '→'], what: 'The screen visited after (once gone back)' },
  { keys: ['?'], what: 'This list' },
];

export function ShortcutSheet({ opened, onClose }: { opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Table verticalSpacing={6} aria-label="Keyboard shortcuts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Keys</Table.Th>
            <Table.Th>What they do</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.what}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
