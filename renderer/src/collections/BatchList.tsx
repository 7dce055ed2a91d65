import { Badge, Button, Group, Modal, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { BATCH_STATUS_LABELS } from '../../../shared/standing';
import type { CollectionBatch } from '../../../shared/types';
import type { ChannelRead } from '../data';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { ErrorAlert, TwoLines, When } from '../ui';
import { RecallForm } from './RecallForm';
import { SummaryPdfButton, SummaryPdfDialog, useMayPrintSummary } from './SummaryPdfButton';
import { money } from './common';

const RIGHT = { th: { ta: 'right' }, td: { ta: 'right' } } as const;

const COLUMNS = [
  column<CollectionBatch>('number', 'Batch', (b) => b.number, { td: { ff: 'monospace', fw: 600 } }),
  column<CollectionBatch>('agency', 'Agency', (b) => b.agencyName),
  column<CollectionBatch>('status', 'Status', (b) => <BatchStatusBadge batch={b} />),
  column<CollectionBatch>('accounts', 'Accounts', (b) => b.accountCount, RIGHT),
  column<CollectionBatch>('total', 'Total placed', (b) => money(b.totalCents, b.currency), {
    th: { ta: 'right' },
    td: { ta: 'right', style: { fontVariantNumeric: 'tabular-nums' } },
  }),
  column<CollectionBatch>('sent', 'Sent', (b) => <When iso={b.sentAt} />),
  column<CollectionBatch>('by', 'Sent by', (b) => (
    <TwoLines
      main={b.createdBy}
      sub={
        b.status === 'recalled' && b.recallReason
          ? `Recalled: ${b.recallReason}`
          : b.status === 'never_sent'
            ? 'Never sent: the placement file was never written'
            : undefined
      }
    />
  )),
  column<CollectionBatch>(
    'record',
    'Disclosure record',
    (b) => (b.disclosureSeq === null ? '—' : `#${b.disclosureSeq}`),
    { td: { ff: 'monospace' } },
  ),
];

/** The batches sent so far, newest first; agents may recall one still with the agency. */
export function BatchList({
  batches,
  canRecall,
}: {
  batches: ChannelRead<'batches.list'>;
  canRecall: boolean;
}) {
  const [recalling, setRecalling] = useState<CollectionBatch | null>(null);
  const [printing, setPrinting] = useState<CollectionBatch | null>(null);
  const mayPrint = useMayPrintSummary();
  const rows = batches.data ?? [];
  const columns = [
    ...COLUMNS,
    column<CollectionBatch>(
      'actions',
      '',
      (b) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {mayPrint && <SummaryPdfButton batch={b} onPrint={setPrinting} />}
          {canRecall && <RecallButton batch={b} onRecall={setRecalling} />}
        </Group>
      ),
      RIGHT,
    ),
  ];
  return (
    <Stack gap="xs">
      <Title order={3} fz="md">
        Batches
      </Title>
      <ErrorAlert>{batches.error}</ErrorAlert>
      <Paper withBorder className="table-scroll">
        <DataTable
          label="Collection batches"
          data={rows}
          columns={columns}
          getRowId={(b) => b.id}
          loading={!batches.data}
          empty={
            <Text ta="center" c="dimmed" py="md">
              No batch has been sent yet.
            </Text>
          }
          rowProps={(b) => ({ 'data-batch': b.number })}
          tableProps={{
            striped: true,
            highlightOnHover: false,
            verticalSpacing: 'sm',
            fz: 'sm',
            className: 'log-table',
          }}
        />
      </Paper>
      <SummaryPdfDialog batch={printing} onClose={() => setPrinting(null)} />
      <Modal
        opened={recalling !== null}
        onClose={() => setRecalling(null)}
        title={recalling ? `Recall batch ${recalling.number}` : 'Recall batch'}
      >
        {recalling && (
          <RecallForm
            batch={recalling}
            onCancel={() => setRecalling(null)}
            onDone={(next) => {
              batches.setData(rows.map((b) => (b.id === next.id ? next : b)));
              setRecalling(null);
              notifications.show({
                color: 'teal',
                title: `Batch ${next.number} recalled`,
                message: 'Its accounts are back in bad standing; each change is recorded.',
              });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function RecallButton({
  batch: b,
  onRecall,
}: {
  batch: CollectionBatch;
  onRecall(batch: CollectionBatch): void;
}) {
  if (b.status !== 'sent') return null;
  return (
    <Button
      size="compact-sm"
      variant="light"
      color="orange"
      leftSection={<IconArrowBackUp size={14} />}
      onClick={() => onRecall(b)}
      aria-label={`Recall batch ${b.number}`}
    >
      Recall…
    </Button>
  );
}

/** Sent, never sent (a crash before the file), or recalled with its reason on hover. */
function BatchStatusBadge({ batch: b }: { batch: CollectionBatch }) {
  if (b.status === 'sent') {
    return (
      <Badge color="indigo" variant="light" radius="sm">
        {BATCH_STATUS_LABELS.sent}
      </Badge>
    );
  }
  const never = b.status === 'never_sent';
  return (
    <Tooltip
      label={
        never
          ? 'The app stopped before the placement file was written: nothing reached the agency, and its accounts are back in bad standing.'
          : `Recalled: ${b.recallReason ?? ''}`
      }
      multiline
      maw={360}
      withArrow
    >
      <Badge color={never ? 'red' : 'gray'} variant="light" radius="sm">
        {BATCH_STATUS_LABELS[b.status]}
      </Badge>
    </Tooltip>
  );
}
