import { Button, Group, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import type { ImportCheck } from '../../../shared/import';
import { useNavigation } from '../navigation';
import { count, plural } from './format';
import { OutcomeView } from './OutcomeView';
import { JobBar, Step } from './Step';
import type { ImportFlow } from './useImportFlow';

/** Step 3: the valid rows written, all or none; then what was imported. */
export function ImportStep({
  flow,
  report,
  onImport,
}: {
  flow: ImportFlow;
  report: ImportCheck;
  onImport(): void;
}) {
  const navigation = useNavigation();
  const { busy, progress } = flow;
  return (
    <Step number={4} title="Import the valid rows" icon={<IconUsers size={18} />}>
      {flow.outcome ? (
        <OutcomeView
          outcome={flow.outcome}
          onView={() => navigation.showAccounts()}
          onAnother={flow.reset}
        />
      ) : (
        <>
          <Text size="sm">
            The valid rows are written together, or not at all if anything fails. Each account
            records its source as <b>Import</b>, with the file name and today&apos;s date.
          </Text>
          <Group>
            <Button
              onClick={onImport}
              loading={busy === 'importing'}
              disabled={busy !== null && busy !== 'importing'}
            >
              Import {plural(report.rowsValid, 'valid row')}
            </Button>
          </Group>
          {busy === 'importing' && progress && (
            <JobBar
              label="Import progress"
              progress={progress}
              text={(p) =>
                p.done >= p.total
                  ? 'Every row read; saving the accounts…'
                  : `${count.format(p.done)} of ${plural(p.total, 'row')} read`
              }
            />
          )}
        </>
      )}
    </Step>
  );
}
