import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import {
  FIELDS,
  FIELD_BY_KEY,
  isFieldKey,
  type FieldKey,
  type ProvenanceSource,
} from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { postalCodeProblem } from '../../../shared/rules';
import type {
  AccountDetail,
  AccountPage,
  FieldChange,
  FieldValue,
  HistoryEntry,
} from '../../../shared/types';
import { canEdit, type AccessMap } from '../../../shared/visibility';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import { dbNow, toIso } from '../../db/connect';
import type { HotStatements } from '../../db/engine/hot-statements';
import { unpackRows } from '../../db/engine/packed-rows';
import { maskValue } from '../../policy/masks';
import {
  cellsProjector,
  projectFields,
  rowProjector,
  visibleAccess,
} from '../../policy/visibility';
import {
  accountNumber,
  rowToValues,
  valuesToColumns,
  type AccountRecord,
} from '../../db/stores/account-row';
import { encodeCursor, type CursorValue } from './keyset';
import {
  matchCountQueries,
  pageQuery,
  windowEndQuery,
  windowedPageQuery,
  type ListQuery,
  type PageQuery,
} from './list-query';
import type { AccessSource } from '../visibility';

export type { ListQuery } from './list-query';

export interface Actor {
  staffId: string;
  role: Role;
}

export interface Provenance {
  source: ProvenanceSource;
  date: string;
}

type Values = Partial<Record<FieldKey, FieldValue>>;

/** The column the matrix revision is selected in, beside the rows it projects. */
const REVISION = 'matrix_revision';
/** Accounts an export reads per statement. */
const EXPORT_CHUNK = 2000;
/** Accounts of the sort column's index an export walks per statement, when it walks it. */
export const EXPORT_WINDOW = 16_000;
/** Answers tried with a fresh matrix before giving up (only while it keeps changing). */
const ATTEMPTS = 3;

export class AccountsService {
  private readonly accessFor: (role: Role) => Promise<AccessMap>;

  constructor(
    private readonly db: Knex,
    private readonly visibility: AccessSource,
    /** Runs the list's and the detail's reads (main/db/hot-statements.ts); knex when absent. */
    private readonly hot: Pick<HotStatements, 'all'> = { all: async (q) => await q },
  ) {
    this.accessFor = (role) => visibility.accessFor(role);
  }

  /**
   * Runs `read` with the role's access from memory; `read` selects the matrix revision with its
   * rows and answers the revision it saw (null: it read no row). An answer projected with a
   * matrix that is no longer the one in force is thrown away and read again with the new one.
   */
  private async withAccess<T>(
    role: Role,
    read: (
      access: Readonly<AccessMap>,
      revision: Knex.Raw,
    ) => Promise<{ value: T; revision: number | null }>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.visibility.cachedAccess(role);
      const answer = await read(current.access, this.visibility.revisionColumn(this.db));
      const seen = answer.revision ?? (await this.visibility.revision());
      if (seen === current.revision) return answer.value;
      this.visibility.invalidate();
      if (attempt === ATTEMPTS) {
        throw new AppError(
          'CONFLICT',
          'The access matrix is being changed right now. Try again in a moment.',
        );
      }
    }
  }

  async list(actor: Actor, q: ListQuery): Promise<AccountPage> {
    return this.withAccess(actor.role, async (access, revision) => {
      const computed = [[REVISION, revision]] as const;
      const read = async (page: PageQuery) =>
        unpackRows(this.db, await this.hot.all(page.query), page.columns);
      // A search sorted by a column: first the accounts nearest the cursor in that order; if
      // they hold less than a page, the search's own ranges.
      let chosen = windowedPageQuery(this.db, access, q, computed);
      let rows = chosen ? await read(chosen) : [];
      if (!chosen || rows.length <= q.limit) {
        chosen = pageQuery(this.db, access, q, computed);
        rows = await read(chosen);
      }
      const { columns, cursorColumn, searchKind } = chosen;
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const [id, cursorAt] = [columns.indexOf('id'), columns.indexOf(cursorColumn)];
      const project = rowProjector(access, columns);
      const last = page.at(-1);
      return {
        revision: rows.length > 0 ? Number(rows[0]![columns.indexOf(REVISION)]) : null,
        value: {
          rows: page.map((r) => ({ id: String(r[id]), fields: project(r) })),
          nextCursor:
            more && last ? encodeCursor(last[cursorAt] as CursorValue, String(last[id])) : null,
          access: visibleAccess(access),
          searchKind,
        },
      };
    });
  }

  /**
   * Every account a list query selects, in its order, as the values of `fields` the role may see
   * (masked where masked): for exports, which stream. Read in chunks of EXPORT_CHUNK accounts,
   * each with the matrix revision; a matrix change during the export ends it with an error
   * (the export writer then leaves no file).
   */
  async *exportRows(
    actor: Actor,
    q: Omit<ListQuery, 'cursor' | 'limit'>,
    fields: readonly FieldKey[],
    /** Tests choose how a search sorted by a column is read, and the window's size. */
    how: { walk?: boolean; window?: number } = {},
  ): AsyncGenerator<FieldValue[][]> {
    const window = how.window ?? EXPORT_WINDOW;
    const { access, revision } = await this.visibility.cachedAccess(actor.role);
    const computed = [[REVISION, this.visibility.revisionColumn(this.db)] as const];
    /** A chunk's rows, their columns, and the cursor of the next chunk (null: the last). */
    interface Chunk {
      rows: unknown[][];
      columns: string[];
      next: string | null;
    }
    const fromRanges = async (cursor: string | undefined): Promise<Chunk> => {
      const page = pageQuery(
        this.db,
        access,
        { ...q, limit: EXPORT_CHUNK, cursor },
        computed,
        fields,
      );
      const rows = unpackRows(this.db, await this.hot.all(page.query), page.columns);
      const last = rows.length > EXPORT_CHUNK ? rows[EXPORT_CHUNK - 1] : undefined;
      const at = (name: string) => page.columns.indexOf(name);
      return {
        rows: last ? rows.slice(0, EXPORT_CHUNK) : rows,
        columns: page.columns,
        next: last
          ? encodeCursor(last[at(page.cursorColumn)] as CursorValue, String(last[at('id')]))
          : null,
      };
    };
    // A search sorted by a column that matches many accounts is read window by window along the
    // sort column's index: once through the table. Read from its ranges, each chunk would read
    // the sort key of every match still to come (35 s for "m" by account number at 1,000,000).
    const alongIndex = async (cursor: string | undefined): Promise<Chunk> => {
      const at = { ...q, limit: window, cursor };
      const [end] = (await this.hot.all(windowEndQuery(this.db, at, window))) as {
        window_key: CursorValue;
        id: string;
      }[];
      // Read up to the window's last account rather than a count of accounts, so that one
      // added meanwhile cannot push the last out of this window and out of the next.
      const page = windowedPageQuery(this.db, access, at, computed, {
        window,
        fields,
        ...(end ? { until: [end.window_key, String(end.id)] as const } : {}),
      })!;
      const rows = unpackRows(this.db, await this.hot.all(page.query), page.columns);
      return {
        rows,
        columns: page.columns,
        next: end ? encodeCursor(end.window_key, String(end.id)) : null,
      };
    };
    const walk = how.walk ?? (await this.exportWalksIndex(access, q));
    const read =
      walk && windowedPageQuery(this.db, access, { ...q, limit: 1 }) ? alongIndex : fromRanges;
    let next: Promise<Chunk> | null = read(undefined);
    while (next) {
      const { rows, columns, next: cursor }: Chunk = await next;
      if (rows.length > 0 && Number(rows[0]![columns.indexOf(REVISION)]) !== revision) {
        this.visibility.invalidate();
        throw new AppError(
          'CONFLICT',
          'The access matrix changed during the export, so nothing was exported. Export again.',
        );
      }
      // The next chunk is read while this one is projected and written.
      next = cursor === null ? null : read(cursor);
      // Settled by the loop, or left behind when the consumer stops: never unhandled.
      next?.catch(() => undefined);
      if (rows.length > 0) yield rows.map(cellsProjector(access, columns, fields));
    }
  }

  /**
   * Whether an export walks the sort column's index rather than the search's ranges: for a
   * search sorted by a column, when reading the ranges chunk by chunk (matches squared over twice
   * the chunk) would read more than walking the whole table once.
   */
  private async exportWalksIndex(
    access: Readonly<AccessMap>,
    q: Omit<ListQuery, 'cursor' | 'limit'>,
  ): Promise<boolean> {
    const probe = { ...q, limit: 1 };
    if (!windowedPageQuery(this.db, access, probe)) return false;
    const count = async (query: Knex.QueryBuilder) =>
      Number(((await query) as { n: number | string }[])[0]?.n ?? 0);
    const [matchesQuery, allQuery] = matchCountQueries(this.db, access, probe);
    const [matches, all] = await Promise.all([count(matchesQuery), count(allQuery)]);
    return matches * matches > 2 * EXPORT_CHUNK * all;
  }

  async get(actor: Actor, id: string): Promise<AccountDetail> {
    return this.withAccess(actor.role, async (access, revision) => {
      const [row] = (await this.hot.all(
        this.db('accounts')
          .where({ id })
          .select('*', this.db.raw('? as ??', [revision, REVISION]))
          .limit(1),
      )) as AccountRecord[];
      // Says nothing any role may not know, whatever the matrix.
      if (!row) throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
      return { revision: Number(row[REVISION]), value: this.detail(row, access) };
    });
  }

  private detail(row: AccountRecord, access: Readonly<AccessMap>): AccountDetail {
    return {
      id: row.id,
      version: Number(row.version),
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
      fields: projectFields(rowToValues(row), access),
      access: visibleAccess(access),
    };
  }

  async create(actor: Actor, fields: Values, provenance: Provenance): Promise<AccountDetail> {
    const access = await this.accessFor(actor.role);
    const values = stripUndefined(fields);
    this.requireEditable(actor.role, access, Object.keys(values) as FieldKey[]);
    const merged: Record<FieldKey, FieldValue> = { ...defaults(), ...values };
    merged.provenanceSource = provenance.source;
    merged.provenanceDate = provenance.date;
    checkRecord(merged, Object.keys(values) as FieldKey[]);

    const id = uuidv7();
    await this.db.transaction(async (trx) => {
      const number = await nextAccountNumber(trx);
      const now = dbNow(trx);
      const all = Object.fromEntries(FIELDS.map((f) => [f.key, merged[f.key]])) as Values;
      await trx('accounts').insert({
        ...valuesToColumns(all, merged),
        id,
        account_number: number,
        created_at: now,
        updated_at: now,
        updated_by: actor.staffId,
        version: 1,
      });
      await recordProvenance(trx, actor, id, 'created', provenance, values, null);
    });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    version: number,
    changes: Values,
    provenance: Provenance,
  ): Promise<AccountDetail> {
    const access = await this.accessFor(actor.role);
    const requested = stripUndefined(changes);
    this.requireEditable(actor.role, access, Object.keys(requested) as FieldKey[]);

    return this.db.transaction(async (trx) => {
      const row = await trx<AccountRecord>('accounts').where({ id }).first();
      if (!row) throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
      if (Number(row.version) !== version) throw this.conflict(row, access);

      const current = rowToValues(row);
      const diff: Values = {};
      for (const [key, value] of Object.entries(requested) as [FieldKey, FieldValue][]) {
        if (current[key] !== value) diff[key] = value;
      }
      if (Object.keys(diff).length === 0) return this.detail(row, access);

      const merged = { ...current, ...diff };
      checkRecord(merged, Object.keys(diff) as FieldKey[]);
      const updated = await trx('accounts')
        .where({ id, version })
        .update({
          ...valuesToColumns(diff, merged),
          updated_at: dbNow(trx),
          updated_by: actor.staffId,
          version: version + 1,
        });
      if (updated !== 1) {
        const fresh = await trx<AccountRecord>('accounts').where({ id }).first();
        throw this.conflict(fresh ?? row, access);
      }
      await recordProvenance(trx, actor, id, 'updated', provenance, diff, current);
      const after = await trx<AccountRecord>('accounts').where({ id }).first();
      return this.detail(after!, access);
    });
  }

  /**
   * Field-level history, oldest first. Each old and new value is shown only as far as the
   * viewer's role may see that field: hidden fields are left out, masked ones masked.
   */
  async history(actor: Actor, id: string): Promise<HistoryEntry[]> {
    const access = await this.accessFor(actor.role);
    const exists = await this.db('accounts').where({ id }).first('id');
    if (!exists) throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
    const events = await this.db('account_provenance as p')
      .leftJoin('staff as s', 's.id', 'p.staff_id')
      .where('p.account_id', id)
      .orderBy('p.id')
      .select('p.id', 'p.event', 'p.source', 'p.source_date', 'p.recorded_at', 's.display_name');
    const changes = await this.db('account_changes').where({ account_id: id }).orderBy('field');
    const byEvent = new Map<string, typeof changes>();
    for (const c of changes)
      byEvent.set(c.provenance_id, [...(byEvent.get(c.provenance_id) ?? []), c]);
    return events.map((e) => ({
      id: e.id,
      event: e.event,
      at: toIso(e.recorded_at),
      by: e.display_name ?? 'System (seed or import)',
      source: e.source,
      sourceDate: e.source_date,
      changes: (byEvent.get(e.id) ?? []).flatMap((c): FieldChange[] => {
        const key: unknown = c.field;
        if (typeof key !== 'string' || !isFieldKey(key)) return [];
        const field = FIELD_BY_KEY[key];
        const a = access[key];
        if (a === 'hidden') return [];
        const show = (v: string | null): FieldValue => {
          const value =
            v === null ? null : field.type === 'money' || field.type === 'integer' ? Number(v) : v;
          return a === 'masked' ? maskValue(field, value) : value;
        };
        return [
          {
            field: key,
            label: field.label,
            access: a,
            oldValue: show(c.old_value),
            newValue: show(c.new_value),
          },
        ];
      }),
    }));
  }

  private conflict(row: AccountRecord, access: AccessMap): AppError {
    return new AppError(
      'CONFLICT',
      'Someone else saved this account after you opened it, so your changes were not saved. Your edits are still in the form: compare them with the current values and save again.',
      { details: { current: this.detail(row, access) } },
    );
  }

  private requireEditable(role: Role, access: AccessMap, keys: readonly FieldKey[]): void {
    const refused = keys.filter((k) => !canEdit(access[k]));
    if (refused.length === 0) return;
    const fieldErrors = Object.fromEntries(
      refused.map((k) => [k, `Your role (${ROLE_LABELS[role]}) may not change this field.`]),
    );
    throw new AppError(
      'FORBIDDEN',
      `Your role (${ROLE_LABELS[role]}) may not change: ${refused.map((k) => FIELD_BY_KEY[k].label).join(', ')}.`,
      { fieldErrors },
    );
  }
}

function stripUndefined(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Values;
}

function defaults(): Record<FieldKey, FieldValue> {
  const out = Object.fromEntries(FIELDS.map((f) => [f.key, null])) as Record<FieldKey, FieldValue>;
  out.balanceCents = 0;
  out.currency = 'USD';
  out.standing = 'good';
  out.fraudFlag = 'none';
  out.daysPastDue = 0;
  return out;
}

/** Rules across fields, checked on the record as it would be saved. */
function checkRecord(merged: Record<FieldKey, FieldValue>, touched: readonly FieldKey[]): void {
  const fieldErrors: Record<string, string> = {};
  for (const f of FIELDS) {
    if (f.required && (merged[f.key] === null || merged[f.key] === '')) {
      fieldErrors[f.key] = `${f.label} is required.`;
    }
  }
  if (merged.postalCode && (touched.includes('postalCode') || touched.includes('country'))) {
    const problem = postalCodeProblem(String(merged.postalCode), merged.country as string | null);
    if (problem) fieldErrors.postalCode = problem;
  }
  if (
    (merged.paymentBrand === null) !== (merged.paymentLast4 === null) &&
    (touched.includes('paymentBrand') || touched.includes('paymentLast4'))
  ) {
    fieldErrors[merged.paymentBrand === null ? 'paymentBrand' : 'paymentLast4'] =
      'Record the card brand and its last 4 digits together.';
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError('VALIDATION', 'Some fields need attention.', { fieldErrors });
  }
}

async function nextAccountNumber(trx: Knex.Transaction): Promise<string> {
  // The counter row is updated inside the creating transaction, so two creations never share a number.
  const rows = await trx('counters')
    .where({ name: 'account_number' })
    .increment('value', 1)
    .returning('value');
  const value = Number((rows as { value: number | string }[])[0]?.value);
  return accountNumber(value);
}

async function recordProvenance(
  trx: Knex.Transaction,
  actor: Actor,
  accountId: string,
  event: 'created' | 'updated',
  provenance: Provenance,
  changed: Values,
  before: Record<FieldKey, FieldValue> | null,
): Promise<void> {
  const provenanceId = uuidv7();
  const keys = Object.keys(changed) as FieldKey[];
  await trx('account_provenance').insert({
    id: provenanceId,
    account_id: accountId,
    event,
    source: provenance.source,
    source_date: provenance.date,
    fields: JSON.stringify(keys),
    staff_id: actor.staffId,
    recorded_at: dbNow(trx),
  });
  if (keys.length === 0) return;
  await trx('account_changes').insert(
    keys.map((key) => ({
      id: uuidv7(),
      provenance_id: provenanceId,
      account_id: accountId,
      field: key,
      old_value: before ? stringOrNull(before[key]) : null,
      new_value: stringOrNull(changed[key] ?? null),
    })),
  );
}

function stringOrNull(v: FieldValue): string | null {
  return v === null ? null : String(v);
}
