import { v7 as uuidv7 } from 'uuid';
import type { AccessAction, AccessDetails } from '../../shared/channels/spec';
import type { AccessLogEntry, AccessLogPage } from '../../shared/types';
import { type AccessLogStore, type AccessLogScope } from '../db/stores/access-log';
import type { Clock } from './clock';
import type { Session } from './session';
import type { SettingsService } from './settings';
import { BatchIndexer } from './access-log-indexer';

export type { AccessAction };

export interface AccessEvent extends AccessDetails {
  action: AccessAction;
  screen: string;
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

/**
 * Policy P3: who viewed or searched what, from which workstation, and when. It holds record
 * ids, screens and query kinds; never the PII values or the search text.
 */
export class AccessLogService {
  private readonly indexer: BatchIndexer;

  constructor(
    /** The log's rows; the composition root gives it the engine's prepared insert. */
    private readonly store: AccessLogStore,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    onIndexError: (err: unknown) => void = () => {},
  ) {
    this.indexer = new BatchIndexer(
      () => this.store.indexBatch(INDEX_BATCH),
      INDEX_BATCH,
      onIndexError,
    );
  }

  async record(session: Session, event: AccessEvent): Promise<void> {
    const id = uuidv7();
    const ids = event.recordIds ?? [];
    // The entry, with its accounts in record_ids, is the record and is written before the data
    // is answered; the per-account index follows in batches (migration 0006 says why).
    await this.store.append({
      id,
      staffId: session.signedIn?.staffId ?? null,
      hostname: session.client.hostname,
      ip: session.client.ip,
      seenIp: session.client.seenIp ?? null,
      os: session.client.os,
      appVersion: session.client.appVersion,
      action: event.action,
      screen: event.screen,
      queryKind: event.queryKind ?? null,
      recordIds: ids,
      resultCount: event.resultCount ?? ids.length,
    });
    if (ids.length > 0) this.indexer.queued(ids.length);
  }

  /** The accounts this staff member opened most recently (their own views), newest first. */
  recentlyViewed(staffId: string, limit: number): Promise<string[]> {
    return this.store.recentlyViewed(staffId, limit);
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

  /** Username and account number filters, turned into ids; null when one names nothing. */
  private async resolve(
    filter: Omit<AccessLogFilter, 'cursor' | 'limit'>,
  ): Promise<AccessLogScope | null> {
    const out: AccessLogScope = { from: filter.from, to: filter.to };
    if (filter.staffId) out.staffId = filter.staffId;
    if (filter.username) {
      const staffId = await this.store.staffIdOf(filter.username);
      if (!staffId || (out.staffId && out.staffId !== staffId)) return null;
      out.staffId = staffId;
    }
    if (filter.accountId) out.accountId = filter.accountId;
    if (filter.accountNumber) {
      const accountId = await this.store.accountIdOf(filter.accountNumber);
      if (!accountId || (out.accountId && out.accountId !== accountId)) return null;
      out.accountId = accountId;
    }
    return out;
  }

  async list(filter: AccessLogFilter): Promise<AccessLogPage> {
    const scope = await this.resolve(filter);
    if (!scope) return { entries: [], nextCursor: null };
    if (scope.accountId) await this.indexPending();
    const rows = await this.store.newestFirst(scope, filter.cursor, filter.limit + 1);
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return {
      entries: page,
      nextCursor: more ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** Iterates every entry matching a filter, oldest first, for an export. */
  async *iterate(
    filter: Omit<AccessLogFilter, 'cursor' | 'limit'>,
  ): AsyncGenerator<AccessLogEntry> {
    const scope = await this.resolve(filter);
    if (!scope) return;
    if (scope.accountId) await this.indexPending();
    yield* this.store.oldestFirst(scope);
  }

  /** Removes entries older than the retention setting; the pruning itself is recorded. */
  async prune(staffId: string | null): Promise<{ removed: number; cutoff: string }> {
    const { accessLogRetentionDays } = await this.settings.get();
    const cutoff = new Date(
      this.clock.now().getTime() - accessLogRetentionDays * DAY,
    ).toISOString();
    const removed = await this.store.prune(cutoff, staffId, accessLogRetentionDays);
    return { removed, cutoff };
  }
}
