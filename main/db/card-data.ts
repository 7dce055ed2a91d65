/**
 * Finding card numbers that are already in the database (issue 12 §1): text typed by staff
 * before the card check read cards the way a payment-data scanner does. Each finding names the
 * table, the column and the row, never the value or any of its digits, so that an
 * administrator can redact it. Used by migration 0010 and by main/services/card-findings.ts.
 */
import type { Knex } from 'knex';
import { containsCardNumber } from '../../shared/rules';
import { dbNow, isSqlite } from './connect';

/** A table whose free-text columns staff can type into (directly, or copied into a record). */
export interface CardScanTarget {
  table: string;
  /** The primary key's columns; a finding names its row by their values, joined by "/". */
  key: readonly string[];
  columns: readonly string[];
  /** Append-only by trigger: a finding there cannot be redacted by an ordinary UPDATE. */
  appendOnly: boolean;
  /**
   * Whether a value is a phone number written with its country code after a "+": the phone
   * field admits those (a card number never starts with "+"), so they are not findings.
   */
  phone?: (row: Record<string, unknown>, column: string) => boolean;
  /** Columns read only for `phone`. */
  extra?: readonly string[];
  /** The migration whose tables the target reads: migration 0010 scans only its own. */
  since: '0010';
}

const startsWithPlus = (v: unknown) => typeof v === 'string' && v.trimStart().startsWith('+');

/** Every free-text column staff can put text into, as of migration 0010. */
export const CARD_SCAN_TARGETS: readonly CardScanTarget[] = [
  {
    table: 'accounts',
    key: ['id'],
    // Every text column of the field catalogue (test/integration/card-numbers.test.ts checks
    // the list against shared/catalogue.ts).
    columns: [
      'account_number',
      'first_name',
      'last_name',
      'email',
      'phone',
      'address_line1',
      'address_line2',
      'city',
      'region',
      'postal_code',
      'tax_id',
      'payment_last4',
      'support_notes',
      'fraud_notes',
    ],
    appendOnly: false,
    phone: (row, column) => column === 'phone' && startsWithPlus(row.phone),
    since: '0010',
  },
  {
    table: 'account_changes',
    key: ['id'],
    columns: ['old_value', 'new_value'],
    extra: ['field'],
    appendOnly: true,
    phone: (row, column) => row.field === 'phone' && startsWithPlus(row[column]),
    since: '0010',
  },
  {
    table: 'account_holds',
    key: ['account_id', 'kind'],
    columns: ['note'],
    appendOnly: false,
    since: '0010',
  },
  { table: 'hold_events', key: ['id'], columns: ['note'], appendOnly: true, since: '0010' },
  { table: 'standing_events', key: ['id'], columns: ['note'], appendOnly: true, since: '0010' },
  {
    table: 'collection_batches',
    key: ['id'],
    columns: ['recall_reason', 'filters'],
    appendOnly: false,
    since: '0010',
  },
  {
    table: 'recipients',
    key: ['id'],
    columns: ['name', 'contact', 'reference'],
    appendOnly: false,
    since: '0010',
  },
  {
    table: 'recipient_events',
    key: ['id'],
    columns: ['snapshot'],
    appendOnly: false,
    since: '0010',
  },
  {
    table: 'disclosure_requests',
    key: ['id'],
    columns: ['justification', 'legal'],
    appendOnly: false,
    since: '0010',
  },
  {
    table: 'disclosure_approvals',
    key: ['id'],
    columns: ['note'],
    appendOnly: false,
    since: '0010',
  },
  {
    table: 'disclosure_log',
    key: ['seq'],
    columns: [
      'staff_name',
      'recipient_name',
      'recipient_contact',
      'legal_basis',
      'file_path',
      'refusal',
    ],
    appendOnly: true,
    since: '0010',
  },
  {
    table: 'field_access_changes',
    key: ['id'],
    columns: ['reason'],
    appendOnly: true,
    since: '0010',
  },
  {
    table: 'staff',
    key: ['id'],
    columns: ['username', 'display_name'],
    appendOnly: false,
    since: '0010',
  },
  { table: 'staff_events', key: ['id'], columns: ['detail'], appendOnly: true, since: '0010' },
  { table: 'imports', key: ['id'], columns: ['file_name'], appendOnly: false, since: '0010' },
];

/** Rows read at a time: a table of 1,000,000 accounts is never held in memory at once. */
export const CARD_SCAN_PAGE = 2000;
/** The fewest digits a card number has. */
const MIN_DIGITS = 13;

/**
 * A cheap test in SQL that lets through every value that may hold a card number: at least 13
 * characters, and either at least 13 ASCII digits or a character beyond ASCII (digits of
 * other scripts, invisible characters). Only those rows reach the full check in JavaScript.
 */
function mayHoldCard(db: Knex, column: string): Knex.Raw {
  if (isSqlite(db)) {
    let stripped = '??';
    for (let d = 0; d <= 9; d++) stripped = `replace(${stripped}, '${d}', '')`;
    return db.raw(
      `(length(??) >= ${MIN_DIGITS} AND (length(CAST(?? AS BLOB)) > length(??) OR length(??) - length(${stripped}) >= ${MIN_DIGITS}))`,
      [column, column, column, column, column],
    );
  }
  return db.raw(
    `(char_length(??) >= ${MIN_DIGITS} AND (octet_length(??) > char_length(??) OR char_length(??) - char_length(translate(??, '0123456789', '')) >= ${MIN_DIGITS}))`,
    [column, column, column, column, column],
  );
}

/** Rows after `after` in key order (a keyset page). */
function keyAfter(key: readonly string[], after: unknown[]) {
  return (q: Knex.QueryBuilder) => {
    // (k1 > a1) OR (k1 = a1 AND k2 > a2) ...
    key.forEach((_k, i) => {
      q.orWhere((w) => {
        for (let j = 0; j < i; j++) void w.where(key[j]!, after[j] as Knex.Value);
        void w.where(key[i]!, '>', after[i] as Knex.Value);
      });
    });
  };
}

export const rowIdOf = (target: CardScanTarget, row: Record<string, unknown>) =>
  target.key.map((k) => String(row[k])).join('/');

/** Whether one value of a row holds a card number, by the same rule as the input check. */
function holdsCard(target: CardScanTarget, row: Record<string, unknown>, column: string): boolean {
  const value = row[column];
  if (typeof value !== 'string') return false;
  if (target.phone?.(row, column)) return false;
  return containsCardNumber(value);
}

export interface CardScanResult {
  rowsRead: number;
  findings: number;
}

/**
 * Scans the targets' columns page by page and records a finding per (table, column, row) that
 * holds a card number; findings already recorded are kept as they are.
 */
export async function scanForCardData(
  db: Knex,
  targets: readonly CardScanTarget[] = CARD_SCAN_TARGETS,
): Promise<CardScanResult> {
  const result: CardScanResult = { rowsRead: 0, findings: 0 };
  for (const target of targets) {
    let after: unknown[] | null = null;
    for (;;) {
      const q = db(target.table)
        .select([...target.key, ...(target.extra ?? []), ...target.columns])
        .where((w) => {
          for (const c of target.columns) void w.orWhere(mayHoldCard(db, c));
        })
        .orderBy([...target.key])
        .limit(CARD_SCAN_PAGE);
      if (after) void q.andWhere(keyAfter(target.key, after));
      const rows = (await q) as Record<string, unknown>[];
      result.rowsRead += rows.length;
      const found = rows.flatMap((row) =>
        target.columns
          .filter((c) => holdsCard(target, row, c))
          .map((c) => ({
            table_name: target.table,
            column_name: c,
            row_id: rowIdOf(target, row),
            append_only: target.appendOnly,
            found_at: dbNow(db),
          })),
      );
      if (found.length > 0) {
        await db('card_data_findings')
          .insert(found)
          .onConflict(['table_name', 'column_name', 'row_id'])
          .ignore();
        result.findings += found.length;
      }
      if (rows.length < CARD_SCAN_PAGE) break;
      const last = rows[rows.length - 1]!;
      after = target.key.map((k) => last[k]);
    }
  }
  return result;
}

/** Creates the findings table (migration 0010). */
export async function createFindingsTable(db: Knex): Promise<void> {
  await db.schema.createTable('card_data_findings', (t) => {
    t.increments('id').primary();
    t.string('table_name', 64).notNullable();
    t.string('column_name', 64).notNullable();
    // The row's primary key (columns joined by "/"): never the value or any of its digits.
    t.string('row_id', 200).notNullable();
    t.boolean('append_only').notNullable();
    t.string('found_at', 30).notNullable();
    t.string('resolved_at', 30).nullable();
    t.unique(['table_name', 'column_name', 'row_id']);
    t.index(['resolved_at', 'id'], 'card_data_findings_open');
  });
}

export interface CardFindingRow {
  id: number;
  table: string;
  column: string;
  rowId: string;
  appendOnly: boolean;
  foundAt: string;
  resolvedAt: string | null;
}

function toFinding(r: Record<string, unknown>): CardFindingRow {
  return {
    id: Number(r.id),
    table: String(r.table_name),
    column: String(r.column_name),
    rowId: String(r.row_id),
    appendOnly: Boolean(r.append_only),
    foundAt: String(r.found_at),
    resolvedAt: r.resolved_at == null ? null : String(r.resolved_at),
  };
}

/** Findings in the order they were recorded, open ones only unless asked. */
export async function listFindings(
  db: Knex,
  opts: { includeResolved?: boolean; afterId?: number; limit?: number } = {},
): Promise<CardFindingRow[]> {
  const q = db('card_data_findings')
    .where('id', '>', opts.afterId ?? 0)
    .orderBy('id')
    .limit(opts.limit ?? 500);
  if (!opts.includeResolved) void q.whereNull('resolved_at');
  return ((await q) as Record<string, unknown>[]).map(toFinding);
}

export async function countOpenFindings(db: Knex): Promise<number> {
  const row = (await db('card_data_findings')
    .whereNull('resolved_at')
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Reads each open finding's value again: a finding whose row is gone, or whose text no longer
 * holds a card number (an administrator redacted it), is marked resolved. Returns how many
 * were resolved and how many stay open.
 */
export async function recheckFindings(db: Knex): Promise<{ resolved: number; open: number }> {
  const byTable = new Map(CARD_SCAN_TARGETS.map((t) => [t.table, t]));
  let resolved = 0;
  let open = 0;
  let afterId = 0;
  for (;;) {
    const page = await listFindings(db, { afterId, limit: CARD_SCAN_PAGE });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    for (const f of page) {
      const target = byTable.get(f.table);
      if (!target) {
        // Recorded by a scan this version does not know: left for that version to judge.
        open++;
        continue;
      }
      const ids = f.rowId.split('/');
      const row = (await db(target.table)
        .where(Object.fromEntries(target.key.map((k, i) => [k, ids[i]!])))
        .first([...(target.extra ?? []), f.column])) as Record<string, unknown> | undefined;
      if (row && holdsCard(target, row, f.column)) {
        open++;
        continue;
      }
      await db('card_data_findings')
        .where({ id: f.id })
        .update({ resolved_at: dbNow(db) });
      resolved++;
    }
  }
  return { resolved, open };
}
