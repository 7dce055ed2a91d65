import { Alert, Button, FileInput, Group, Paper, Stack, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChainVerification } from '../../../shared/types';
import { useAction } from '../data';

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file.'));
    reader.readAsText(file);
  });
}

/** Verifies the chain on request, against the witness and, if one is chosen, a checkpoint. */
export function VerifyPanel() {
  const [file, setFile] = useState<File | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const verification = useAction('disclosures.verify');
  const result = verification.mutation.data;
  const error = unreadable ? 'Could not read the checkpoint file.' : verification.message;

  async function verify() {
    verification.reset();
    setUnreadable(false);
    let checkpoint: string | undefined;
    try {
      checkpoint = file ? await readText(file) : undefined;
    } catch {
      setUnreadable(true);
      return;
    }
    await verification.run(checkpoint ? { checkpoint } : {});
  }

  return (
    <Paper withBorder p="md">
      <Group align="flex-end" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1 }}>
          <Text fw={600}>Verify the chain</Text>
          <Text size="sm" c="dimmed">
            Recomputes every record&apos;s hash, checks each customer&apos;s accounting against the
            records, and checks the chain against the signed witness written outside the database
            after every record, which detects a rewrite, a truncation or a rollback. A checkpoint
            saved earlier is checked the same way.
          </Text>
        </Stack>
        <FileInput
          label="Checkpoint (optional)"
          placeholder="Choose a checkpoint .json"
          accept=".json,application/json"
          value={file}
          onChange={setFile}
          clearable
          w={260}
        />
        <Button
          leftSection={<IconShieldCheck size={16} />}
          loading={verification.busy}
          onClick={() => void verify()}
        >
          Verify chain
        </Button>
      </Group>
      {error && (
        <Alert mt="sm" color="red" icon={<IconShieldX size={18} />} role="alert">
          {error}
        </Alert>
      )}
      {result && <VerifyResult result={result} />}
    </Paper>
  );
}

function VerifyResult({ result }: { result: ChainVerification }) {
  return (
    <Alert
      mt="sm"
      color={result.ok ? 'teal' : 'red'}
      icon={result.ok ? <IconShieldCheck size={18} /> : <IconShieldX size={18} />}
      title={result.ok ? 'The chain verifies' : 'The chain does not verify'}
      data-testid="verify-result"
      role={result.ok ? 'status' : 'alert'}
    >
      <Stack gap={4}>
        <Text size="sm">
          {result.records} record{result.records === 1 ? '' : 's'} checked in {result.millis} ms;
          head #{result.headSeq} <code>{result.headHash.slice(0, 16)}…</code>
        </Text>
        {result.problem && (
          <Text size="sm" fw={600}>
            Problem at record #{result.problem.seq}: {result.problem.message}
          </Text>
        )}
        {result.checkpoint && (
          <Text size="sm" c={result.checkpoint.ok ? undefined : 'red'} fw={500}>
            Checkpoint: {result.checkpoint.message}
          </Text>
        )}
        {result.witnesses.map((w) => (
          <Text
            key={w.source}
            size="sm"
            c={w.ok ? undefined : 'red'}
            fw={w.ok ? undefined : 500}
            data-testid="verify-witness"
          >
            Witness <code>{w.source}</code>: {w.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
