import { Text } from '@mantine/core';
import { useState } from 'react';
import type { DisclosureRequestView } from '../../../shared/types';
import { useAction } from '../data';
import { OutcomeView } from './OutcomeView';
import { purposeLabel, suggestFileName } from './labels';
import { WriteFileForm, WrittenView } from './WriteFileForm';

/** Carries out an approved request: the gate checks again, then the file is written. */
export function ExecuteForm({
  request,
  onClose,
}: {
  request: DisclosureRequestView;
  onClose(): void;
}) {
  const [fileName, setFileName] = useState(() =>
    suggestFileName(request.purpose.replace(/_/g, '-'), request.format),
  );
  const execute = useAction('disclosures.execute', { fields: ['fileName'] });
  const outcome = execute.mutation.data;

  if (outcome) {
    return (
      <WrittenView onClose={onClose}>
        <OutcomeView outcome={outcome} />
      </WrittenView>
    );
  }
  return (
    <WriteFileForm
      intro={
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}. The rules are checked again
          now: an account may have changed since the approval.
        </Text>
      }
      format={request.format}
      fileName={fileName}
      onFileName={setFileName}
      submitLabel="Write the file"
      onSubmit={() => void execute.run({ requestId: request.id, fileName })}
      onCancel={onClose}
      action={execute}
    />
  );
}
