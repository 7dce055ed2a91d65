/**
 * Offline reads (issue 16): accounts.list and accounts.get answered from the replica in the
 * online channels' result shapes, so main can route those channels here while the team server
 * is unreachable. The rows are already projected for the role (hidden fields never arrived,
 * masked ones arrived masked); this only finds, orders and pages them.
 *
 * A replica whose last contact with the server is older than its lease refuses to open. Each
 * read writes the access-log entry its online channel would (policy P3) into the replica first.
 */
import { z } from 'zod';
import { SEARCH_KIND_FIELDS, type SearchKind } from '../../shared/catalogue';
import type { ParsedInput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { detectSearchKind } from '../../shared/search';
import type { AccountDetail, AccountPage, VisibleAccess } from '../../shared/types';
import { canRead } from '../../shared/visibility';
import type { ReplicaSort } from '../db/stores/replica/store';
import type { OpenReplica } from './file';
import { readMeta, type ReplicaMeta } from './meta';

/** The replica has not reached the server within its lease: it opens again after a sync. */
export class ReplicaLeaseError extends AppError {
  constructor(message: string) {
    super('SERVER_UNREACHABLE', message);
  }
}

const HOUR = 3_600_000;
const OFFLINE_SORTS: readonly string[] = ['match', 'name', 'accountNumber', 'createdAt'];
const cursorSchema = z.tuple([z.string().max(300).nullable(), z.string().uuid()]);

export interface ReplicaStatus {
  role: ReplicaMeta['role'];
  accounts: number;
  filled: boolean;
  lastContact: string | null;
  serverTime: string | null;
  /** When the replica stops opening unless it reaches the server before. */
  leaseEndsAt: string | null;
}

export class ReplicaReader {
  private constructor(
    private readonly replica: OpenReplica,
    private readonly meta: ReplicaMeta,
  ) {}

  /** A reader of `replica`, refused when its lease has run out at `now`. */
  static async open(replica: OpenReplica, now: Date = new Date()): Promise<ReplicaReader> {
    const meta = readMeta(await replica.store.meta());
    const ends = leaseEnd(meta);
    if (ends === null) {
      throw new ReplicaLeaseError(
        'This workstation has no offline copy for you yet: connect to the team server once to make it.',
      );
    }
    if (now.getTime() > ends.getTime()) {
      throw new ReplicaLeaseError(
        `The offline copy has not reached the team server since ${meta.lastContact!.slice(0, 16).replace('T', ' ')} UTC, longer than the ${meta.leaseHours} hours allowed: connect to the server to use it again.`,
      );
    }
    // A first fill cut short left the search indexes to build: reads should not scan.
    await replica.store.ensureSearchIndexes();
    return new ReplicaReader(replica, meta);
  }

  /** The access per field the rows were projected under (the role's at the last pull). */
  get access(): VisibleAccess {
    return this.meta.access;
  }

  async status(): Promise<ReplicaStatus> {
    return {
      role: this.meta.role,
      accounts: await this.replica.store.count(),
      filled: this.meta.filled,
      lastContact: this.meta.lastContact,
      serverTime: this.meta.serverTime,
      leaseEndsAt: leaseEnd(this.meta)?.toISOString() ?? null,
    };
  }

  async get(id: string): Promise<AccountDetail> {
    const found = await this.replica.store.get(id);
    if (!found) {
      throw new AppError(
        'NOT_FOUND',
        'This account is not in the offline copy. Connect to the team server to look it up.',
      );
    }
    await this.record('view_account', 'accounts.detail', null, [found.id]);
    return { ...found, access: this.meta.access };
  }

  /**
   * Writes the entry the online channel's contract declares (policy P3) into the replica, before
   * the read is answered; the server gets it at a later contact.
   */
  private async record(
    action: string,
    screen: string,
    queryKind: string | null,
    recordIds: string[],
  ): Promise<void> {
    await this.replica.accessLog.append({
      staffId: this.meta.staffId ?? 'unknown',
      at: new Date().toISOString(),
      action,
      screen,
      queryKind,
      recordIds,
      resultCount: recordIds.length,
    });
  }

  async list(q: ParsedInput<'accounts.list'>): Promise<AccountPage> {
    if (!OFFLINE_SORTS.includes(q.sort)) {
      throw new AppError(
        'SERVER_UNREACHABLE',
        'Offline, the list can be sorted by name, account number or date created only.',
      );
    }
    const text = q.search?.trim() ?? '';
    const kind: SearchKind | null = text ? (q.searchKind ?? detectSearchKind(text)) : null;
    if (kind) this.requireSearchable(kind);
    const sort: ReplicaSort = q.sort === 'match' ? 'name' : (q.sort as ReplicaSort);
    const page = await this.replica.store.page({
      sort,
      direction: q.direction,
      limit: q.limit,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      search: kind ? { kind, text } : null,
    });
    const ids = page.rows.map((r) => r.id);
    await this.record(kind ? 'search' : 'list', 'accounts', kind, ids);
    return {
      rows: page.rows.map((r) => ({ id: r.id, fields: r.fields })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
      access: this.meta.access,
      searchKind: kind,
    };
  }

  /** The online list's rule: a search may not reveal a field the role cannot read in full. */
  private requireSearchable(kind: SearchKind): void {
    const readable = SEARCH_KIND_FIELDS[kind].filter((f) => {
      const a = this.meta.access[f];
      return a !== undefined && canRead(a);
    });
    const enough =
      kind === 'digits' ? readable.length > 0 : readable.length === SEARCH_KIND_FIELDS[kind].length;
    if (!enough) {
      throw new AppError('FORBIDDEN', 'Your role may not search by this field.');
    }
  }
}

function leaseEnd(meta: ReplicaMeta): Date | null {
  if (meta.lastContact === null || meta.leaseHours === null) return null;
  return new Date(Date.parse(meta.lastContact) + meta.leaseHours * HOUR);
}

function encodeCursor(at: readonly [string | null, string]): string {
  return Buffer.from(JSON.stringify(at), 'utf8').toString('base64url');
}

function decodeCursor(text: string): [string | null, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('VALIDATION', 'This list cursor does not belong to the offline copy.');
  }
}
