import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Output } from '../../../shared/contract';
import { FileFacts } from '../disclosures/labels';
import { OutcomeView } from '../disclosures/OutcomeView';
import { money } from './common';

/** What sending did: the batch and its disclosure record, or the gate's refusal. */
export function BatchSent({ sent, onReset }: { sent: Output<'batches.send'>; onReset(): void }) {
  return (
    <Stack gap="sm" data-testid="batch-result">
      {sent.batch && sent.outcome.record ? (
        <>
          <Alert
            color="teal"
            icon={<IconCircleCheck size={20} />}
            title={`Batch ${sent.batch.number} sent to ${sent.batch.agencyName}`}
          >
            <Text size="sm">
              {sent.batch.accountCount === 1
                ? '1 account is'
                : `${sent.batch.accountCount} accounts are`}{' '}
              now in collection, {money(sent.batch.totalCents, sent.batch.currency)} placed. The
              placement file is in the export folder and the disclosure is recorded in the log as
              record #{sent.outcome.record.seq}. Hand the file to the agency by the agreed secure
              channel.
            </Text>
          </Alert>
          <FileFacts record={sent.outcome.record} />
        </>
      ) : (
        <OutcomeView outcome={sent.outcome} />
      )}
      <Group>
        <Button variant="default" onClick={onReset}>
          Start another batch
        </Button>
      </Group>
    </Stack>
  );
}
