import { Alert, Text } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { useAction } from '../data';
import { suggestFileName } from './labels';
import { WriteFileForm, WrittenView } from './WriteFileForm';

/** Writes a signed checkpoint of the chain's head to the export folder. */
export function CheckpointForm({ onClose }: { onClose(): void }) {
  const [fileName, setFileName] = useState(() => suggestFileName('checkpoint', 'json'));
  const save = useAction('disclosures.checkpoint', { fields: ['fileName'] });
  const done = save.mutation.data;

  if (done) {
    return (
      <WrittenView onClose={onClose}>
        <Alert color="teal" icon={<IconDeviceFloppy size={18} />} title="Checkpoint saved">
          <Text size="sm">
            {done.fileName}: head #{done.checkpoint.seq},{' '}
            <code>{done.checkpoint.hash.slice(0, 16)}…</code>, signed. Keep a copy outside this
            computer (e.g. print it or store it with compliance records); choose it later under
            Verify to detect a rollback.
          </Text>
        </Alert>
      </WrittenView>
    );
  }
  return (
    <WriteFileForm
      intro={
        <Text size="sm">
          Records the current head of the chain (its number and hash), signed with this
          installation&apos;s key, in a JSON file in the export folder.
        </Text>
      }
      format="json"
      fileName={fileName}
      onFileName={setFileName}
      submitLabel="Save checkpoint"
      onSubmit={() => void save.run({ fileName })}
      onCancel={onClose}
      action={save}
    />
  );
}
