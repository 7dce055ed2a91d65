/**
 * The server's side of offline workstations (issue 16): pages of the change feed projected for
 * the caller's role by the same rule as an account's detail (main/policy/visibility.ts), and the
 * contact check a workstation makes before it opens its replica.
 */
import { AppError } from '../../shared/errors';
import type { z } from 'zod';
import {
  OFFLINE_READS,
  type offlineAccessEntry,
  type SyncAccount,
  type SyncContact,
  type SyncPage,
} from '../../shared/channels/sync';
import type { Role } from '../../shared/roles';
import type { Db } from '../db/handle';
import { rowToValues } from '../db/stores/accounts/account-row';
import { SettingsStore } from '../db/stores/settings';
import { findStaffById } from '../db/stores/staff';
import { SyncFeedStore, type FeedPosition } from '../db/stores/sync-feed';
import { projectFields, visibleAccess } from '../policy/visibility';
import type { AccessLogService } from './access-log';
import type { Clock } from './clock';
import type { Session } from './session';
import type { AccessSource } from './visibility';
import { DEFAULT_SETTINGS } from './settings';
import type { Settings } from '../../shared/types';

/** The lease an administrator has not changed: three days without the server. */
export const DEFAULT_LEASE_HOURS = DEFAULT_SETTINGS.replicaLeaseHours;
/** The setting that holds the lease, in hours (Settings → General). */
export const LEASE_SETTING = 'replicaLeaseHours' satisfies keyof Settings;
/** Pages read again with a fresh matrix before giving up (only while it keeps changing). */
const ATTEMPTS = 3;

export function parseSyncCursor(text: string): FeedPosition | null {
  if (text === '0') return null;
  const at = text.indexOf(':');
  return { seq: Number(text.slice(0, at)), id: text.slice(at + 1) };
}

export class SyncFeedService {
  private readonly feed: SyncFeedStore;
  private readonly settings: SettingsStore;

  constructor(
    private readonly db: Db,
    private readonly visibility: AccessSource,
    private readonly clock: Clock,
    private readonly accessLog: Pick<AccessLogService, 'record'>,
  ) {
    this.feed = new SyncFeedStore(db);
    this.settings = new SettingsStore(db);
  }

  async leaseHours(): Promise<number> {
    const value = (await this.settings.all())[LEASE_SETTING];
    return typeof value === 'number' && Number.isInteger(value) && value > 0
      ? value
      : DEFAULT_LEASE_HOURS;
  }

  /** A page of changed accounts after `since`, as `role` sees them. */
  async pull(role: Role, since: string, limit: number): Promise<SyncPage> {
    const position = parseSyncCursor(since);
    for (let attempt = 1; ; attempt++) {
      const { access, revision } = await this.visibility.cachedAccess(role);
      const page = await this.feed.page(position, limit);
      const seen = page.revision ?? (await this.visibility.revision());
      if (seen !== revision) {
        // Projected with a matrix no longer in force: read again with the new one.
        this.visibility.invalidate();
        if (attempt === ATTEMPTS) {
          throw new AppError(
            'CONFLICT',
            'The access matrix is being changed right now. Try again in a moment.',
          );
        }
        continue;
      }
      const accounts: SyncAccount[] = [];
      const removed: string[] = [];
      for (const entry of page.entries) {
        if (!entry.row) {
          removed.push(entry.accountId);
          continue;
        }
        accounts.push({
          id: entry.row.id,
          version: Number(entry.row.version),
          createdAt: entry.row.created_at,
          updatedAt: entry.row.updated_at,
          fields: projectFields(rowToValues(entry.row), access),
        });
      }
      const last = page.entries.at(-1);
      return {
        accounts,
        removed,
        cursor: last ? `${last.seq}:${last.accountId}` : since,
        remaining: page.remaining,
        waiting: page.waiting,
        role,
        matrixRevision: revision,
        access: visibleAccess(access),
        leaseHours: await this.leaseHours(),
        serverTime: this.clock.now().toISOString(),
      };
    }
  }

  /** Records reads a workstation made offline, as entries of the session's staff member. */
  async uploadAccess(
    session: Session,
    entries: readonly z.infer<typeof offlineAccessEntry>[],
  ): Promise<{ recorded: number }> {
    for (const e of entries) {
      await this.accessLog.record(session, {
        action: e.action,
        screen: `offline.${OFFLINE_READS[e.action]}`,
        queryKind: e.queryKind,
        recordIds: e.recordIds,
      });
    }
    return { recorded: entries.length };
  }

  /** Whether `staffId` is an active staff member, and the lease. */
  async contact(staffId: string): Promise<SyncContact> {
    const staff = await findStaffById(this.db, staffId);
    return {
      active: Boolean(staff?.active),
      leaseHours: await this.leaseHours(),
      serverTime: this.clock.now().toISOString(),
    };
  }
}
