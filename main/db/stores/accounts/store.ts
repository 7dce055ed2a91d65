/**
 * The accounts store: the only reader and writer of `accounts`, `account_provenance` and
 * `account_changes` for the console's own use cases (list, detail, export, create, edit,
 * history). Its hottest reads run through the hot statements, select the matrix revision in the
 * same statement, and come back packed on SQLite (main/db/engine).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { FieldKey, ProvenanceSource, SearchKind } from '../../../../shared/catalogue';
import type { FieldValue, VisibleFields } from '../../../../shared/types';
import type { AccessMap } from '../../../../shared/visibility';
import type { FieldRule } from '../../../policy/visibility';
import type { HotStatements } from '../../engine/hot-statements';
import { unpackRows } from '../../engine/packed-rows';
import { cellsProjector, rowProjector } from '../../engine/row-projection';
import { matrixRevisionColumn } from '../visibility';
import type { AccountRecord } from './account-row';
import { encodeCursor, type CursorValue } from './keyset';
import {
  matchCountQueries,
  pageQuery,
  windowEndQuery,
  windowedPageQuery,
  type ListQuery,
  type PageQuery,
} from './list-query';
import { AccountWriter } from './writer';

export type { ListQuery } from './list-query';
export { AccountWriter, type ProvenanceEntry } from './writer';

/** The column the matrix revision is selected in, beside the rows it projects. */
const REVISION = 'matrix_revision';
/** Accounts an export reads per statement. */
const EXPORT_CHUNK = 2000;
/** Accounts of the sort column's index an export walks per statement, when it walks it. */
export const EXPORT_WINDOW = 16_000;

/** A page of the list, projected by the rules, and the matrix revision its rows were read at. */
export interface AccountRowsPage {
  rows: { id: string; fields: VisibleFields }[];
  nextCursor: string | null;
  searchKind: SearchKind | null;
  /** null: no row was read. */
  revision: number | null;
}

/** A chunk of an export and the matrix revision it was read at (null: empty). */
export interface ExportChunk {
  /** Its rows, projected by the rules (asked for when first needed). */
  project(): FieldValue[][];
  rows: number;
  revision: number | null;
}

/** A chunk's rows, their columns, and the cursor of the next chunk (null: the last). */
interface Chunk {
  rows: unknown[][];
  columns: string[];
  next: string | null;
}

export class AccountsStore {
  constructor(
    private readonly db: Knex,
    /** Runs the list's and the detail's reads (main/db/engine/hot-statements.ts). */
    private readonly hot: Pick<HotStatements, 'all'> = { all: async (q) => await q },
  ) {}

  private computed(): readonly (readonly [string, Knex.Raw])[] {
    return [[REVISION, matrixRevisionColumn(this.db)]];
  }

  private async read(page: PageQuery): Promise<unknown[][]> {
    return unpackRows(this.db, await this.hot.all(page.query), page.columns);
  }

  /** A page of the list as `access` may search it, each row projected by `rules`. */
  async page(
    access: Readonly<AccessMap>,
    rules: readonly FieldRule[],
    q: ListQuery,
  ): Promise<AccountRowsPage> {
    const computed = this.computed();
    // A search sorted by a column: first the accounts nearest the cursor in that order; if
    // they hold less than a page, the search's own ranges.
    let chosen = windowedPageQuery(this.db, access, q, computed);
    let rows = chosen ? await this.read(chosen) : [];
    if (!chosen || rows.length <= q.limit) {
      chosen = pageQuery(this.db, access, q, computed);
      rows = await this.read(chosen);
    }
    const { columns, cursorColumn, searchKind } = chosen;
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const [id, key, cursorAt] = ['id', 'key', cursorColumn].map((c) => columns.indexOf(c)) as [
      number,
      number,
      number,
    ];
    const project = rowProjector(rules, columns);
    const last = page.at(-1);
    return {
      revision: rows.length > 0 ? Number(rows[0]![columns.indexOf(REVISION)]) : null,
      rows: page.map((r) => ({ id: String(r[id]), fields: project(r) })),
      nextCursor:
        more && last ? encodeCursor(last[cursorAt] as CursorValue, Number(last[key])) : null,
      searchKind,
    };
  }

  /**
   * Every account a list query selects, in its order, as the values the rules give (one per
   * export field), chunk by chunk, each chunk with the matrix revision it was read at. The next
   * chunk is read while the caller handles this one.
   */
  async *exportChunks(
    access: Readonly<AccessMap>,
    q: Omit<ListQuery, 'cursor' | 'limit'>,
    fields: readonly FieldKey[],
    /** Asked for when the first row is projected (it may refuse the fields). */
    rulesOf: () => readonly FieldRule[],
    how: { walk?: boolean; window?: number } = {},
  ): AsyncGenerator<ExportChunk> {
    let rules: readonly FieldRule[] | undefined;
    const window = how.window ?? EXPORT_WINDOW;
    const computed = this.computed();
    const fromRanges = async (cursor: string | undefined): Promise<Chunk> => {
      const page = pageQuery(
        this.db,
        access,
        { ...q, limit: EXPORT_CHUNK, cursor },
        computed,
        fields,
      );
      const rows = await this.read(page);
      const last = rows.length > EXPORT_CHUNK ? rows[EXPORT_CHUNK - 1] : undefined;
      const at = (name: string) => page.columns.indexOf(name);
      return {
        rows: last ? rows.slice(0, EXPORT_CHUNK) : rows,
        columns: page.columns,
        next: last
          ? encodeCursor(last[at(page.cursorColumn)] as CursorValue, Number(last[at('key')]))
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
        key: number | string;
      }[];
      // Read up to the window's last account rather than a count of accounts, so that one
      // added meanwhile cannot push the last out of this window and out of the next.
      const page = windowedPageQuery(this.db, access, at, computed, {
        window,
        fields,
        ...(end ? { until: [end.window_key, Number(end.key)] as const } : {}),
      })!;
      return {
        rows: await this.read(page),
        columns: page.columns,
        next: end ? encodeCursor(end.window_key, Number(end.key)) : null,
      };
    };
    const walk = how.walk ?? (await this.exportWalksIndex(access, q));
    const read =
      walk && windowedPageQuery(this.db, access, { ...q, limit: 1 }) ? alongIndex : fromRanges;
    let next: Promise<Chunk> | null = read(undefined);
    while (next) {
      const { rows, columns, next: cursor }: Chunk = await next;
      const revision = rows.length > 0 ? Number(rows[0]![columns.indexOf(REVISION)]) : null;
      // The next chunk is read while this one is projected and written.
      next = cursor === null ? null : read(cursor);
      // Settled by the loop, or left behind when the consumer stops: never unhandled.
      next?.catch(() => undefined);
      // A turn of the event loop first: the query reaches SQLite's thread only after knex's pool
      // and node-sqlite3 have had theirs, and this chunk's projecting would otherwise hold them.
      if (next) await nextTurn();
      const project = () => {
        rules ??= rulesOf();
        return rows.map(cellsProjector(rules, columns));
      };
      yield { revision, rows: rows.length, project };
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

  /** One account's row and the matrix revision read with it (null: no such account). */
  async detail(id: string): Promise<{ row: AccountRecord; revision: number } | null> {
    const [row] = (await this.hot.all(
      this.db('accounts')
        .where({ id })
        .select('*', this.db.raw('? as ??', [matrixRevisionColumn(this.db), REVISION]))
        .limit(1),
    )) as AccountRecord[];
    return row ? { row, revision: Number(row[REVISION]) } : null;
  }

  /**
   * The rows of these accounts, in the order of `ids` (an id with no account is left out), and
   * the matrix revision read with them (null: no row).
   */
  async rowsOf(
    ids: readonly string[],
  ): Promise<{ rows: AccountRecord[]; revision: number | null }> {
    if (ids.length === 0) return { rows: [], revision: null };
    const found = (await this.hot.all(
      this.db('accounts')
        .whereIn('id', ids)
        .select('*', this.db.raw('? as ??', [matrixRevisionColumn(this.db), REVISION])),
    )) as AccountRecord[];
    const byId = new Map(found.map((r) => [String(r.id), r]));
    const rows = ids.flatMap((id) => byId.get(id) ?? []);
    return { rows, revision: rows.length > 0 ? Number(rows[0]![REVISION]) : null };
  }

  /** Runs `work` in one transaction with the writer of that transaction. */
  write<T>(work: (writer: AccountWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(new AccountWriter(trx)));
  }

  async exists(id: string): Promise<boolean> {
    return Boolean(await this.db('accounts').where({ id }).first('id'));
  }

  /**
   * An account's provenance events, oldest first, and every field change they recorded. An
   * account created by an import since migration 0026 has no creation row of its own: its import
   * (one row per file) is that event, with the account's provenance date.
   */
  async history(id: string): Promise<{ events: HistoryEvent[]; changes: HistoryChange[] }> {
    const imported = (await this.db('accounts as a')
      .join('imports as i', 'i.id', 'a.import_id')
      .leftJoin('staff as s', 's.id', 'i.staff_id')
      .where('a.id', id)
      .select(
        'i.id',
        this.db.raw(`'created' as event`),
        this.db.raw(`'import' as source`),
        'a.provenance_date as source_date',
        'i.started_at as recorded_at',
        this.db.raw('null as made_offline_at'),
        's.display_name',
      )) as HistoryEvent[];
    const recorded = (await this.db('account_provenance as p')
      .leftJoin('staff as s', 's.id', 'p.staff_id')
      .where('p.account_id', id)
      .orderBy('p.id')
      .select(
        'p.id',
        'p.event',
        'p.source',
        'p.source_date',
        'p.recorded_at',
        'p.made_offline_at',
        's.display_name',
      )) as HistoryEvent[];
    const events = [...imported, ...recorded];
    const changes = (await this.db('account_changes')
      .where({ account_id: id })
      .orderBy('field')) as HistoryChange[];
    return { events, changes };
  }
}

export interface HistoryEvent {
  id: string;
  event: 'created' | 'updated';
  source: ProvenanceSource;
  source_date: string;
  recorded_at: string;
  made_offline_at: string | null;
  display_name: string | null;
}

export interface HistoryChange {
  provenance_id: string;
  field: unknown;
  old_value: string | null;
  new_value: string | null;
}
