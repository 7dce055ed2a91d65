import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconUsers } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { ImportOutcome } from '../../../shared/import';
import { count, plural } from './format';

export function OutcomeView({
  outcome,
  onView,
  onAnother,
}: {
  outcome: ImportOutcome;
  onView(): void;
  onAnother(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // The outcome is taller than the progress bar it replaces: keep all of it in view. (Braces:
  // Chromium's scrollIntoView now answers a promise, which React would take for a clean-up.)
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <Stack gap="sm" data-testid="import-outcome" ref={ref}>
      <Progress value={100} color="teal" size="lg" aria-label="Import progress" />
      <Alert
        color="teal"
        icon={<IconCircleCheck size={20} />}
        title={`Imported ${plural(outcome.imported, 'account')} from ${outcome.fileName}`}
      >
        <Stack gap={4}>
          {outcome.firstAccountNumber && (
            <Text size="sm">
              {outcome.firstAccountNumber === outcome.lastAccountNumber ? (
                <>
                  New account number <b>{outcome.firstAccountNumber}</b>.
                </>
              ) : (
                <>
                  New account numbers <b>{outcome.firstAccountNumber}</b> to{' '}
                  <b>{outcome.lastAccountNumber}</b>.
                </>
              )}
            </Text>
          )}
          {outcome.skipped > 0 && (
            <Text size="sm">
              {outcome.skipped === 1
                ? 'The rejected row was skipped.'
                : `The ${count.format(outcome.skipped)} rejected rows were skipped.`}
            </Text>
          )}
          <Text size="sm">
            Each account records its source as Import, with the file name and today&apos;s date.
          </Text>
        </Stack>
      </Alert>
      <Group>
        <Button leftSection={<IconUsers size={16} />} onClick={onView}>
          View accounts
        </Button>
        <Button variant="default" onClick={onAnother}>
          Import another file
        </Button>
      </Group>
    </Stack>
  );
}
