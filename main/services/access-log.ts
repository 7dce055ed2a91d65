import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { AccessLogEntry, AccessLogPage } from '../../shared/types';
import { dbNow, isSqlite, toIso } from '../db/connect';
import type { Clock } from './clock';
import type { Session } from './session';
import type { SettingsService } from './settings';
import { BatchIndexer } from './access-log-indexer';
import type { HotStatements } from '../db/engine/hot-statements';

export type AccessAction =
  | 'view_account'
  | 'view_history'
  | 'view_disclosures'
  | 'list'
  | 'search'
  | 'export'
  | 'view_access_log'
  | 'export_access_log';

export interface AccessEvent {
  action: AccessAction;
  screen: string;
  /** The kind of query (e.g. "name", "phone"), never the text searched for. */
  queryKind?: string | null;
  recordIds?: readonly string[];
  resultCount?: number;
}

export interface AccessLogFilter {
  staffId?: string | undefined;
  username?: string | undefined;
  accountId?: string | undefined;
  accountNumber?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const DAY = 86_400_000;
/** Entries moved into the per-account index per statement. */
const INDEX_BATCH = 500;
/** Below every id; '' is no uuid on PostgreSQL. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Policy P3: who viewed or searched what, from which workstation, and when. It holds record
 * ids, screens and query kinds; never the PII values or the search text.
 */
export class AccessLogService {
  private readonly indexer: BatchIndexer;

  constructor(
    private readonly db: Knex,
    /** Writes the entries (main/db/hot-statements.ts). */
    private readonly hot: Pick<HotStatements, 'run'>,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    onIndexError: (err: unknown) => void = () => {},
  ) {
    this.indexer = new BatchIndexer(() => this.indexBatch(), INDEX_BATCH, onIndexError);
  }

  async record(session: Session, event: AccessEvent): Promise<void> {
    const id = uuidv7();
    const ids = event.recordIds ?? [];
    const entry = (db: Knex) => ({
      id,
      at: dbNow(db),
      staff_id: session.signedIn?.staffId ?? null,
      hostname: session.client.hostname,
      ip: session.client.ip,
      os: session.client.os,
      app_version: session.client.appVersion,
      action: event.action,
      screen: event.screen,
      query_kind: event.queryKind ?? null,
      record_ids: JSON.stringify(ids),
      result_count: event.resultCount ?? ids.length,
    });
    // The entry, with its accounts in record_ids, is the record and is written before the data
    // is answered; the per-account index follows in batches (migration 0006 says why).
    if (ids.length === 0 || isSqlite(this.db)) {
      // On SQLite a trigger queues the entry (migration 0006).
      await this.hot.run(this.db('access_log').insert(entry(this.db)));
    } else {
      // One statement, so one round trip, writes both.
      const insert = this.db('access_log').insert(entry(this.db)).toSQL();
      await this.db.raw(
        `with entry as (${insert.sql} returning id) insert into access_log_pending (access_id) select id from entry`,
        insert.bindings,
      );
    }
    if (ids.length > 0) this.indexer.queued(ids.length);
  }

  /**
   * Moves every queued entry's accounts into access_log_accounts, sorted by account so that each
   * index page is written once per batch. Safe with other workstations doing the same at once.
   */
  async indexPending(): Promise<number> {
    return this.indexer.run();
  }

  /** Stops the idle-time indexing (the backend is closing); waits for a batch under way. */
  async stop(): Promise<void> {
    await this.indexer.stop();
  }

  private async indexBatch(): Promise<number> {
    if (isSqlite(this.db)) {
      // SQLite has one writer at a time: the batch indexed here is the batch deleted. The first
      // statement writes, so that the transaction waits for the write lock (busy_timeout) rather
      // than failing as a reader turned writer does when another workstation wrote meanwhile.
      return this.db.transaction(async (trx) => {
        const batch = () =>
          trx('access_log_pending').select('access_id').orderBy('access_id').limit(INDEX_BATCH);
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
      [INDEX_BATCH],
    );
    return Number((result as { rows: { n: string }[] }).rows[0]?.n ?? 0);
  }

  /** Username and account number filters, turned into ids; null when one names nothing. */
  private async resolve(
    filter: Omit<AccessLogFilter, 'cursor' | 'limit'>,
  ): Promise<{ staffId?: string; accountId?: string } | null> {
    const out: { staffId?: string; accountId?: string } = {};
    if (filter.staffId) out.staffId = filter.staffId;
    if (filter.username) {
      const s = await this.db('staff').where({ username: filter.username }).first('id');
      if (!s || (out.staffId && out.staffId !== s.id)) return null;
      out.staffId = s.id;
    }
    if (filter.accountId) out.accountId = filter.accountId;
    if (filter.accountNumber) {
      const a = await this.db('accounts')
        .where({ account_number: filter.accountNumber })
        .first('id');
      if (!a || (out.accountId && out.accountId !== a.id)) return null;
      out.accountId = a.id;
    }
    return out;
  }

  private query(
    ids: { staffId?: string; accountId?: string },
    filter: { from?: string | undefined; to?: string | undefined },
  ) {
    const q = this.db('access_log as l')
      .leftJoin('staff as s', 's.id', 'l.staff_id')
      .select('l.*', 's.display_name', 's.username');
    if (ids.staffId) q.where('l.staff_id', ids.staffId);
    if (ids.accountId) {
      q.whereIn(
        'l.id',
        this.db('access_log_accounts').select('access_id').where('account_id', ids.accountId),
      );
    }
    if (filter.from) q.where('l.at', '>=', filter.from);
    if (filter.to) q.where('l.at', '<', `${filter.to}T23:59:59.999Z`);
    return q;
  }

  async list(filter: AccessLogFilter): Promise<AccessLogPage> {
    const ids = await this.resolve(filter);
    if (!ids) return { entries: [], nextCursor: null };
    if (ids.accountId) await this.indexPending();
    const q = this.query(ids, filter);
    if (filter.cursor) q.where('l.id', '<', filter.cursor);
    const rows = await q.orderBy('l.id', 'desc').limit(filter.limit + 1);
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return {
      entries: page.map(toEntry),
      nextCursor: more ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** Iterates every entry matching a filter, oldest first, for an export. */
  async *iterate(
    filter: Omit<AccessLogFilter, 'cursor' | 'limit'>,
  ): AsyncGenerator<AccessLogEntry> {
    const ids = await this.resolve(filter);
    if (!ids) return;
    if (ids.accountId) await this.indexPending();
    let after = NO_ID;
    for (;;) {
      const rows = await this.query(ids, filter)
        .where('l.id', '>', after)
        .orderBy('l.id')
        .limit(1000);
      for (const r of rows) yield toEntry(r);
      if (rows.length < 1000) return;
      after = rows.at(-1).id;
    }
  }

  /** Removes entries older than the retention setting; the pruning itself is recorded. */
  async prune(staffId: string | null): Promise<{ removed: number; cutoff: string }> {
    const { accessLogRetentionDays } = await this.settings.get();
    const cutoff = new Date(
      this.clock.now().getTime() - accessLogRetentionDays * DAY,
    ).toISOString();
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
        retention_days: accessLogRetentionDays,
      });
      return { removed, cutoff };
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
    os: String(r.os),
    appVersion: String(r.app_version),
    action: String(r.action),
    screen: String(r.screen),
    queryKind: r.query_kind === null ? null : String(r.query_kind),
    recordIds: JSON.parse(String(r.record_ids)) as string[],
    resultCount: Number(r.result_count),
  };
}
