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
import { ServerSecretsStore } from '../db/stores/server-secrets';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The lease an administrator has not changed: three days without the server. */
export const DEFAULT_LEASE_HOURS = DEFAULT_SETTINGS.replicaLeaseHours;
/** The server secret offline-copy tickets are made with. */
const CONTACT_SECRET = 'replica-contact';
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
  private readonly secrets: ServerSecretsStore;

  constructor(
    private readonly db: Db,
    private readonly visibility: AccessSource,
    private readonly clock: Clock,
    private readonly accessLog: Pick<AccessLogService, 'record'>,
  ) {
    this.feed = new SyncFeedStore(db);
    this.settings = new SettingsStore(db);
    this.secrets = new ServerSecretsStore(db);
  }

  async leaseHours(): Promise<number> {
    const value = (await this.settings.all())[LEASE_SETTING];
    return typeof value === 'number' && Number.isInteger(value) && value > 0
      ? value
      : DEFAULT_LEASE_HOURS;
  }

  /** A page of changed accounts after `since`, as the caller's role sees them. */
  async pull(
    caller: { staffId: string; role: Role },
    since: string,
    limit: number,
  ): Promise<SyncPage> {
    const { role } = caller;
    const contactTicket = await this.ticketFor(caller.staffId);
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
        contactTicket,
      };
    }
  }

  /**
   * The offline-copy ticket of `staffId`: a MAC of the id under the server's own secret, so that
   * only a workstation that was given it in a pull (one holding that member's copy) can ask about
   * the member, or report their offline reads, without a session.
   */
  private async ticketFor(staffId: string): Promise<string> {
    const key = await this.secrets.secret(CONTACT_SECRET);
    return createHmac('sha256', key).update(`replica-contact:${staffId}`).digest('base64url');
  }

  private async checkTicket(staffId: string, ticket: string): Promise<void> {
    const expected = Buffer.from(await this.ticketFor(staffId));
    const given = Buffer.from(ticket);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError(
        'FORBIDDEN',
        'This workstation holds no offline copy for that staff member (its ticket does not match).',
      );
    }
  }

  /** Records reads a workstation made offline, as entries of the session's staff member. */
  async uploadAccess(
    session: Session,
    entries: readonly z.infer<typeof offlineAccessEntry>[],
  ): Promise<{ recorded: number }> {
    return this.recordOfflineReads(session, entries);
  }

  /**
   * The offline reads of a member deactivated before their workstation could send them, reported
   * by the workstation holding their copy (its ticket) before it wipes it: recorded as theirs.
   */
  async reportOfflineReads(
    session: Session,
    staffId: string,
    ticket: string,
    entries: readonly z.infer<typeof offlineAccessEntry>[],
  ): Promise<{ recorded: number }> {
    await this.checkTicket(staffId, ticket);
    const reporter = { signedIn: { staffId }, client: session.client } as Session;
    return this.recordOfflineReads(reporter, entries);
  }

  private async recordOfflineReads(
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

  /** Whether `staffId` is an active staff member, and the lease: only to the holder of their copy. */
  async contact(staffId: string, ticket: string): Promise<SyncContact> {
    await this.checkTicket(staffId, ticket);
    const staff = await findStaffById(this.db, staffId);
    return {
      active: Boolean(staff?.active),
      leaseHours: await this.leaseHours(),
      serverTime: this.clock.now().toISOString(),
    };
  }
}
