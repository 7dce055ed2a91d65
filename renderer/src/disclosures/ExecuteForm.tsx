import { Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { DisclosureRequestView } from '../../../shared/types';
import { useAction } from '../data';
import { ErrorAlert, FileFields } from '../ui';
import { OutcomeView } from './OutcomeView';
import { purposeLabel, suggestFileName } from './labels';

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

  async function submit(e: FormEvent) {
    e.preventDefault();
    await execute.run({ requestId: request.id, fileName });
  }

  if (outcome) {
    return (
      <Stack gap="sm">
        <OutcomeView outcome={outcome} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {purposeLabel(request.purpose)} to {request.recipientName}. The rules are checked again
          now: an account may have changed since the approval.
        </Text>
        <ErrorAlert>{execute.unplaced}</ErrorAlert>
        <FileFields
          format={request.format}
          onFormat={() => undefined}
          formats={[request.format]}
          fileName={fileName}
          onFileName={setFileName}
          error={execute.fieldErrors.fileName ?? null}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={execute.busy} leftSection={<IconPlayerPlay size={16} />}>
            Write the file
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
