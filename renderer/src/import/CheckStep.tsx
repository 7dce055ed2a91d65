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
        listed by line, field and reason; their contents are never shown.
      </Text>
      <Group>
        <Button
          variant={report ? 'default' : 'filled'}
          leftSection={report ? <IconRefresh size={16} /> : <IconListCheck size={16} />}
          onClick={() => void flow.check()}
          loading={busy === 'checking'}
          disabled={(busy !== null && busy !== 'checking') || flow.outcome !== null}
        >
          {report ? 'Check again' : 'Check file'}
        </Button>
      </Group>
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
