import { Button, Group, Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import type { ExportFormat } from '../../../shared/disclosure';
import type { BatchPreview } from '../../../shared/types';
import { FileFields } from '../ui';
import { SampleTable } from './SampleTable';
import { money } from './common';

/** What a batch would place (count, total, held back, the largest balances) and its Send. */
export function BatchPreviewView({
  preview: result,
  stale,
  agencyName,
  file,
  fileError,
  sending,
  onSend,
}: {
  preview: BatchPreview;
  /** The filters changed since: shown faded, and not sent. */
  stale: boolean;
  agencyName: string | undefined;
  /** The placement file's format and name (useExportFile). */
  file: {
    format: ExportFormat;
    onFormat(format: ExportFormat): void;
    fileName: string;
    onFileName(name: string): void;
  };
  fileError: string | undefined;
  sending: boolean;
  onSend(): void;
}) {
  return (
    <Stack gap="md" data-testid="batch-preview" opacity={stale ? 0.5 : 1}>
      <SimpleGrid cols={3} spacing="sm">
        <Stat label="Accounts to place" value={String(result.count)} testId="preview-count" />
        <Stat
          label="Total owed"
          value={money(result.totalCents, result.currency)}
          testId="preview-total"
        />
        <Stat
          label="Left out: collection hold"
          value={String(result.excludedByHolds)}
          testId="preview-held"
          hint="Bad-standing accounts in this currency with a bankruptcy, deceased or attorney-represented hold are never placed."
        />
      </SimpleGrid>
      {result.count === 0 ? (
        <Text size="sm" c="dimmed">
          No account matches: nothing to place. Only bad-standing accounts not already with an
          agency are placed.
        </Text>
      ) : (
        <>
          <SampleTable preview={result} />
          <Paper withBorder p="md" bg="var(--app-stripe)">
            <Stack gap="sm">
              <Text fw={600}>Send to {agencyName}</Text>
              <Text size="sm" c="dimmed">
                The placement file holds the collection field set (name, date of birth, address,
                phone, email, account number, balance placed, last payment and the itemisation
                date). Sending marks the accounts in collection and records the disclosure.
              </Text>
              <FileFields {...file} error={fileError} />
              <Group>
                <Button
                  leftSection={<IconSend size={16} />}
                  onClick={onSend}
                  loading={sending}
                  disabled={stale}
                >
                  Send {result.count === 1 ? '1 account' : `${result.count} accounts`} to{' '}
                  {agencyName}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </>
      )}
    </Stack>
  );
}

function Stat({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
}) {
  const body = (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
  if (!hint) return body;
  return (
    <Tooltip label={hint} multiline maw={360} withArrow openDelay={300}>
      {body}
    </Tooltip>
  );
}
