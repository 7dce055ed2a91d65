/**
 * Offline changes (issue 16): edits, standing changes and holds made while the team server is
 * unreachable are kept as commands in the replica's outbox (who, when by this workstation's
 * clock, the account version they were based on), and replayed in the order they were made
 * through the same channels, so the server's handlers and policy checks judge them as they judge
 * an online call. A stale base version comes back as the server's CONFLICT: the command is kept
 * as a conflict record with both versions for the staff member to choose from, never applied.
 *
 * What needs the server (disclosures, batches, approvals, administration, import) is not an
 * outbox command: it is refused offline, not queued.
 */
import { randomUUID } from 'node:crypto';
import { contract, type ParsedInput } from '../../shared/contract';
import { OUTBOX_CHANNELS, type OutboxChannel } from '../../shared/team-wire';
import { AppError, type AppErrorShape, type Result } from '../../shared/errors';
import type { OutboxCommand } from '../db/stores/replica/outbox';
import type { VisibleFields } from '../../shared/types';
import type { OpenReplica } from './file';
import { readMeta } from './meta';

export type { OutboxCommand };

export { OUTBOX_CHANNELS, type OutboxChannel };

export type OfflineCommand = {
  [C in OutboxChannel]: { channel: C; input: ParsedInput<C> };
}[OutboxChannel];

/** The server's answer to one replayed call, sent with the time the change was made here. */
export type Invoke = (
  channel: OutboxChannel,
  input: unknown,
  madeAt: string,
) => Promise<Result<unknown>>;

export interface ReplayReport {
  applied: number;
  conflicts: number;
  refused: number;
  /** Commands still waiting: the server became unreachable during the replay. */
  pending: number;
}

/** What a conflict record holds: the offline change and the server's record it met. */
export interface ConflictOutcome {
  error: AppErrorShape;
  /** The server's current record (projected for the role), when the server sent it. */
  current: unknown;
  /** Set when an earlier offline change to the same account is itself in conflict. */
  behind: string | null;
}

const accountOf = (c: OfflineCommand): string =>
  c.channel === 'accounts.update' ? c.input.id : c.input.accountId;

/** What a change shows in the replica's copy of its account before the server has it. */
function locallyShown(c: OfflineCommand): VisibleFields | null {
  if (c.channel === 'accounts.update') return c.input.changes as VisibleFields;
  if (c.channel !== 'standing.transition') return null;
  const { to, balanceCents, daysPastDue } = c.input;
  return {
    standing: to,
    ...(balanceCents !== undefined ? { balanceCents } : {}),
    ...(to === 'good' ? { daysPastDue: 0 } : daysPastDue !== undefined ? { daysPastDue } : {}),
  } as VisibleFields;
}

export class Outbox {
  constructor(
    private readonly replica: OpenReplica,
    private readonly staffId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records a change made offline; resolves once it is on disk. Its input is checked against the
   * channel's schema now, so a command that could never be sent is refused while its maker is
   * still there to correct it.
   */
  async queue(command: { channel: string; input: unknown }): Promise<OutboxCommand> {
    if (!(OUTBOX_CHANNELS as readonly string[]).includes(command.channel)) {
      throw new AppError(
        'SERVER_UNREACHABLE',
        'This needs the team server and cannot be done offline. Nothing was queued.',
      );
    }
    const channel = command.channel as OutboxChannel;
    const parsed = contract[channel].input.safeParse(command.input);
    if (!parsed.success) {
      throw new AppError('VALIDATION', 'Some fields need attention.', {
        fieldErrors: Object.fromEntries(
          parsed.error.issues.map((i) => [i.path.join('.') || 'input', i.message]),
        ),
      });
    }
    const offline = { channel, input: parsed.data } as OfflineCommand;
    let baseVersion: number | null = null;
    if (offline.channel === 'accounts.update') {
      // A second offline edit of the same account is based on the first, not on the replica's
      // copy: it expects the version the first will leave.
      const earlier = (await this.replica.outbox.list('pending')).filter(
        (c) => c.channel === 'accounts.update' && c.accountId === offline.input.id,
      );
      const last = earlier.at(-1);
      if (last?.baseVersion != null && last.baseVersion + 1 > offline.input.version) {
        offline.input.version = last.baseVersion + 1;
      }
      baseVersion = offline.input.version;
    }
    const id = randomUUID();
    await this.replica.outbox.add({
      id,
      staffId: this.staffId,
      madeAt: this.now().toISOString(),
      channel,
      accountId: accountOf(offline),
      baseVersion,
      input: offline.input,
    });
    // The maker sees the change offline; the server's record replaces it at the next sync.
    const shown = locallyShown(offline);
    if (shown) {
      const meta = readMeta(await this.replica.store.meta());
      await this.replica.store.transaction((w) =>
        w.applyLocally(accountOf(offline), shown, meta.access),
      );
    }
    const stored = (await this.replica.outbox.list()).find((c) => c.id === id);
    return stored!;
  }

  list(): Promise<OutboxCommand[]> {
    return this.replica.outbox.list();
  }

  /** The number of commands waiting to be sent (shown beside the online/offline state). */
  async length(): Promise<number> {
    return (await this.replica.outbox.list('pending')).length;
  }

  /**
   * Sends the waiting commands in the order they were made. Stops at the first the server could
   * not be reached for (it and those after it stay waiting, for the next replay).
   */
  async replay(invoke: Invoke): Promise<ReplayReport> {
    const report: ReplayReport = { applied: 0, conflicts: 0, refused: 0, pending: 0 };
    // Only this staff member's commands: `invoke` calls as them, and a command keeps its maker.
    const pending = (await this.replica.outbox.list('pending')).filter(
      (c) => c.staffId === this.staffId,
    );
    /** Accounts with an offline change in conflict: later changes to them wait for its choice. */
    const inConflict = new Map<string, string>();
    for (const [i, command] of pending.entries()) {
      const at = () => this.now().toISOString();
      const behind = inConflict.get(command.accountId);
      if (behind) {
        await this.replica.outbox.settle(
          command.seq,
          'conflict',
          {
            error: {
              code: 'CONFLICT',
              message:
                'An earlier offline change to this account is in conflict: choose for it first.',
            },
            current: null,
            behind,
          } satisfies ConflictOutcome,
          at(),
        );
        report.conflicts++;
        continue;
      }
      const answer = await invoke(command.channel as OutboxChannel, command.input, command.madeAt);
      if (answer.ok) {
        await this.replica.outbox.settle(command.seq, 'applied', answer.value, at());
        report.applied++;
      } else if (answer.error.code === 'SERVER_UNREACHABLE') {
        report.pending = pending.length - i;
        return report;
      } else if (answer.error.code === 'CONFLICT') {
        const current = (answer.error.details as { current?: unknown } | undefined)?.current;
        await this.replica.outbox.settle(
          command.seq,
          'conflict',
          { error: answer.error, current: current ?? null, behind: null } satisfies ConflictOutcome,
          at(),
        );
        inConflict.set(command.accountId, command.id);
        report.conflicts++;
      } else {
        await this.replica.outbox.settle(command.seq, 'refused', { error: answer.error }, at());
        report.refused++;
      }
    }
    return report;
  }

  /** This staff member's offline changes in conflict, waiting for their choice. */
  async conflicts(): Promise<OutboxCommand[]> {
    return (await this.replica.outbox.list('conflict')).filter((c) => c.staffId === this.staffId);
  }

  /**
   * The staff member's choice for a conflict: 'mine' sends the offline change again on the
   * server's current version (the server checks it like any edit); 'theirs' drops it. Changes
   * that waited behind it are sent again either way, at the next replay.
   */
  async resolve(id: string, keep: 'mine' | 'theirs'): Promise<void> {
    const all = await this.conflicts();
    const command = all.find((c) => c.id === id);
    if (!command) throw new AppError('NOT_FOUND', 'That offline change is no longer in conflict.');
    const outcome = command.outcome as ConflictOutcome | null;
    if (outcome?.behind) {
      throw new AppError('CONFLICT', 'Choose for the earlier change to this account first.');
    }
    if (keep === 'theirs') await this.replica.outbox.discard(command.seq, this.now().toISOString());
    else {
      const current = outcome?.current as { version?: unknown } | null | undefined;
      const input = { ...(command.input as Record<string, unknown>) };
      if (command.channel === 'accounts.update' && typeof current?.version === 'number') {
        input.version = current.version;
      }
      await this.replica.outbox.reopen(command.seq, input);
    }
    for (const waiting of all) {
      if ((waiting.outcome as ConflictOutcome | null)?.behind === id) {
        await this.replica.outbox.reopen(waiting.seq, waiting.input);
      }
    }
  }
}
