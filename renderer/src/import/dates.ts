/** The date columns of a mapping, as the import screen tracks them (issue 17). */
import { FIELD_BY_KEY } from '../../../shared/catalogue';
import {
  FULL_NAME,
  type ColumnTarget,
  type DateFormats,
  type DateOrder,
  type ImportColumnSuggestion,
} from '../../../shared/import';

/** Whether a column imported as `target` holds a date. */
export const isDateTarget = (target: ColumnTarget): boolean =>
  target !== null && target !== FULL_NAME && FIELD_BY_KEY[target].type === 'date';

/** The date formats chosen for the date columns, by field, as the check takes them. */
export function dateFormatsOf(
  targets: readonly ColumnTarget[],
  dates: readonly (DateOrder | null)[],
): DateFormats {
  const out: DateFormats = {};
  targets.forEach((t, i) => {
    const order = dates[i];
    if (t !== null && t !== FULL_NAME && isDateTarget(t) && order) out[t] = order;
  });
  return out;
}

/**
 * Date columns still without a format whose sampled values look like dates: the check waits for
 * the user's choice rather than guess (a column with no date in its sample is read as
 * YYYY-MM-DD, and a value that is not one is reported by the check).
 */
export function undecidedDates(
  columns: readonly ImportColumnSuggestion[],
  targets: readonly ColumnTarget[],
  dates: readonly (DateOrder | null)[],
): ImportColumnSuggestion[] {
  return columns.filter(
    (c, i) => isDateTarget(targets[i] ?? null) && c.date !== undefined && !dates[i],
  );
}
