/**
 * A team workstation offline (issue 16): each signed-in staff member's replica of what their
 * role may see, kept fresh at every contact with the server, and read from when the server cannot
 * be reached (offline-answers.ts). An edit, a standing change or a hold made offline goes into the
 * outbox, shows in the replica at once where the replica holds it, and is replayed through the server's own handlers at the next contact (a stale one becomes a conflict,
 * never an overwrite). Everything else that needs the server says so and queues nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type Result } from '../../shared/errors';
import type { SessionInfo, VisibleAccess } from '../../shared/types';
import type { OfflineConflict, OfflineStatus } from '../../shared/workstation';
import type { Keychain } from '../keys/data-key';
import { openReplicaFile, replicaFile, type OpenReplica } from '../replica/file';
import { Outbox, type ConflictOutcome, type OutboxCommand } from '../replica/outbox';
import { ReplicaReader } from '../replica/reader';
import { answerOffline } from './offline-answers';
import { ReplicaSync, replicaServer, type ChannelCall, type SyncProgress } from '../replica/sync';
import { writeFileSynced } from '../fsync';

/**
 * The replica's data key, sealed by the OS keychain in a file beside it (made on first use):
 * another OS user, or a thief with the disk, has neither the keychain nor the key.
 */
export function replicaKey(dir: string, staffId: string, keychain: Keychain): Buffer {
  const file = `${replicaFile(dir, staffId)}.key`;
  try {
    return keychain.open(fs.readFileSync(file, 'utf8').trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      // A key the keychain no longer opens: the replica cannot be read, so start it afresh.
      for (const suffix of ['', '-wal', '-shm']) {
        fs.rmSync(replicaFile(dir, staffId) + suffix, { force: true });
      }
    }
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSynced(file, keychain.seal(key));
  return key;
}

export interface DeskOptions {
  /**
   * Signed in offline (no server session): nothing is replayed or pulled, since the server would
   * refuse a session it never signed in; a contact only asks whether the server answers again
   * (then `reconnect`: the password is needed) and whether the member is still active.
   */
  offlineSignIn?: boolean;
  /** After the replica was wiped (a deactivated member): what else goes with it. */
  onWiped?: () => Promise<void>;
  /** Who signed in online on this desk: an unlock while the server is away answers with it. */
  signedIn?: SessionInfo;
}

export class OfflineDesk {
  /**
   * The window is locked (idle, or by the server): offline, the replica answers nothing until
   * the password unlocks it, as the server would refuse a locked session.
   */
  locked = false;
  /** How far the sync under way has come (a first fill of a large database takes minutes). */
  private fill: SyncProgress | null = null;
  private online = true;
  private lastSync: string | null = null;
  private problem: string | null = null;
  private contacting: Promise<void> | null = null;

  private constructor(
    private replica: OpenReplica | null,
    private readonly staffId: string,
    private readonly signedIn: ChannelCall,
    private readonly anyone: ChannelCall,
    private readonly options: DeskOptions,
  ) {
    // Signed in offline: the server did not answer the sign-in a moment ago.
    if (options.offlineSignIn) this.online = false;
  }

  /** The replica of `staffId` in `dir`, opened (made on first use) with its data key. */
  static async open(
    where: { dir: string; staffId: string; key: Buffer },
    signedIn: ChannelCall,
    anyone: ChannelCall,
    options: DeskOptions = {},
  ): Promise<OfflineDesk> {
    const replica = await openReplicaFile(where);
    return new OfflineDesk(replica, where.staffId, signedIn, anyone, options);
  }

  /**
   * Refuses (a ReplicaLeaseError saying why) when the replica cannot be read now: never filled,
   * or past the lease the administrator set. An offline sign-in asks this before it answers;
   * the answer is the access per field the replica's rows hold (the session's field access).
   */
  async checkReadable(): Promise<VisibleAccess> {
    if (!this.replica) throw new AppError('NOT_FOUND', 'There is no offline copy here.');
    return (await ReplicaReader.open(this.replica)).access;
  }

  /** Who signed in online on this desk (none for an offline sign-in). */
  get member(): SessionInfo | null {
    return this.options.signedIn ?? null;
  }

  /** Whether this desk was opened by an offline sign-in and the server answers again. */
  get needsReconnect(): boolean {
    return this.options.offlineSignIn === true && this.online;
  }

  /** The member was found deactivated: their replica (and what went with it) is gone. */
  get wiped(): boolean {
    return this.replica === null && this.problem !== null;
  }

  /**
   * A contact with the server: offline changes replayed first (so a sync cannot hide them), then
   * the replica brought up to date. One at a time; a second caller waits for the first.
   */
  contact(): Promise<void> {
    this.contacting ??= this.doContact().finally(() => (this.contacting = null));
    return this.contacting;
  }

  private async doContact(): Promise<void> {
    const replica = this.replica;
    if (!replica) return;
    if (this.options.offlineSignIn) return this.probe(replica);
    await new Outbox(replica, this.staffId).replay((channel, input, madeAt) =>
      this.signedIn(channel, input, { madeOfflineAt: madeAt }),
    );
    const outcome = await new ReplicaSync(replica, replicaServer(this.signedIn, this.anyone), {
      staffId: this.staffId,
    })
      .sync((p) => (this.fill = p))
      .finally(() => (this.fill = null));
    if (outcome.kind === 'wiped') await this.wasWiped();
    else if (outcome.kind === 'offline') {
      this.online = false;
    } else {
      this.online = true;
      this.problem = null;
      this.lastSync = new Date().toISOString();
    }
  }

  /** Signed in offline: whether the server answers (and still knows the member as active). */
  private async probe(replica: OpenReplica): Promise<void> {
    const checked = await new ReplicaSync(replica, replicaServer(this.signedIn, this.anyone), {
      staffId: this.staffId,
    }).check();
    if (typeof checked === 'object') {
      this.online = false;
      return;
    }
    this.online = true;
    if (checked === 'wiped') await this.wasWiped();
  }

  private async wasWiped(): Promise<void> {
    this.replica = null;
    this.problem = 'This staff account is no longer active: its offline copy was removed.';
    await this.options.onWiped?.();
  }

  /** The server could not be reached: answered from the replica, or null when it cannot be. */
  async whenUnreachable(channel: string, input: unknown): Promise<Result<unknown> | null> {
    this.online = false;
    const replica = this.replica;
    if (!replica) return null;
    if (this.locked) {
      const message = 'The console is locked: enter your password to carry on.';
      return { ok: false, error: { code: 'SESSION_LOCKED', message } };
    }
    try {
      return await answerOffline(replica, this.staffId, channel, input);
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toShape() };
      throw err;
    }
  }

  /**
   * Any answer from the server: it is reachable again. Coming back from offline, the changes
   * made meanwhile are replayed and the copy brought up to date (in the background).
   */
  reached(): Promise<void> | null {
    const wasOffline = !this.online;
    this.online = true;
    // Signed in offline: nothing may be sent before the password gets a server session.
    return wasOffline && !this.options.offlineSignIn ? this.contact() : null;
  }

  /** The server did not answer a call made past this desk (a session channel). */
  markUnreachable(): void {
    this.online = false;
  }

  /** Offline and idle: try the server again in the background (the window asks every few seconds). */
  retryIfOffline(): Promise<void> | null {
    return !this.online && this.contacting === null ? this.contact() : null;
  }

  async status(): Promise<OfflineStatus> {
    const outbox = this.replica ? new Outbox(this.replica, this.staffId) : null;
    return {
      online: this.online,
      lastSync: this.lastSync,
      syncing: this.contacting !== null,
      fill: this.fill,
      outbox: outbox ? await outbox.length() : 0,
      conflicts: outbox ? (await outbox.conflicts()).map(conflictView) : [],
      problem: this.problem,
      signedInOffline: this.options.offlineSignIn === true,
      reconnect: this.needsReconnect,
    };
  }

  /** The staff member's choice for a conflict; what it lets go is sent at once if it can be. */
  async resolve(id: string, keep: 'mine' | 'theirs'): Promise<void> {
    if (!this.replica) throw new AppError('NOT_FOUND', 'There is no offline copy here.');
    // A contact under way has read its list already: the choice goes into the next one.
    await this.contacting?.catch(() => undefined);
    await new Outbox(this.replica, this.staffId).resolve(id, keep);
    await this.contact();
  }

  async close(): Promise<void> {
    await this.contacting?.catch(() => undefined);
    await this.replica?.close();
    this.replica = null;
  }
}

/** A conflict as the staff member sees it: each field typed offline beside the server's value. */
function conflictView(c: OutboxCommand): OfflineConflict {
  const outcome = c.outcome as ConflictOutcome | null;
  const current = (outcome?.current ?? null) as { fields?: Record<string, unknown> } | null;
  const changes =
    c.channel === 'accounts.update'
      ? ((c.input as { changes?: Record<string, unknown> }).changes ?? {})
      : {};
  return {
    id: c.id,
    accountId: c.accountId,
    madeAt: c.madeAt,
    channel: c.channel,
    fields: Object.entries(changes).map(([field, mine]) => ({
      field,
      mine,
      theirs: current?.fields?.[field] ?? null,
    })),
    message: conflictMessage(outcome, current?.fields),
  };
}

/** What happened, naming the account as the role sees it (the server's record, projected). */
function conflictMessage(
  outcome: ConflictOutcome | null,
  fields: Record<string, unknown> | undefined,
): string {
  if (outcome?.behind) return 'An earlier offline change to this account waits for your choice.';
  const name = [fields?.firstName, fields?.lastName].filter((v) => typeof v === 'string').join(' ');
  const number = typeof fields?.accountNumber === 'string' ? fields.accountNumber : null;
  const which = [number, name].filter(Boolean).join(' ') || 'this account';
  return `Someone changed ${which} at the server after you edited it offline. Nothing was overwritten: choose which version to keep.`;
}

/** The workstation's replica folder: beside its other data, one file per staff member. */
export const replicaDirIn = (userData: string): string => path.join(userData, 'replicas');
