import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconDeviceFloppy, IconX } from '@tabler/icons-react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../ui';

/** Under the matrix: how many changes wait, their reason, Discard and Save. */
export function SaveBar({
  pendingCount,
  reason,
  onReason,
  reasonError,
  message,
  busy,
  onDiscard,
  onSave,
}: {
  pendingCount: number;
  reason: string;
  onReason(reason: string): void;
  reasonError: string | null;
  message: string | null;
  busy: boolean;
  onDiscard(): void;
  onSave(): void;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave();
  };
  return (
    <Paper
      withBorder
      p="sm"
      className="save-bar"
      data-active={pendingCount > 0 || undefined}
      component="form"
      onSubmit={submit}
      noValidate
      aria-label="Save access matrix changes"
    >
      <Stack gap="xs">
        <ErrorAlert>{message}</ErrorAlert>
        <Group align="flex-start" wrap="nowrap">
          <Stack gap={2} w={190} mt={4}>
            <Text fw={600} size="sm" data-testid="pending-count">
              {pendingCount === 0
                ? 'No unsaved changes'
                : `${pendingCount} unsaved change${pendingCount === 1 ? '' : 's'}`}
            </Text>
            <Text size="xs" c="dimmed">
              Applies at once to every open session.
            </Text>
          </Stack>
          <TextInput
            style={{ flex: 1 }}
            aria-label="Reason for the change"
            placeholder="Reason for the change (at least 10 characters), e.g. ticket number and who asked"
            value={reason}
            onChange={(e) => onReason(e.currentTarget.value)}
            error={reasonError}
            disabled={pendingCount === 0}
            maxLength={1000}
          />
          <Button
            variant="default"
            leftSection={<IconX size={16} />}
            disabled={pendingCount === 0 || busy}
            onClick={onDiscard}
          >
            Discard
          </Button>
          <Button
            type="submit"
            leftSection={<IconDeviceFloppy size={16} />}
            disabled={pendingCount === 0}
            loading={busy}
          >
            Save changes
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
