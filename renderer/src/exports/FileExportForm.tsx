import { Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import type { Refusal } from '../data';
import { FileFacts, suggestFileName, withExtension } from '../disclosures/labels';
import { FileFields } from '../ui';

/**
 * A dialog's form that writes a file to the export folder: what is exported (children), the
 * format and file name, then the written file's facts. The channel's other input comes from
 * `write` (a useAction of an export channel: access log, accounts).
 */
export function FileExportForm({
  action,
  write,
  baseName,
  intro,
  children,
  done,
  disabled,
  submitLabel = 'Export',
  onClose,
}: {
  action: Refusal & { busy: boolean };
  write(file: {
    format: ExportFormat;
    fileName: string;
  }): Promise<DisclosureRecordView | undefined>;
  /** The suggested file name's stem, e.g. "accounts". */
  baseName: string;
  intro?: ReactNode;
  children?: ReactNode;
  /** The sentence above the written file's facts. */
  done(record: DisclosureRecordView): ReactNode;
  disabled?: boolean;
  submitLabel?: string;
  onClose(): void;
}) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState(() => suggestFileName(baseName, 'csv'));
  const [record, setRecord] = useState<DisclosureRecordView | null>(null);

  if (record) {
    return (
      <Stack gap="sm">
        <Text size="sm">{done(record)}</Text>
        <FileFacts record={record} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <DialogForm
      onSubmit={() => void write({ format, fileName }).then((r) => r && setRecord(r))}
      onCancel={onClose}
      submitLabel={submitLabel}
      busy={action.busy}
      disabled={disabled}
      error={action.unplaced}
      intro={
        <>
          {intro}
          {children}
        </>
      }
    >
      <FileFields
        format={format}
        onFormat={(f) => {
          setFormat(f);
          setFileName((n) => withExtension(n, f));
        }}
        fileName={fileName}
        onFileName={setFileName}
        error={action.fieldErrors.fileName}
      />
    </DialogForm>
  );
}
