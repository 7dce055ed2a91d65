import { Button, Group, Stack, type ButtonProps } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorAlert } from './ui';

/**
 * The frame of a form in a dialog: the refusal on top, the fields, then Cancel and the submit
 * button (busy while the write is in flight). The write itself is a useAction.
 */
export function DialogForm({
  onSubmit,
  onCancel,
  submitLabel,
  busy,
  error,
  intro,
  submitColor,
  children,
}: {
  onSubmit(): void;
  onCancel(): void;
  submitLabel: string;
  busy: boolean;
  error?: string | null | undefined;
  /** Shown above the refusal (who or what the form is about). */
  intro?: ReactNode;
  submitColor?: ButtonProps['color'];
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {intro}
        <ErrorAlert>{error}</ErrorAlert>
        {children}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} {...(submitColor ? { color: submitColor } : {})}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
