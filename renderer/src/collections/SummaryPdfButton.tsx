import { Button, Modal } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import type { Role } from '../../../shared/roles';
import type { CollectionBatch } from '../../../shared/types';
import { useAction } from '../data';
import { PdfDocumentForm } from '../disclosures/PdfDocumentForm';
import { useSession } from '../session';

/** The roles main lets save a placement summary (batches.summaryPdf). */
const MAY_PRINT: readonly Role[] = ['collections_agent', 'compliance_officer', 'administrator'];

/** Print / Save as PDF: a batch's placement summary, made in main, saved to the export folder. */
export function SummaryPdfButton({ batch }: { batch: CollectionBatch }) {
  const { session } = useSession();
  const [open, setOpen] = useState(false);
  const action = useAction('batches.summaryPdf', { fields: ['fileName'] });
  if (!MAY_PRINT.includes(session.user.role)) return null;
  return (
    <>
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<IconPrinter size={14} />}
        onClick={() => setOpen(true)}
        aria-label={`Summary PDF of batch ${batch.number}`}
      >
        Summary PDF
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={`Placement summary of batch ${batch.number}`}
      >
        {open && (
          <PdfDocumentForm
            action={action}
            save={(fileName) => action.run({ batchId: batch.id, fileName })}
            baseName={`placement-${batch.number}`}
            intro={`The agency, when the batch was sent and by whom, and each of its ${batch.accountCount} accounts with the balance placed, as your role sees them.`}
            onClose={() => setOpen(false)}
          />
        )}
      </Modal>
    </>
  );
}
