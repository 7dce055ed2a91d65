import { Button, Modal } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import type { Role } from '../../../shared/roles';
import type { CollectionBatch } from '../../../shared/types';
import { useAction } from '../data';
import { PdfDocumentForm } from '../disclosures/PdfDocumentForm';
import { useSession } from '../session';

/** The roles main lets save a placement summary (batches.summaryPdf). */
const MAY_PRINT: readonly Role[] = ['collections_agent', 'compliance_officer', 'administrator'];

export function useMayPrintSummary(): boolean {
  return MAY_PRINT.includes(useSession().session.user.role);
}

/** Print / Save as PDF for one batch (the dialog lives with the list: rows come and go). */
export function SummaryPdfButton({
  batch,
  onPrint,
}: {
  batch: CollectionBatch;
  onPrint(batch: CollectionBatch): void;
}) {
  return (
    <Button
      size="compact-sm"
      variant="default"
      leftSection={<IconPrinter size={14} />}
      onClick={() => onPrint(batch)}
      aria-label={`Summary PDF of batch ${batch.number}`}
    >
      Summary PDF
    </Button>
  );
}

/** A batch's placement summary, made in main as a PDF and saved to the export folder. */
export function SummaryPdfDialog({
  batch,
  onClose,
}: {
  batch: CollectionBatch | null;
  onClose(): void;
}) {
  const action = useAction('batches.summaryPdf', { fields: ['fileName'] });
  return (
    <Modal
      opened={batch !== null}
      onClose={onClose}
      title={batch ? `Placement summary of batch ${batch.number}` : 'Placement summary'}
    >
      {batch && (
        <PdfDocumentForm
          action={action}
          save={(fileName) => action.run({ batchId: batch.id, fileName })}
          baseName={`placement-${batch.number}`}
          intro={`The agency, when the batch was sent and by whom, and each of its ${batch.accountCount} accounts with the balance placed, as your role sees them.`}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}
