import { Text } from '@mantine/core';
import type { CollectionBatch } from '../../../shared/types';
import { DialogForm, NoteField } from '../DialogForm';
import { useActionForm } from '../data';

/** Recalls a batch from its agency, with the reason recorded on it and on each account. */
export function RecallForm({
  batch,
  onCancel,
  onDone,
}: {
  batch: CollectionBatch;
  onCancel(): void;
  onDone(batch: CollectionBatch): void;
}) {
  const recall = useActionForm('batches.recall', {
    initialValues: { reason: '' },
    toInput: ({ reason }) => ({ batchId: batch.id, reason }),
    onDone,
  });

  return (
    <DialogForm
      {...recall.frame}
      onCancel={onCancel}
      submitLabel="Recall batch"
      submitColor="orange"
      intro={
        <Text size="sm">
          The {batch.accountCount === 1 ? 'account' : `${batch.accountCount} accounts`} placed with{' '}
          {batch.agencyName} return to bad standing (an account settled or written off meanwhile
          stays as it is). Tell the agency to return or destroy the placement file.
        </Text>
      }
    >
      <NoteField
        label="Reason"
        description="Recorded on the batch and in each account's standing timeline."
        {...recall.field('reason')}
        minRows={2}
      />
    </DialogForm>
  );
}
