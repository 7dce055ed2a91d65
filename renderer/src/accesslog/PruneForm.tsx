import { Alert, Button, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useAction } from '../data';
import { formatTimestamp } from '../format';
import { ErrorAlert } from '../ui';

export function PruneForm({ onClose, onPruned }: { onClose(): void; onPruned(): void }) {
  const prune = useAction('accessLog.prune');

  async function run() {
    const out = await prune.run({});
    if (!out) return;
    notifications.show({
      color: 'teal',
      title: 'Access log pruned',
      message: `${out.removed} entr${out.removed === 1 ? 'y' : 'ies'} older than ${formatTimestamp(out.cutoff)} removed.`,
    });
    onPruned();
  }

  return (
    <Stack gap="sm">
      <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>
        Removes entries older than the retention period set by an administrator in Settings. The
        console also prunes at every start. The pruning itself is recorded.
      </Alert>
      <ErrorAlert>{prune.message}</ErrorAlert>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={prune.busy} onClick={() => void run()}>
          Prune now
        </Button>
      </Group>
    </Stack>
  );
}
