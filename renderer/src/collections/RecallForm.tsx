import { Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { CollectionBatch } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';

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
  const [reason, setReason] = useState('');
  const recall = useAction('batches.recall', { fields: ['reason'] });

  async function submit() {
    const done = await recall.run({ batchId: batch.id, reason });
    if (done) onDone(done);
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Recall batch"
      submitColor="orange"
      busy={recall.busy}
      error={recall.unplaced}
      intro={
        <Text size="sm">
          The {batch.accountCount === 1 ? 'account' : `${batch.accountCount} accounts`} placed with{' '}
          {batch.agencyName} return to bad standing (an account settled or written off meanwhile
          stays as it is). Tell the agency to return or destroy the placement file.
        </Text>
      }
    >
      <Textarea
        label="Reason"
        description="Recorded on the batch and in each account's standing timeline."
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={recall.fieldErrors.reason ?? null}
        autosize
        minRows={2}
        maxLength={1000}
        data-autofocus
      />
    </DialogForm>
  );
}
