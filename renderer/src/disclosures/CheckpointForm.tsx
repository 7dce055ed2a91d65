import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useAction } from '../data';
import { ErrorAlert, FileFields } from '../ui';
import { suggestFileName } from './labels';

/** Writes a signed checkpoint of the chain's head to the export folder. */
export function CheckpointForm({ onClose }: { onClose(): void }) {
  const [fileName, setFileName] = useState(() => suggestFileName('checkpoint', 'json'));
  const save = useAction('disclosures.checkpoint', { fields: ['fileName'] });
  const done = save.mutation.data;

  async function submit(e: FormEvent) {
    e.preventDefault();
    await save.run({ fileName });
  }

  if (done) {
    return (
      <Stack gap="sm">
        <Alert color="teal" icon={<IconDeviceFloppy size={18} />} title="Checkpoint saved">
          <Text size="sm">
            {done.fileName}: head #{done.checkpoint.seq},{' '}
            <code>{done.checkpoint.hash.slice(0, 16)}…</code>, signed. Keep a copy outside this
            computer (e.g. print it or store it with compliance records); choose it later under
            Verify to detect a rollback.
          </Text>
        </Alert>
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
          Records the current head of the chain (its number and hash), signed with this
          installation&apos;s key, in a JSON file in the export folder.
        </Text>
        <ErrorAlert>{save.unplaced}</ErrorAlert>
        <FileFields
          format="json"
          onFormat={() => undefined}
          formats={['json']}
          fileName={fileName}
          onFileName={setFileName}
          error={save.fieldErrors.fileName ?? null}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.busy}>
            Save checkpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
