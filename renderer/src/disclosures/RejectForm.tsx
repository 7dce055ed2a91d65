import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DisclosureRequestView } from '../../../shared/types';
import { DialogForm, NoteField } from '../DialogForm';
import { useActionForm } from '../data';
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
  const reject = useActionForm('disclosures.decide', {
    initialValues: { note: '' },
    // The whole refusal shows above the note.
    fields: [],
    toInput: ({ note }) => ({
      requestId: request.id,
      decision: 'rejected',
      ...(note.trim() ? { note } : {}),
    }),
    onDone: () => {
      notifications.show({
        color: 'teal',
        title: 'Rejected',
        message: 'The request is refused and recorded in the disclosure log.',
      });
      onDone();
    },
  });

  return (
    <DialogForm
      {...reject.frame}
      onCancel={onCancel}
      submitLabel="Reject request"
      submitColor="red"
      intro={
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}, requested by{' '}
          {request.requester}.
        </Text>
      }
    >
      <NoteField
        label="Note to the requester"
        description="Why the request is rejected."
        {...reject.field('note')}
      />
    </DialogForm>
  );
}
