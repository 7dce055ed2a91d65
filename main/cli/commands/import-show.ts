/**
 * What `import` decides and shows besides the check itself (issue 17): how the date columns are
 * read (--date-format, or the order a column's values decide) and the preview of the first rows
 * as they will be stored.
 */
import type { Knex } from 'knex';
import { FIELD_BY_KEY } from '../../../shared/catalogue';
import {
  DATE_ORDERS,
  DATE_ORDER_LABELS,
  FULL_NAME,
  IMPORTABLE_DATE_KEYS,
  dateOrderSchema,
  type ColumnTarget,
  type DateFormats,
  type DateOrder,
  type ImportColumnSuggestion,
  type ImportPreview,
} from '../../../shared/import';
import { isoDate } from '../../../shared/schemas';
import { DEFAULT_MATRIX } from '../../../shared/visibility';
import { VisibilityService } from '../../services/visibility';
import { projectPreview } from '../../services/import/preview';
import { printable } from '../../services/import/rules';
import type { PreviewRow } from '../../services/import/preview';
import type { ImportProblem } from '../../services/import/service';
import { CliError, UsageError } from '../errors';

/** The order --date-format names, or undefined when it is not given. */
export function dateFormatOption(value: unknown): DateOrder | undefined {
  if (value === undefined) return undefined;
  const parsed = dateOrderSchema.safeParse(typeof value === 'string' ? value.toUpperCase() : '');
  if (parsed.success) return parsed.data;
  throw new UsageError(
    `--date-format is one of ${DATE_ORDERS.join(', ')}: ${DATE_ORDERS.map((o) => `${o} ${DATE_ORDER_LABELS[o]}`).join('; ')}.`,
  );
}

/**
 * A hint when dates were refused for not being YYYY-MM-DD and no format was said: the file may
 * write them another way (null: no such problem).
 */
export function dateFormatHint(problems: readonly ImportProblem[]): string | null {
  const dated = problems.some(
    (p) => p.field !== null && FIELD_BY_KEY[p.field].type === 'date' && p.reason === ISO_REASON,
  );
  return dated
    ? 'Dates are read as YYYY-MM-DD. If the file writes them another way (03/04/1985, 3.4.1985, Excel day numbers), say how with --date-format DMY, MDY, YMD or SERIAL.'
    : null;
}

/** The shared rules' reason for a date not in the form YYYY-MM-DD, as they word it. */
const ISO_REASON = isoDate.safeParse('not a date').error?.issues[0]?.message;

/** --date-format for every date field: a date that reads one way only is accepted in any order. */
export const everyDateField = (order: DateOrder): DateFormats =>
  Object.fromEntries(IMPORTABLE_DATE_KEYS.map((k) => [k, order]));

/**
 * The date formats of the mapped date columns, from their values. A column whose values read
 * both ways (03/04/1985) is refused: the order is the user's to say, never guessed.
 */
export function datesFromValues(columns: readonly ImportColumnSuggestion[]): DateFormats {
  const out: DateFormats = {};
  const undecided: string[] = [];
  for (const c of columns) {
    if (c.target === null || c.target === FULL_NAME || FIELD_BY_KEY[c.target].type !== 'date') {
      continue;
    }
    if (c.date?.order) out[c.target] = c.date.order;
    else if (c.date) undecided.push(`column ${c.column} (${c.header})`);
  }
  if (undecided.length > 0) {
    throw new CliError(
      `The first rows of ${undecided.join(' and ')} do not say whether dates such as 03/04/1985 are day/month/year or month/day/year. Say which with --date-format DMY or --date-format MDY. Nothing was checked or imported.`,
    );
  }
  return out;
}

/** How a mapped column is shown in the mapping: its target and, for a date, how it is read. */
export function mappingLine(c: ImportColumnSuggestion, dates: DateFormats): string {
  const to =
    c.target === null
      ? 'not imported'
      : c.target === FULL_NAME
        ? 'firstName and lastName (a whole name, split)'
        : c.target;
  const order = c.target !== null && c.target !== FULL_NAME ? dates[c.target] : undefined;
  const read = order ? `, dates read as ${DATE_ORDER_LABELS[order]}` : '';
  return `  ${c.column} ${c.header} -> ${to} (${c.reason})${read}`;
}

/** The targets of a suggestion, as the check takes them. */
export const targetsOf = (columns: readonly ImportColumnSuggestion[]): ColumnTarget[] =>
  columns.map((c) => c.target);

/**
 * The preview as the administrator role may see it: the command line runs with the database's
 * key, as an administrator would, and shows no more than an administrator's screen does.
 */
export async function previewForCli(
  db: Knex | null,
  rows: readonly PreviewRow[],
): Promise<ImportPreview> {
  const access = db
    ? await new VisibilityService(db).accessFor('administrator')
    : DEFAULT_MATRIX.administrator;
  return projectPreview(rows, access);
}

/** The preview as lines of text: one row a line, each field by its key. */
export function previewLines(preview: ImportPreview): string[] {
  if (preview.rows.length === 0) return [];
  const lines = [
    `${preview.rows.length === 1 ? 'The first row as it' : `The first ${preview.rows.length} rows as they`} will be stored (as an administrator sees them):`,
  ];
  for (const row of preview.rows) {
    const cells = preview.fields.map((k) => {
      const v = row.values[k];
      const shown =
        v === null || v === undefined
          ? k === 'accountNumber'
            ? '(a new number)'
            : '(blank)'
          : printable(String(v));
      return `${k} ${shown}`;
    });
    lines.push(`  line ${row.line}: ${cells.join(', ')}`);
  }
  if (preview.hidden.length > 0) {
    lines.push(`  Not shown (an administrator may not read them): ${preview.hidden.join(', ')}.`);
  }
  return lines;
}
