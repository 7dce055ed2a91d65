import { Alert, Select, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconColumns } from '@tabler/icons-react';
import { FIELD_BY_KEY, type FieldKey } from '../../../shared/catalogue';
import {
  FULL_NAME,
  IMPORTABLE_FIELD_KEYS,
  type ColumnTarget,
  type DateOrder,
  type ImportColumnSuggestion,
  type SuggestionReason,
} from '../../../shared/import';
import { useSession } from '../session';
import { DateFormatSelect } from './DateFormatSelect';
import { isDateTarget } from './dates';
import { Step } from './Step';
import type { ImportFlow } from './useImportFlow';

const NOT_IMPORTED = '';

const REASONS: Record<SuggestionReason, string> = {
  'field key': 'Named by its field key',
  'header name': 'Suggested from its name',
  values: 'Suggested from its values',
  saved: 'As mapped for this header last time',
  duplicate: 'Another column already has this field',
  unknown: 'Not recognised: not imported unless you choose a field',
};

/**
 * The targets offered: a whole name, the account number and every importable field, those the
 * role may not set shown but disabled (main refuses them too), so that a column suggested for
 * one says so rather than showing blank.
 */
function useTargetOptions() {
  const { session } = useSession();
  const settable = (k: FieldKey) => k === 'accountNumber' || session.fieldAccess[k] === 'edit';
  const names = settable('firstName') && settable('lastName');
  return [
    { value: NOT_IMPORTED, label: 'Not imported', disabled: false },
    { value: FULL_NAME, label: 'Full name (split into first and last)', disabled: !names },
    ...IMPORTABLE_FIELD_KEYS.map((k) => ({
      value: k,
      label: `${FIELD_BY_KEY[k].label} (${k})${settable(k) ? '' : ' (your role may not set it)'}`,
      disabled: !settable(k),
    })),
  ];
}

function ColumnRow({
  suggestion,
  target,
  date,
  options,
  onChange,
  onDate,
}: {
  suggestion: ImportColumnSuggestion;
  target: ColumnTarget;
  date: DateOrder | null;
  options: { value: string; label: string; disabled: boolean }[];
  onChange(target: ColumnTarget): void;
  onDate(order: DateOrder | null): void;
}) {
  const changed = target !== suggestion.target;
  return (
    <Table.Tr>
      <Table.Td ff="monospace">{suggestion.column}</Table.Td>
      <Table.Td>{suggestion.header}</Table.Td>
      <Table.Td>
        <Select
          aria-label={`Import column ${suggestion.column} (${suggestion.header}) as`}
          data={options}
          value={target ?? NOT_IMPORTED}
          allowDeselect={false}
          onChange={(v) => onChange(v === null || v === NOT_IMPORTED ? null : (v as ColumnTarget))}
          maw={320}
        />
        {isDateTarget(target) && (
          <DateFormatSelect suggestion={suggestion} order={date} onChange={onDate} />
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {changed ? 'Chosen by you' : REASONS[suggestion.reason]}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * Step 2: what each column of the file becomes, suggested by main from the header and a sample
 * of values, confirmed or changed here. main checks the mapping again before it reads a row.
 */
export function MapStep({ flow }: { flow: ImportFlow }) {
  const options = useTargetOptions();
  const proposal = flow.file?.mapping;
  if (!proposal) return null;
  const left = proposal.columns.filter((c) => flow.targets[c.column - 1] === null);
  return (
    <Step number={2} title="Map the columns" icon={<IconColumns size={18} />}>
      <Text size="sm">
        Choose what each column of the file becomes. A whole-name column is split: at the comma for
        &ldquo;Surname, Given names&rdquo;; otherwise the last word is the surname (with van, de, …
        before it and Jr., III after it). A single word is refused, as every account needs a first
        and a last name. For a date column, say how its dates are written when its first rows cannot
        tell (03/04/1985 is 3 April or March 4).
      </Text>
      {proposal.problem && <Text c="red.8">{proposal.problem}</Text>}
      {proposal.columns.length > 0 && (
        <Table aria-label="Column mapping" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Column</Table.Th>
              <Table.Th>Header in the file</Table.Th>
              <Table.Th>Import as</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {proposal.columns.map((c) => (
              <ColumnRow
                key={c.column}
                suggestion={c}
                target={flow.targets[c.column - 1] ?? null}
                date={flow.dates[c.column - 1] ?? null}
                options={options}
                onChange={(t) => flow.retarget(c.column - 1, t)}
                onDate={(d) => flow.redate(c.column - 1, d)}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {left.length > 0 && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Columns not imported">
          {left.map((c) => c.header).join(', ')}: their values will not be stored.
        </Alert>
      )}
    </Step>
  );
}
