import { Alert, Group, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { VisibilityMatrix } from '../../../shared/types';
import { MatrixTable } from './MatrixTable';
import { SaveBar } from './SaveBar';
import { useMatrixChanges } from './useMatrixChanges';

/** The matrix with its legend; for an administrator, the bar that saves changes with a reason. */
export function MatrixEditor({ value, editable }: { value: VisibilityMatrix; editable: boolean }) {
  const m = useMatrixChanges(value);
  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Group gap={6}>
          <span className="matrix-legend custom" aria-hidden />
          <Text size="xs" c="dimmed">
            Differs from the shipped default ({m.customCount})
          </Text>
        </Group>
        {editable && (
          <Group gap={6}>
            <span className="matrix-legend changed" aria-hidden />
            <Text size="xs" c="dimmed">
              Changed here, not saved yet
            </Text>
          </Group>
        )}
        <Text size="xs" c="dimmed">
          Hidden: absent everywhere · Masked: a masked form only · Read · Edit
        </Text>
      </Group>
      <MatrixTable
        value={value}
        pending={m.pending}
        cellErrors={m.refused.cells}
        editable={editable}
        onCell={m.setCell}
      />
      {editable ? (
        <SaveBar
          pendingCount={m.pending.size}
          reason={m.reason}
          onReason={m.setReason}
          reasonError={m.refused.reason}
          message={m.refused.message}
          busy={m.busy}
          onDiscard={m.discard}
          onSave={() => void m.save()}
        />
      ) : (
        <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
          Read-only for your role. The change log lists every change with who made it and why.
        </Alert>
      )}
    </Stack>
  );
}
