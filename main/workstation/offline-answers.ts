/**
 * The answers a team workstation gives offline (issue 16), in the shapes the server gives online
 * so that the renderer does not change: reads from the replica, and changes queued in the outbox
 * answered as they will stand once sent. A queued change's answer says it was made offline and
 * waits to be sent, and names no one else: the replica knows only what this member did here.
 */
import { contract, type ParsedInput } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { HOLD_LABELS, type HoldKind } from '../../shared/standing';
import type { Standing } from '../../shared/catalogue';
import type { AccountHold, StandingEvent } from '../../shared/types';
import type { OpenReplica } from '../replica/file';
import { OUTBOX_CHANNELS, Outbox, type OutboxCommand } from '../replica/outbox';
import { ReplicaReader } from '../replica/reader';

/** The reads a replica answers. */
const READS = new Set(['accounts.get', 'accounts.list']);

const WAITING = 'You, offline (waiting to be sent)';

/** The replica's answer to `channel`, or null when only the server can answer it. */
export async function answerOffline(
  replica: OpenReplica,
  staffId: string,
  channel: string,
  input: unknown,
): Promise<Result<unknown> | null> {
  if ((OUTBOX_CHANNELS as readonly string[]).includes(channel)) {
    return { ok: true, value: await queueChange(replica, staffId, channel, input) };
  }
  if (!READS.has(channel)) return null;
  const reader = await ReplicaReader.open(replica);
  if (channel === 'accounts.get') {
    return { ok: true, value: await reader.get(contract['accounts.get'].input.parse(input).id) };
  }
  return { ok: true, value: await reader.list(contract['accounts.list'].input.parse(input)) };
}

async function queueChange(
  replica: OpenReplica,
  staffId: string,
  channel: string,
  input: unknown,
): Promise<unknown> {
  const outbox = new Outbox(replica, staffId);
  // The standing before the change, for the event's "from" (the queue shows the change at once).
  const accountId = (input as { accountId?: unknown } | null)?.accountId;
  const before =
    channel === 'standing.transition' && typeof accountId === 'string'
      ? await replica.store.get(accountId)
      : null;
  const command = await outbox.queue({ channel, input });
  if (command.channel === 'accounts.update') {
    return (await ReplicaReader.open(replica)).get(command.accountId);
  }
  if (command.channel === 'standing.transition') {
    const from = (before?.fields.standing ?? null) as Standing | null;
    return standingEvent(command, command.input as ParsedInput<'standing.transition'>, from);
  }
  return offlineHolds(await outbox.list(), command.accountId);
}

function standingEvent(
  command: OutboxCommand,
  input: ParsedInput<'standing.transition'>,
  from: Standing | null,
): StandingEvent {
  return {
    id: command.id,
    accountId: command.accountId,
    from: from ?? input.to,
    to: input.to,
    reason: input.reason,
    note: input.note?.trim() || null,
    balanceCents: input.balanceCents ?? null,
    daysPastDue: input.to === 'good' ? 0 : (input.daysPastDue ?? 0),
    by: WAITING,
    batchId: null,
    at: command.madeAt,
    madeOfflineAt: command.madeAt,
  };
}

/** The holds this workstation set on an account offline and has not yet sent, as they stand. */
function offlineHolds(commands: readonly OutboxCommand[], accountId: string): AccountHold[] {
  const holds = new Map<HoldKind, AccountHold>();
  for (const c of commands) {
    if (c.accountId !== accountId || c.status !== 'pending') continue;
    if (c.channel === 'holds.set') {
      const i = c.input as ParsedInput<'holds.set'>;
      holds.set(i.kind, {
        kind: i.kind,
        label: HOLD_LABELS[i.kind],
        since: i.since,
        note: i.note,
        setBy: WAITING,
        setAt: c.madeAt,
      });
    } else if (c.channel === 'holds.clear') {
      holds.delete((c.input as ParsedInput<'holds.clear'>).kind);
    }
  }
  return [...holds.values()];
}
