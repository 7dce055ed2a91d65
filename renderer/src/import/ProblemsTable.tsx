import { Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { FIELD_BY_KEY } from '../../../shared/catalogue';
import {
  IMPORT_PROBLEM_PAGE,
  type ImportCheck,
  type ImportProblemView,
} from '../../../shared/import';
import { useChannel } from '../data';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { ErrorAlert } from '../ui';
import { count, plural } from './format';

const COLUMNS = [
  column<ImportProblemView>('line', 'Line', (p) => p.line, {
    th: { w: 90 },
    td: { ff: 'monospace' },
  }),
  column<ImportProblemView>(
    'field',
    'Field',
    (p) =>
      p.field ? (
        <>
          {FIELD_BY_KEY[p.field].label}{' '}
          <Text span size="xs" c="dimmed" ff="monospace">
            {p.field}
          </Text>
        </>
      ) : (
        <Text span c="dimmed" inherit>
          Whole row
        </Text>
      ),
    { th: { w: 220 } },
  ),
  column<ImportProblemView>('reason', 'Reason', (p) => p.reason),
];

/** The rejected rows, a page at a time (a large file can have millions). */
export function ProblemsTable({ report }: { report: ImportCheck }) {
  const pages = Math.ceil(report.problemsTotal / IMPORT_PROBLEM_PAGE);
  const [page, setPage] = useState(1);
  // The first page came with the report; later ones are asked for.
  const later = useChannel(
    'import.problems',
    {
      token: report.token,
      offset: (page - 1) * IMPORT_PROBLEM_PAGE,
      limit: IMPORT_PROBLEM_PAGE,
    },
    { enabled: page > 1, keepPrevious: true },
  );
  const rows = page === 1 ? report.problems : (later.data?.problems ?? report.problems);
  const loading = page > 1 && later.fetching;
  const first = (page - 1) * IMPORT_PROBLEM_PAGE + 1;
  const last = Math.min(report.problemsTotal, page * IMPORT_PROBLEM_PAGE);
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={4} fz="sm">
            Rejected rows
          </Title>
          <Text size="xs" c="dimmed">
            {report.rowsRejected === 1
              ? 'One row will be skipped'
              : `${count.format(report.rowsRejected)} rows will be skipped`}
            {report.problemsTotal !== report.rowsRejected &&
              ` (${plural(report.problemsTotal, 'problem')})`}
            . Line 1 is the row of column names.
          </Text>
        </div>
        {pages > 1 && (
          <Text size="xs" c="dimmed">
            Problems {count.format(first)}–{count.format(last)} of{' '}
            {count.format(report.problemsTotal)}
          </Text>
        )}
      </Group>
      <ErrorAlert>{page > 1 ? later.error : null}</ErrorAlert>
      <DataTable
        label="Rejected rows"
        data={rows}
        columns={COLUMNS}
        getRowId={(p, i) => `${p.line}-${p.field ?? ''}-${i}`}
        tableProps={{
          striped: true,
          highlightOnHover: false,
          withTableBorder: true,
          verticalSpacing: undefined,
          horizontalSpacing: undefined,
          style: { opacity: loading ? 0.6 : 1 },
          'aria-busy': loading,
        }}
      />
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          size="sm"
          aria-label="Pages of rejected rows"
          getControlProps={(control) => ({
            'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
          })}
          getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
        />
      )}
    </Stack>
  );
}
