import { Select, Text } from '@mantine/core';
import {
  DATE_ORDERS,
  DATE_ORDER_LABELS,
  type DateOrder,
  type DateOrderReason,
  type ImportColumnSuggestion,
} from '../../../shared/import';

const DATE_REASONS: Record<DateOrderReason, string> = {
  values: 'Decided by its values (a first part over 12 is a day)',
  unambiguous: 'Its dates read one way only',
  undecided: 'Its dates read both ways (03/04/1985): choose how they are written',
  conflict: 'Some dates read only day-first, others only month-first: choose one',
  saved: 'As chosen for this header last time',
};

const OPTIONS = DATE_ORDERS.map((o) => ({ value: o, label: DATE_ORDER_LABELS[o] }));

/**
 * How a date column writes its dates: suggested from its values, never guessed. Dates that read
 * one way only (1985-04-03, "3 Apr 1985") are accepted whichever is chosen.
 */
export function DateFormatSelect({
  suggestion,
  order,
  onChange,
}: {
  suggestion: ImportColumnSuggestion;
  order: DateOrder | null;
  onChange(order: DateOrder | null): void;
}) {
  const missing = suggestion.date !== undefined && order === null;
  const why =
    order !== (suggestion.date?.order ?? null)
      ? 'Chosen by you'
      : suggestion.date
        ? DATE_REASONS[suggestion.date.reason]
        : 'No date in the first rows: read as YYYY-MM-DD unless you choose';
  return (
    <>
      <Select
        mt={4}
        aria-label={`Dates in column ${suggestion.column} (${suggestion.header}) are written as`}
        placeholder="Choose how dates are written"
        data={OPTIONS}
        value={order}
        onChange={(v) => onChange(v as DateOrder | null)}
        error={missing ? 'Choose how this column writes its dates' : undefined}
        maw={420}
      />
      <Text size="xs" c="dimmed" mt={2} data-testid={`import-date-reason-${suggestion.column}`}>
        {why}
      </Text>
    </>
  );
}
