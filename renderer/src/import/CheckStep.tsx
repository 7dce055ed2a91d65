import { Button, Group, Text } from '@mantine/core';
import { IconListCheck, IconRefresh } from '@tabler/icons-react';
import { formatBytes } from './format';
import { ReportView } from './ReportView';
import { StageError } from './StageError';
import { JobBar, Step } from './Step';
import type { ImportFlow } from './useImportFlow';

/** Step 2: every row checked, the rejected ones listed. */
export function CheckStep({ flow }: { flow: ImportFlow }) {
  const { report, busy, progress } = flow;
  return (
    <Step number={3} title="Check every row" icon={<IconListCheck size={18} />}>
      <Text size="sm">
        Each row is checked with the rules the console applies to a new account. Rejected rows are
        listed by line, field and reason; their contents are never shown. The first valid rows are
        shown as they will be stored, as your role may see them.
      </Text>
      <Group>
        <Button
          variant={report ? 'default' : 'filled'}
          leftSection={report ? <IconRefresh size={16} /> : <IconListCheck size={16} />}
          onClick={() => void flow.check()}
          loading={busy === 'checking'}
          disabled={
            (busy !== null && busy !== 'checking') ||
            flow.outcome !== null ||
            flow.datesToChoose.length > 0
          }
        >
          {report ? 'Check again' : 'Check file'}
        </Button>
      </Group>
      {flow.datesToChoose.length > 0 && (
        <Text size="sm" c="var(--mantine-color-error)" data-testid="import-dates-to-choose">
          Choose in step 2 how dates are written in{' '}
          {flow.datesToChoose.map((c) => `column ${c.column} (${c.header})`).join(' and ')}: the
          first rows cannot tell whether 03/04/1985 is 3 April or March 4.
        </Text>
      )}
      {busy === 'checking' && progress && (
        <JobBar
          label="Checking progress"
          progress={progress}
          text={(p) => `${formatBytes(p.done)} of ${formatBytes(p.total)} checked`}
        />
      )}
      <StageError error={flow.error} stage="checking" />
      <StageError error={flow.error} stage="importing" />
      {report && <ReportView key={flow.checks} report={report} />}
    </Step>
  );
}
