import { Button, Group } from '@mantine/core';
import { IconKey, IconPencil, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import type { StaffSummary } from '../../../shared/types';

/** The buttons at the end of a staff row. */
export function StaffActions({
  member: m,
  busy,
  onEdit,
  onReset,
  onToggleActive,
}: {
  member: StaffSummary;
  busy: boolean;
  onEdit(): void;
  onReset(): void;
  onToggleActive(): void;
}) {
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<IconPencil size={14} />}
        onClick={onEdit}
        aria-label={`Edit ${m.displayName}`}
      >
        Edit
      </Button>
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<IconKey size={14} />}
        onClick={onReset}
        aria-label={`Reset password of ${m.displayName}`}
      >
        Reset password
      </Button>
      <Button
        size="compact-sm"
        variant="light"
        color={m.active ? 'red' : 'teal'}
        loading={busy}
        leftSection={m.active ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />}
        onClick={onToggleActive}
        aria-label={`${m.active ? 'Deactivate' : 'Reactivate'} ${m.displayName}`}
      >
        {m.active ? 'Deactivate' : 'Reactivate'}
      </Button>
    </Group>
  );
}
