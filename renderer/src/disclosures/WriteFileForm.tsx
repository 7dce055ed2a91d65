import { Button, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import { DialogForm } from '../DialogForm';
import { FileFields } from '../ui';

/** A dialog whose one question is the name of the file to write (its format is already fixed). */
export function WriteFileForm({
  intro,
  format,
  fileName,
  onFileName,
  submitLabel,
  onSubmit,
  onCancel,
  action,
}: {
  intro: ReactNode;
  format: ExportFormat;
  fileName: string;
  onFileName(name: string): void;
  submitLabel: string;
  onSubmit(): void;
  onCancel(): void;
  /** The write's state (a useAction). */
  action: { busy: boolean; unplaced: string | null; fieldErrors: Record<string, string> };
}) {
  return (
    <DialogForm
      onSubmit={onSubmit}
      onCancel={onCancel}
      submitLabel={submitLabel}
      busy={action.busy}
      error={action.unplaced}
      intro={intro}
    >
      <FileFields
        format={format}
        onFormat={() => undefined}
        formats={[format]}
        fileName={fileName}
        onFileName={onFileName}
        error={action.fieldErrors.fileName ?? null}
      />
    </DialogForm>
  );
}

/** What a dialog's write did, with Done to close it. */
export function WrittenView({ children, onClose }: { children: ReactNode; onClose(): void }) {
  return (
    <Stack gap="sm">
      {children}
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
