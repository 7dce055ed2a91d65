import { Alert, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { ImportCheck } from '../../../shared/import';
import { count, plural } from './format';
import { PreviewTable } from './PreviewTable';
import { ProblemsTable } from './ProblemsTable';

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm" bg="var(--app-stripe)">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} data-testid={`import-${label.toLowerCase()}`}>
        {count.format(value)}
      </Text>
    </Paper>
  );
}

export function ReportView({ report }: { report: ImportCheck }) {
  return (
    <Stack gap="sm" data-testid="import-report" aria-live="polite">
      <SimpleGrid cols={3} maw={560}>
        <Stat label="Rows" value={report.rowsTotal} />
        <Stat label="Valid" value={report.rowsValid} color="teal.8" />
        <Stat
          label="Rejected"
          value={report.rowsRejected}
          {...(report.rowsRejected > 0 ? { color: 'red.8' } : {})}
        />
      </SimpleGrid>
      {report.ignoredColumns.length > 0 && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle size={18} />}
          title="Columns not imported"
          data-testid="import-ignored"
        >
          {report.ignoredColumns.join(', ')}. Map them in step 2 to import their values.
        </Alert>
      )}
      {report.earlierImports.map((earlier) => (
        <Alert
          key={earlier.importId}
          color="red"
          icon={<IconAlertTriangle size={18} />}
          title="This file was imported before"
          data-testid="import-earlier"
        >
          The same file, unchanged, was imported on {earlier.finishedAt.slice(0, 10)} as{' '}
          {earlier.fileName} ({plural(earlier.rowsImported, 'account')}). Importing it again would
          add the same customers twice. To add rows that were not in it, put only those in a new
          file.
        </Alert>
      ))}
      {report.earlierImports.length > 0 ? null : report.rowsValid === 0 ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="No row can be imported">
          Correct the rows listed below, save the file and check it again.
        </Alert>
      ) : report.rowsRejected === 0 ? (
        <Alert color="teal" icon={<IconCircleCheck size={18} />} title="Every row is valid">
          {plural(report.rowsValid, 'row')} can be imported.
        </Alert>
      ) : null}
      {report.earlierImports.length === 0 && <PreviewTable preview={report.preview} />}
      {report.problemsTotal > 0 && <ProblemsTable report={report} />}
    </Stack>
  );
}
