import {
  Button,
  Group,
  Stack,
  Textarea,
  type ButtonProps,
  type TextareaProps,
} from '@mantine/core';
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
  disabled = false,
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
  disabled?: boolean | undefined;
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
          <Button
            type="submit"
            loading={busy}
            disabled={disabled}
            {...(submitColor ? { color: submitColor } : {})}
          >
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * A free-text note in a dialog (a reason, a note to someone, an address): grows with its text,
 * at most 1,000 characters, and takes the focus when the dialog opens unless told otherwise.
 */
export function NoteField({
  minRows = 3,
  focus = true,
  ...props
}: Omit<TextareaProps, 'autosize' | 'minRows'> & { minRows?: number; focus?: boolean }) {
  return (
    <Textarea
      autosize
      minRows={minRows}
      maxLength={1000}
      {...(focus ? { 'data-autofocus': true } : {})}
      {...props}
    />
  );
}
