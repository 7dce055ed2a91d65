import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { FIELD_BY_KEY, isFieldKey } from '../../../shared/catalogue';
import type { OfflineConflict, OfflineStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { ErrorAlert } from '../ui';

const shown = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '(empty)' : String(value);

/**
 * Offline changes the server's record had moved past (issue 16): each shown field by field, the
 * value typed offline beside the server's, and the staff member chooses. Nothing was overwritten
 * while they were away; their choice is sent through the server's own checks.
 */
export function ConflictsDialog({
  conflicts,
  onClose,
  onStatus,
}: {
  conflicts: OfflineConflict[];
  onClose(): void;
  onStatus(status: OfflineStatus | null): void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function choose(id: string, keep: 'mine' | 'theirs') {
    setBusy(id);
    setError(null);
    try {
      onStatus((await callWorkstation('workstation.resolveConflict', { id, keep })).offline);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Modal opened onClose={onClose} title="Offline changes to choose for" size="lg">
      <Stack gap="md">
        <ErrorAlert>{error}</ErrorAlert>
        {conflicts.length === 0 && <Text size="sm">Nothing is left to choose.</Text>}
        {conflicts.map((c) => (
          <Stack key={c.id} gap="xs" data-testid="offline-conflict">
            <Text size="sm">
              Made offline {new Date(c.madeAt).toLocaleString('en-US')}. {c.message}
            </Text>
            {c.fields.length > 0 && (
              <Table aria-label="Your version and the server's" withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Field</Table.Th>
                    <Table.Th>Yours (offline)</Table.Th>
                    <Table.Th>On the server now</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.fields.map((f) => (
                    <Table.Tr key={f.field}>
                      <Table.Td>
                        {isFieldKey(f.field) ? FIELD_BY_KEY[f.field].label : f.field}
                      </Table.Td>
                      <Table.Td>{shown(f.mine)}</Table.Td>
                      <Table.Td>{shown(f.theirs)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group justify="flex-end">
              <Button
                variant="default"
                loading={busy === c.id}
                onClick={() => void choose(c.id, 'theirs')}
              >
                Keep the server&rsquo;s
              </Button>
              <Button loading={busy === c.id} onClick={() => void choose(c.id, 'mine')}>
                Keep mine
              </Button>
            </Group>
          </Stack>
        ))}
      </Stack>
    </Modal>
  );
}
