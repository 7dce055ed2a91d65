import { Button, Code, Group, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconFolderOpen } from '@tabler/icons-react';
import { IMPORTABLE_FIELD_KEYS } from '../../../shared/import';
import { useSession } from '../session';
import { formatBytes } from './format';
import { StageError } from './StageError';
import { Step } from './Step';
import type { ImportFlow } from './useImportFlow';

/** Step 1: the CSV file, with the columns the role may import. */
export function ChooseStep({ flow }: { flow: ImportFlow }) {
  const { session } = useSession();
  const { file, busy } = flow;
  const importable = IMPORTABLE_FIELD_KEYS.filter(
    (k) => k === 'accountNumber' || session.fieldAccess[k] === 'edit',
  );
  return (
    <Step number={1} title="Choose the file" icon={<IconFolderOpen size={18} />}>
      <Text size="sm">
        The first row names the columns. Headers such as &ldquo;First Name&rdquo;, &ldquo;E-mail
        Address&rdquo;, &ldquo;Zip&rdquo; or a single &ldquo;Name&rdquo; are recognised, and you
        confirm what each column becomes before anything is checked. The fields your role may import
        are:
      </Text>
      <Group gap={6} aria-label="Columns you may import">
        {importable.map((k) => (
          <Code key={k}>{k}</Code>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        Rows without an <Code>accountNumber</Code> get a new account number. Blank cells stay empty
        or take the usual default (balance 0, currency USD).
      </Text>
      <Group gap="md">
        <Button
          variant={file ? 'default' : 'filled'}
          leftSection={<IconFolderOpen size={16} />}
          onClick={() => void flow.choose()}
          loading={busy === 'choosing'}
          disabled={busy !== null && busy !== 'choosing'}
        >
          {file ? 'Choose another file…' : 'Choose CSV file…'}
        </Button>
        {file && (
          <Group gap="xs" data-testid="import-file">
            <IconFileSpreadsheet size={20} aria-hidden />
            <Text fw={600}>{file.fileName}</Text>
            <Text size="sm" c="dimmed">
              {formatBytes(file.sizeBytes)}
            </Text>
          </Group>
        )}
      </Group>
      <StageError error={flow.error} stage="choosing" />
    </Step>
  );
}
