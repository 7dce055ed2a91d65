import { Alert, List, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconClockHour4, IconHandStop } from '@tabler/icons-react';
import type { DisclosureOutcome } from '../../../shared/types';
import { FileFacts } from './labels';

/** What the gate decided: refused (with every reason), waiting for approval, or written. */
export function OutcomeView({ outcome }: { outcome: DisclosureOutcome }) {
  if (outcome.status === 'refused') {
    return (
      <Alert
        color="red"
        icon={<IconHandStop size={20} />}
        title="Refused: nothing was disclosed"
        role="alert"
        data-testid="outcome-refused"
      >
        <Stack gap="xs">
          <Text size="sm">The disclosure rules do not admit this request:</Text>
          <List size="sm" spacing={4} withPadding>
            {outcome.reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
          {outcome.record && (
            <Text size="xs" c="dimmed">
              The refused attempt is recorded in the disclosure log as record #{outcome.record.seq}.
            </Text>
          )}
        </Stack>
      </Alert>
    );
  }
  if (outcome.status === 'pending') {
    return (
      <Alert
        color="yellow"
        icon={<IconClockHour4 size={20} />}
        title="Waiting for approval"
        data-testid="outcome-pending"
      >
        <Text size="sm">
          Waiting for approval by {outcome.waitingFor.join(' and ')}. Nothing is written until then.
          Once approved, carry it out from Approvals.
        </Text>
      </Alert>
    );
  }
  return (
    <Stack gap="sm" data-testid="outcome-completed">
      <Alert color="teal" icon={<IconCircleCheck size={20} />} title="Disclosure completed">
        <Text size="sm">
          The file is written to the export folder and the disclosure is recorded in the log. Hand
          it to the recipient by the agreed secure channel.
        </Text>
      </Alert>
      {outcome.record && <FileFacts record={outcome.record} />}
    </Stack>
  );
}
