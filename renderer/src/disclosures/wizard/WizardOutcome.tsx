import { Button, Group, Stack } from '@mantine/core';
import { IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import type { DisclosureOutcome } from '../../../../shared/types';
import { ScreenHeader } from '../../ui';
import { OutcomeView } from '../OutcomeView';
import { RequestSummary } from './RequestSummary';
import type { Wizard } from './useDisclosureWizard';

/** The gate's answer to the request, and where to go from it. */
export function WizardOutcome({ w, outcome }: { w: Wizard; outcome: DisclosureOutcome }) {
  return (
    <div className="section-scroll">
      <Stack gap="md" maw={980} pb="lg">
        <ScreenHeader title="Disclose" description="The disclosure gate's answer." />
        <OutcomeView outcome={outcome} />
        <RequestSummary w={w} />
        <Group>
          {outcome.status === 'refused' && (
            <Button
              variant="default"
              leftSection={<IconArrowLeft size={16} />}
              onClick={w.clearOutcome}
            >
              Change the request
            </Button>
          )}
          {outcome.status === 'pending' && (
            <Button onClick={w.openApprovals}>Open approvals</Button>
          )}
          <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={w.startOver}>
            Start a new disclosure
          </Button>
        </Group>
      </Stack>
    </div>
  );
}
