import { Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DisclosureRequestView } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';
import { purposeLabel } from './labels';

/** Rejects a request waiting for the caller, with a note to the requester. */
export function RejectForm({
  request,
  onCancel,
  onDone,
}: {
  request: DisclosureRequestView;
  onCancel(): void;
  onDone(): void;
}) {
  const [note, setNote] = useState('');
  const decide = useAction('disclosures.decide');

  async function submit() {
    const decided = await decide.run({
      requestId: request.id,
      decision: 'rejected',
      ...(note.trim() ? { note } : {}),
    });
    if (!decided) return;
    notifications.show({
      color: 'teal',
      title: 'Rejected',
      message: 'The request is refused and recorded in the disclosure log.',
    });
    onDone();
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Reject request"
      submitColor="red"
      busy={decide.busy}
      error={decide.message}
      intro={
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}, requested by{' '}
          {request.requester}.
        </Text>
      }
    >
      <Textarea
        label="Note to the requester"
        description="Why the request is rejected."
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={3}
        maxLength={1000}
        data-autofocus
      />
    </DialogForm>
  );
}
