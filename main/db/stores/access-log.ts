/**
 * The access-log store: the only writer of `access_log`, its per-account index
 * (`access_log_accounts`, filled from the queue `access_log_pending`, migration 0006) and
 * `access_log_prunes`. An entry is written through the hot statements (main/db/engine).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { AccessLogEntry } from '../../../shared/types';
import { dbNow, isSqlite, toIso } from '../connect';
import type { HotStatements } from '../engine/hot-statements';

/** One entry as the log records it (never a PII value or the text searched for). */
export interface AccessLogRecord {
  id: string;
  staffId: string | null;
  hostname: string;
  ip: string;
  /** The address the team server saw (null in the embedded mode). */
  seenIp: string | null;
  os: string;
  appVersion: string;
  action: string;
  screen: string;
  queryKind: string | null;
  recordIds: readonly string[];
  resultCount: number;
}

/** Who and which account a listing is narrowed to (ids), and the days it covers. */
export interface AccessLogScope {
  staffId?: string;
  accountId?: string;
  from?: string | undefined;
  to?: string | undefined;
}

/** Below every id; '' is no uuid on PostgreSQL. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** The columns an entry writes besides `at`, in the order `append` binds them. */
const ENTRY_COLUMNS = [
  'id',
  'staff_id',
  'hostname',
  'ip',
  'seen_ip',
  'os',
  'app_version',
  'action',
  'screen',
  'query_kind',
  'record_ids',
  'result_count',
] as const;

export class AccessLogStore {
  private insertSql: { plain: string; queued: string } | null = null;

  constructor(
    private readonly db: Knex,
    /** Writes the entries (main/db/engine/hot-statements.ts). */
    private readonly hot: Pick<HotStatements, 'run'>,
  ) {}

  /**
   * Writes an entry, with its accounts in record_ids, and queues it for the per-account index
   * when it names accounts (migration 0006 says why the index follows in batches).
   */
  async append(e: AccessLogRecord): Promise<void> {
    const entry: Record<(typeof ENTRY_COLUMNS)[number], string | number | null> = {
      id: e.id,
      staff_id: e.staffId,
      hostname: e.hostname,
      ip: e.ip,
      seen_ip: e.seenIp,
      os: e.os,
      app_version: e.appVersion,
      action: e.action,
      screen: e.screen,
      query_kind: e.queryKind,
      record_ids: JSON.stringify(e.recordIds),
      result_count: e.resultCount,
    };
    const values = ENTRY_COLUMNS.map((c) => entry[c]);
    const { plain, queued } = this.inserts();
    // An entry naming accounts is queued for the index: on SQLite by a trigger (migration 0006),
    // on PostgreSQL by the same statement, so that one round trip writes both.
    const sql = e.recordIds.length === 0 || isSqlite(this.db) ? plain : queued;
    await this.hot.run(this.db.raw(sql, values));
  }

  /**
   * The text of the INSERT, made once: every read of customer data writes an entry, and knex
   * compiling the same insert each time (quoting each column) cost more than SQLite's writing it.
   * The values are bound in ENTRY_COLUMNS' order; `at` is the database's clock.
   */
  private inserts(): { plain: string; queued: string } {
    if (this.insertSql) return this.insertSql;
    const columns = ENTRY_COLUMNS.map((c) => `"${c}"`).join(', ');
    const marks = ENTRY_COLUMNS.map(() => '?').join(', ');
    const plain = `insert into "access_log" ("at", ${columns}) values (${dbNow(this.db).toQuery()}, ${marks})`;
    this.insertSql = {
      plain,
      queued: `with entry as (${plain} returning id) insert into access_log_pending (access_id) select id from entry`,
    };
    return this.insertSql;
  }

  /**
   * Moves up to `limit` queued entries' accounts into access_log_accounts, sorted by account so
   * that each index page is written once per batch; answers how many entries it moved. Safe with
   * other workstations doing the same at once.
   */
  async indexBatch(limit: number): Promise<number> {
    if (isSqlite(this.db)) {
      // SQLite has one writer at a time: the batch indexed here is the batch deleted. The first
      // statement writes, so that the transaction waits for the write lock (busy_timeout) rather
      // than failing as a reader turned writer does when another workstation wrote meanwhile.
      return this.db.transaction(async (trx) => {
        const batch = () =>
          trx('access_log_pending').select('access_id').orderBy('access_id').limit(limit);
        await trx.raw(
          `insert or ignore into access_log_accounts (access_id, account_id)
           select l.id, j.value from access_log l, json_each(l.record_ids) j
           where l.id in (${batch().toQuery()}) order by j.value, l.id`,
        );
        return Number(await trx('access_log_pending').whereIn('access_id', batch()).del());
      });
    }
    // Claimed by deleting (a second workstation's batch waits on the row locks, then skips what
    // this one took), then indexed in the same statement: nothing claimed is ever lost.
    const result = await this.db.raw(
      `with claimed as (
         delete from access_log_pending where access_id in (
           select access_id from access_log_pending order by access_id limit ? for update
         ) returning access_id
       ), indexed as (
         insert into access_log_accounts (access_id, account_id)
         select l.id, j.value::uuid from claimed c
           join access_log l on l.id = c.access_id
           cross join json_array_elements_text(l.record_ids::json) j
         order by 2, 1
         on conflict do nothing
       )
       select count(*) as n from claimed`,
      [limit],
    );
    return Number((result as { rows: { n: string }[] }).rows[0]?.n ?? 0);
  }

  /** The id of the staff account with this username (undefined: none). */
  async staffIdOf(username: string): Promise<string | undefined> {
    const s = await this.db('staff').where({ username }).first('id');
    return s?.id as string | undefined;
  }

  /** The id of the account with this number (undefined: none). */
  async accountIdOf(accountNumber: string): Promise<string | undefined> {
    const a = await this.db('accounts').where({ account_number: accountNumber }).first('id');
    return a?.id as string | undefined;
  }

  /**
   * The accounts this staff member opened most recently, newest first, each once: read from
   * their own `view_account` entries (the newest `window` of them, along access_log_staff).
   */
  async recentlyViewed(staffId: string, limit: number, window = 200): Promise<string[]> {
    const entries = (await this.db('access_log')
      .where({ staff_id: staffId, action: 'view_account' })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(window)
      .select('record_ids')) as { record_ids: string }[];
    const ids = new Set<string>();
    for (const e of entries) {
      for (const id of JSON.parse(e.record_ids) as string[]) {
        ids.add(id);
        if (ids.size === limit) return [...ids];
      }
    }
    return [...ids];
  }

  private query(scope: AccessLogScope) {
    const q = this.db('access_log as l')
      .leftJoin('staff as s', 's.id', 'l.staff_id')
      .select('l.*', 's.display_name', 's.username');
    if (scope.staffId) q.where('l.staff_id', scope.staffId);
    if (scope.accountId) {
      q.whereIn(
        'l.id',
        this.db('access_log_accounts').select('access_id').where('account_id', scope.accountId),
      );
    }
    if (scope.from) q.where('l.at', '>=', scope.from);
    if (scope.to) q.where('l.at', '<', `${scope.to}T23:59:59.999Z`);
    return q;
  }

  /** Up to `limit` entries, newest first, before the entry `before` (all: undefined). */
  async newestFirst(
    scope: AccessLogScope,
    before: string | undefined,
    limit: number,
  ): Promise<AccessLogEntry[]> {
    const q = this.query(scope);
    if (before) q.where('l.id', '<', before);
    return (await q.orderBy('l.id', 'desc').limit(limit)).map(toEntry);
  }

  /** Every entry in scope, oldest first, read `chunk` at a time. */
  async *oldestFirst(scope: AccessLogScope, chunk = 1000): AsyncGenerator<AccessLogEntry> {
    let after = NO_ID;
    for (;;) {
      const rows = await this.query(scope).where('l.id', '>', after).orderBy('l.id').limit(chunk);
      for (const r of rows) yield toEntry(r);
      if (rows.length < chunk) return;
      after = rows.at(-1).id;
    }
  }

  /** Removes entries older than `cutoff` (and their index), recording the pruning. */
  async prune(cutoff: string, staffId: string | null, retentionDays: number): Promise<number> {
    return this.db.transaction(async (trx) => {
      const old = trx('access_log').where('at', '<', cutoff).select('id');
      await trx('access_log_pending').whereIn('access_id', old.clone()).del();
      await trx('access_log_accounts').whereIn('access_id', old).del();
      const removed = await trx('access_log').where('at', '<', cutoff).del();
      await trx('access_log_prunes').insert({
        id: uuidv7(),
        at: dbNow(trx),
        staff_id: staffId,
        cutoff,
        removed,
        retention_days: retentionDays,
      });
      return removed;
    });
  }
}

function toEntry(r: Record<string, unknown>): AccessLogEntry {
  return {
    id: String(r.id),
    at: toIso(r.at),
    staff: r.display_name ? `${String(r.display_name)} (${String(r.username)})` : 'unknown',
    staffId: r.staff_id === null ? null : String(r.staff_id),
    username: r.username ? String(r.username) : null,
    hostname: String(r.hostname),
    ip: String(r.ip),
    seenIp: r.seen_ip === null || r.seen_ip === undefined ? null : String(r.seen_ip),
    os: String(r.os),
    appVersion: String(r.app_version),
    action: String(r.action),
    screen: String(r.screen),
    queryKind: r.query_kind === null ? null : String(r.query_kind),
    recordIds: JSON.parse(String(r.record_ids)) as string[],
    resultCount: Number(r.result_count),
  };
}
