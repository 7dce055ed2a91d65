/**
 * Keeps a replica fresh (issue 16): at each contact with the team server, asks whether the staff
 * member is still active (a deactivated member's replica is deleted), then pulls the change feed
 * page by page from the replica's cursor. A page answered for another role, or under other
 * access for any field, than the replica was filled under empties the replica and fills it
 * again from the start, so what the role may no longer see disappears at that contact.
 */
import type { z } from 'zod';
import type { offlineAccessEntry, SyncContact, SyncPage } from '../../shared/channels/sync';
import { AppError, type Result } from '../../shared/errors';
import type { OpenReplica } from './file';
import { readMeta, type ReplicaMeta } from './meta';

/** The server as the replica reaches it (TeamServerClient.invoke on the two sync channels). */
export interface ReplicaServer {
  pull(input: { since: string; limit: number }): Promise<Result<SyncPage>>;
  /** sync.contact, with the ticket a pull gave this replica (no session needed). */
  contact(staffId: string, ticket: string): Promise<Result<SyncContact>>;
  /** sync.reportOfflineReads: a deactivated member's unsent offline reads, before the wipe. */
  reportReads(
    staffId: string,
    ticket: string,
    entries: z.infer<typeof offlineAccessEntry>[],
  ): Promise<Result<{ recorded: number }>>;
  /** sync.uploadAccess: the access-log entries of reads made offline. */
  uploadAccess(
    entries: z.infer<typeof offlineAccessEntry>[],
  ): Promise<Result<{ recorded: number }>>;
}

export interface SyncProgress {
  /** Accounts written to the replica so far in this sync. */
  pulled: number;
  /** Changes the server still has for this replica (its last page's count). */
  remaining: number;
}

export type SyncOutcome =
  | {
      kind: 'synced';
      pulled: number;
      refilled: boolean;
      accounts: number;
      /** Changes the server held back behind a transaction in flight: sync again shortly. */
      waiting: number;
    }
  /** The server could not be reached: what was pulled before stays, the cursor with it. */
  | { kind: 'offline'; message: string }
  /** The staff member is no longer active: the replica file is gone. */
  | { kind: 'wiped' };

export interface ReplicaSyncOptions {
  staffId: string;
  /** Accounts per page (the server caps it). */
  pageSize?: number;
  /** This workstation's clock. */
  now?: () => Date;
}

const unwrap = <T>(result: Result<T>): T | null => {
  if (result.ok) return result.value;
  if (result.error.code === 'SERVER_UNREACHABLE') return null;
  throw new AppError(result.error.code, result.error.message);
};

export class ReplicaSync {
  private readonly pageSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly replica: OpenReplica,
    private readonly server: ReplicaServer,
    private readonly options: ReplicaSyncOptions,
  ) {
    this.pageSize = options.pageSize ?? 2000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Sends the access-log entries of reads made offline (policy P3), oldest first; each is marked
   * once the server has it. Answers false when the server could not be reached.
   */
  private uploadAccess(): Promise<boolean> {
    return this.sendAccess((chunk) => this.server.uploadAccess(chunk));
  }

  private async sendAccess(
    send: (entries: z.infer<typeof offlineAccessEntry>[]) => Promise<Result<{ recorded: number }>>,
  ): Promise<boolean> {
    for (const chunk of uploads(await this.replica.accessLog.pending())) {
      const sent = unwrap(
        await send(
          chunk.map((e) => ({
            action: e.action as z.infer<typeof offlineAccessEntry>['action'],
            queryKind: e.queryKind as z.infer<typeof offlineAccessEntry>['queryKind'],
            recordIds: e.recordIds,
          })),
        ),
      );
      if (!sent) return false;
      await this.replica.accessLog.markUploaded(
        chunk.map((e) => e.seq),
        this.now().toISOString(),
      );
    }
    return true;
  }

  /**
   * Asks whether the replica's member is still active, with the ticket a pull gave it. A member
   * no longer active: their offline reads not yet sent are reported (policy P3), then the replica
   * is deleted. 'unknown': the replica has no ticket yet, or the server no longer knows it (a
   * new secret); a signed-in pull then decides, and gives a new one.
   */
  async check(): Promise<'active' | 'wiped' | 'unknown' | { offline: string }> {
    const ticket = readMeta(await this.replica.store.meta()).contactTicket;
    if (!ticket) return 'unknown';
    const contacted = await this.server.contact(this.options.staffId, ticket);
    if (!contacted.ok && contacted.error.code === 'FORBIDDEN') return 'unknown';
    const contact = unwrap(contacted);
    if (!contact) return { offline: offlineMessage(contacted) };
    if (contact.active) return 'active';
    const reported = await this.sendAccess((chunk) =>
      this.server.reportReads(this.options.staffId, ticket, chunk),
    );
    // Unsent reads stay with the copy until they are on record; the next contact tries again.
    if (!reported) return { offline: 'The team server could not be reached.' };
    await this.replica.wipe();
    return 'wiped';
  }

  async sync(onProgress: (p: SyncProgress) => void = () => undefined): Promise<SyncOutcome> {
    const checked = await this.check();
    if (checked === 'wiped') return { kind: 'wiped' };
    if (typeof checked === 'object') return { kind: 'offline', message: checked.offline };
    if (!(await this.uploadAccess())) {
      return { kind: 'offline', message: 'The team server could not be reached.' };
    }
    const store = this.replica.store;
    let meta = readMeta(await store.meta());
    if (meta.cursor === '0' && (await store.count()) === 0) await store.beginFirstFill();
    let pulled = 0;
    let refilled = false;
    for (;;) {
      const answered = await this.server.pull({ since: meta.cursor, limit: this.pageSize });
      const page = unwrap(answered);
      if (!page) return { kind: 'offline', message: offlineMessage(answered) };
      if (filledUnderOther(meta, page)) {
        // Another role or matrix: nothing kept from before may stay. Start again from nothing.
        await store.transaction((w) => w.reset());
        await store.beginFirstFill();
        meta = readMeta(await store.meta());
        refilled = true;
        continue;
      }
      const done = page.remaining === 0;
      await store.transaction(async (w) => {
        await w.upsert(page.accounts, page.access);
        await w.remove(page.removed);
        await w.setMeta({
          staffId: this.options.staffId,
          cursor: page.cursor,
          role: page.role,
          matrixRevision: String(page.matrixRevision),
          access: JSON.stringify(page.access),
          leaseHours: String(page.leaseHours),
          lastContact: this.now().toISOString(),
          serverTime: page.serverTime,
          contactTicket: page.contactTicket,
          ...(done ? { filled: '1' } : {}),
        });
      });
      pulled += page.accounts.length;
      meta = readMeta(await store.meta());
      onProgress({ pulled, remaining: page.remaining });
      if (done) {
        await store.ensureSearchIndexes();
        const accounts = await store.count();
        return { kind: 'synced', pulled, refilled, accounts, waiting: page.waiting };
      }
    }
  }
}

/** Entries per upload, and their account ids: the server takes requests up to 256 KB. */
const UPLOAD_ENTRIES = 500;
const UPLOAD_IDS = 4000;

/** Cuts entries into uploads of at most UPLOAD_ENTRIES entries and UPLOAD_IDS ids. */
function uploads<T extends { recordIds: readonly string[] }>(entries: readonly T[]): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let ids = 0;
  for (const e of entries) {
    if (
      chunk.length > 0 &&
      (chunk.length === UPLOAD_ENTRIES || ids + e.recordIds.length > UPLOAD_IDS)
    ) {
      out.push(chunk);
      chunk = [];
      ids = 0;
    }
    chunk.push(e);
    ids += e.recordIds.length;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/**
 * Whether the replica holds rows filled for another role, or under other access for any field
 * than `page` was projected with. The matrix revision is global: a change to another role's
 * access leaves this replica as it is.
 */
function filledUnderOther(meta: ReplicaMeta, page: SyncPage): boolean {
  if (meta.role === null && meta.cursor === '0') return false;
  return meta.role !== page.role || accessKey(meta.access) !== accessKey(page.access);
}

const accessKey = (access: Record<string, string>) =>
  JSON.stringify(Object.entries(access).sort(([a], [b]) => a.localeCompare(b)));

function offlineMessage(result: Result<unknown>): string {
  return result.ok ? '' : result.error.message;
}

/** A call of one channel as some caller, answered by the team server (TeamServerClient.invoke). */
export type ChannelCall = (
  channel: string,
  input: unknown,
  sent?: { madeOfflineAt?: string },
) => Promise<Result<unknown>>;

/**
 * The server port over two callers: the signed-in staff member's session (the pull, the upload)
 * and a session without sign-in (the contact check, which a deactivated member must pass too).
 */
export function replicaServer(signedIn: ChannelCall, anyone: ChannelCall): ReplicaServer {
  return {
    pull: (input) => signedIn('sync.pull', input) as Promise<Result<SyncPage>>,
    uploadAccess: (entries) =>
      signedIn('sync.uploadAccess', { entries }) as Promise<Result<{ recorded: number }>>,
    contact: (staffId, ticket) =>
      anyone('sync.contact', { staffId, ticket }) as Promise<Result<SyncContact>>,
    reportReads: (staffId, ticket, entries) =>
      anyone('sync.reportOfflineReads', { staffId, ticket, entries }) as Promise<
        Result<{ recorded: number }>
      >,
  };
}
