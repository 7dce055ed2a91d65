import { Button, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconSend } from '@tabler/icons-react';
import type { PickedAccount } from '../../navigation';
import { ScreenHeader } from '../../ui';
import { CurrentStep } from './CurrentStep';
import { STEPS, STEP_TITLES } from './draft';
import { useDisclosureWizard, type Wizard } from './useDisclosureWizard';
import { WizardOutcome } from './WizardOutcome';

/**
 * The one way customer data leaves for a third party: recipient, purpose, accounts, fields,
 * purpose-specific details and the file. The gate in main decides; this screen shows its rules
 * up front and its answer verbatim.
 */
export function DisclosureWizard({
  initialAccounts = [],
  active: shown,
}: {
  initialAccounts?: PickedAccount[];
  /** Whether the wizard is the section on screen (it stays mounted to keep its progress). */
  active: boolean;
}) {
  const w = useDisclosureWizard(initialAccounts, shown);
  if (w.outcome) return <WizardOutcome w={w} outcome={w.outcome} />;

  return (
    <div className="section-scroll">
      <Stack gap="md" maw={1080} pb="lg">
        <ScreenHeader
          title="Disclose"
          description="Customer data leaves for a third party only this way. Every attempt, refused ones included, is recorded."
        />
        <Paper withBorder p="md">
          <Stepper active={w.step} onStepClick={w.goTo} size="sm" allowNextStepsSelect={false}>
            {STEPS.map((label) => (
              <Stepper.Step key={label} label={label} />
            ))}
          </Stepper>
        </Paper>

        <Paper withBorder p="lg" data-testid={`wizard-step-${STEPS[w.step]!.toLowerCase()}`}>
          <Stack gap="md">
            <Title order={3} fz="h4">
              {STEP_TITLES[w.step]}
            </Title>
            <CurrentStep w={w} />
            {w.stepError && (
              <Text c="red" size="sm" role="alert">
                {w.stepError}
              </Text>
            )}
            <WizardButtons w={w} />
          </Stack>
        </Paper>
      </Stack>
    </div>
  );
}

function WizardButtons({ w }: { w: Wizard }) {
  return (
    <Group justify="space-between" mt="xs">
      <Button
        variant="default"
        leftSection={<IconArrowLeft size={16} />}
        disabled={w.step === 0}
        onClick={w.back}
      >
        Back
      </Button>
      {!w.isLast ? (
        <Button rightSection={<IconArrowRight size={16} />} onClick={w.next}>
          Next
        </Button>
      ) : (
        <Button
          leftSection={<IconSend size={16} />}
          loading={w.busy}
          onClick={w.send}
          color={w.needsApproval ? 'yellow' : undefined}
        >
          {w.needsApproval ? 'Request approval' : 'Disclose now'}
        </Button>
      )}
    </Group>
  );
}
