import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { DisclosureRecordView } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import type { Refusal } from '../data';
import { FileFacts } from './labels';

/**
 * A dialog's form that saves a document for a person to read (a PDF made in main) to the export
 * folder, like every export recorded in the disclosure log; it is printed or sent from there.
 */
export function PdfDocumentForm({
  action,
  save,
  baseName,
  intro,
  onClose,
}: {
  action: Refusal & { busy: boolean };
  save(fileName: string): Promise<DisclosureRecordView | undefined>;
  /** The suggested file name's stem, e.g. "disclosures-C-1000001". */
  baseName: string;
  intro?: ReactNode;
  onClose(): void;
}) {
  const [fileName, setFileName] = useState(
    () => `${baseName}-${new Date().toISOString().slice(0, 10)}.pdf`,
  );
  const [record, setRecord] = useState<DisclosureRecordView | null>(null);
  if (record) {
    return (
      <Stack gap="sm">
        <Text size="sm" data-testid="pdf-saved">
          The PDF is saved in the export folder: open it there to print it or to send it to the
          customer. Its saving is recorded in the disclosure log.
        </Text>
        <FileFacts record={record} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <DialogForm
      onSubmit={() => void save(fileName).then((r) => r && setRecord(r))}
      onCancel={onClose}
      submitLabel="Save PDF"
      busy={action.busy}
      error={action.unplaced}
      intro={intro}
    >
      <TextInput
        label="File name"
        description="Written to the export folder on this workstation. A plain name ending in .pdf; an existing file is never overwritten."
        value={fileName}
        onChange={(e) => setFileName(e.currentTarget.value)}
        error={action.fieldErrors.fileName}
        spellCheck={false}
        autoComplete="off"
        maxLength={160}
      />
    </DialogForm>
  );
}
