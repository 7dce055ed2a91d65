/**
 * The change feed offline workstations fill their replica from (issue 16). `sync.pull` answers
 * changed accounts as the caller's role sees them (hidden fields absent, masked ones masked), the
 * way accounts.get does; a fill is a bulk read, so each page is on record in the access log.
 */
import { z } from 'zod';
import { SEARCH_KINDS } from '../catalogue';
import { id } from '../schemas';
import type { Role } from '../roles';
import type { VisibleAccess, VisibleFields } from '../types';
import { channel } from './spec';

/** Where a pull resumes: "<seq>:<account id>" as the previous page answered, or "0" at first. */
export const syncCursor = z
  .string()
  .max(80)
  .regex(
    /^(0|[1-9][0-9]{0,17}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    'The sync cursor must be "0" or the cursor a previous pull answered.',
  );

export const SYNC_PAGE_MAX = 5000;

/** One account as the caller's role sees it, with what an offline edit needs (its version). */
export interface SyncAccount {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: VisibleFields;
}

export interface SyncPage {
  accounts: SyncAccount[];
  /** Accounts that no longer exist: the replica drops them. */
  removed: string[];
  /** Pass back as `since` for the next page. */
  cursor: string;
  /** Changes after this page the server could answer now (the progress of a fill). */
  remaining: number;
  /**
   * Changes already saved that the server holds back until an older transaction still in flight
   * ends (so that none is ever skipped): ask again shortly.
   */
  waiting: number;
  /** Who the rows were projected for: a replica filled under another role or revision refills. */
  role: Role;
  matrixRevision: number;
  access: VisibleAccess;
  /** Hours a replica may go without reaching the server before it stops opening. */
  leaseHours: number;
  /** The server's clock when it answered (the replica's last contact). */
  serverTime: string;
  /**
   * The caller's offline-copy ticket: kept in the (encrypted) replica, it is what lets the
   * workstation ask about this member, and report their offline reads, without a session.
   */
  contactTicket: string;
}

/** A staff member's offline-copy ticket, as sync.pull answered it. */
export const contactTicket = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'The offline-copy ticket must be the one a pull answered.');

export interface SyncContact {
  /** False for a deactivated staff member (or one the server does not know): wipe the replica. */
  active: boolean;
  leaseHours: number;
  serverTime: string;
}

/** The reads a replica answers offline, and the screens their entries name. */
export const OFFLINE_READS = {
  view_account: 'accounts.detail',
  list: 'accounts',
  search: 'accounts',
} as const;

/** One access-log entry a workstation wrote while offline (policy P3). */
export const offlineAccessEntry = z
  .object({
    action: z.enum(Object.keys(OFFLINE_READS) as [keyof typeof OFFLINE_READS]),
    queryKind: z.enum(SEARCH_KINDS).nullable(),
    recordIds: z.array(id).max(SYNC_PAGE_MAX),
  })
  .strict();

export const syncChannels = {
  'sync.pull': channel<SyncPage>()({
    input: z
      .object({
        since: syncCursor.default('0'),
        limit: z.number().int().min(1).max(SYNC_PAGE_MAX).default(1000),
      })
      .strict(),
    gate: 'session',
    readsCustomerData: true,
    audit: {
      action: 'replica_sync',
      screen: 'sync',
      details: (_input, page) => ({
        recordIds: page.accounts.map((a) => a.id),
        resultCount: page.accounts.length,
      }),
    },
  }),
  /**
   * The access-log entries of reads made offline, uploaded at the next contact: recorded as the
   * signed-in staff member's, on a screen named "offline." and what was read, at the server's
   * time of receipt.
   */
  'sync.uploadAccess': channel<{ recorded: number }>()({
    input: z.object({ entries: z.array(offlineAccessEntry).min(1).max(500) }).strict(),
    gate: 'session',
  }),
  /**
   * Asked by a workstation before it opens a replica: whether its staff member is still active,
   * and the lease. No session: a deactivated member cannot sign in, and must still be told.
   */
  'sync.contact': channel<SyncContact>()({
    input: z.object({ staffId: id, ticket: contactTicket }).strict(),
    gate: 'public',
  }),
  /**
   * The reads a staff member made offline and had not yet sent when they were deactivated: the
   * workstation holding their copy reports them before it wipes it (policy P3), proving it holds
   * the copy with its ticket. Recorded as the member's, from the address the server saw.
   */
  'sync.reportOfflineReads': channel<{ recorded: number }>()({
    input: z
      .object({
        staffId: id,
        ticket: contactTicket,
        entries: z.array(offlineAccessEntry).min(1).max(500),
      })
      .strict(),
    gate: 'public',
  }),
} as const;
