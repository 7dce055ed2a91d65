import type { Standing } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import {
  HOLD_LABELS,
  STANDING_LABELS,
  findTransition,
  type HoldKind,
  type StandingReason,
} from '../../../shared/standing';
import type { AccountHold, BulkPreview, StandingEvent } from '../../../shared/types';
import { canRead, canEdit, type AccessMap } from '../../../shared/visibility';
import type { Db, Tx } from '../../db/handle';
import {
  accountFacts,
  clearHold,
  holdsOf,
  idsInStanding,
  openStandingMover,
  recordPlacementEvents,
  returnBatchAccounts,
  setHold,
  standingTimeline,
  writeTransition,
  type AccountFacts,
  type BatchChange,
  type StandingMover,
} from '../../db/stores/standing';
import type { Actor } from '../accounts/service';
import { madeOfflineAt } from '../offline-claim';

/** A batch's change of its accounts' standing, as the collections services give it. */
export type BatchChangeInput = Omit<BatchChange, 'note'> & { note?: string | undefined };

/** A note is kept trimmed, and an empty one is none. */
function batchChange(change: BatchChangeInput): BatchChange {
  return { ...change, note: change.note?.trim() || null };
}

export interface TransitionInput {
  to: Standing;
  reason: StandingReason;
  note?: string | undefined;
  /** The balance owed; when it differs from the account's, the role must be able to edit balances. */
  balanceCents?: number | undefined;
  daysPastDue?: number | undefined;
}

/** Why one transition may not be made, in words that name the rule; null when it may. */
export function transitionProblem(
  role: Role,
  access: AccessMap,
  account: { accountNumber: string; standing: Standing; balanceCents: number },
  input: TransitionInput,
  opts: { viaBatch?: boolean } = {},
): string | null {
  const rule = findTransition(account.standing, input.to);
  const from = STANDING_LABELS[account.standing].toLowerCase();
  const to = STANDING_LABELS[input.to].toLowerCase();
  if (!rule) {
    return `account ${account.accountNumber} is ${from}; the workflow does not go from ${from} to ${to}`;
  }
  if (rule.viaBatch && !opts.viaBatch) {
    return `accounts go from ${from} to ${to} only by ${input.to === 'in_collection' ? 'sending' : 'recalling'} a collection batch`;
  }
  if (!rule.roles.includes(role)) {
    return `a ${ROLE_LABELS[role].toLowerCase()} may not move an account from ${from} to ${to} (allowed: ${rule.roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(', ')})`;
  }
  const balance = input.balanceCents ?? account.balanceCents;
  if (
    input.balanceCents !== undefined &&
    input.balanceCents !== account.balanceCents &&
    !canEdit(access.balanceCents)
  ) {
    return `your role may not change the balance of account ${account.accountNumber}`;
  }
  if (rule.needsBalance && balance <= 0) {
    return `account ${account.accountNumber} owes nothing; marking it ${to} needs a balance above zero`;
  }
  return null;
}

/** The standing workflow and collection holds (DESIGN.md section 5). */
export class StandingService {
  constructor(
    private readonly db: Db,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
  ) {}

  async transition(
    actor: Actor,
    accountId: string,
    input: TransitionInput,
  ): Promise<StandingEvent> {
    const [event] = await this.bulk(actor, [accountId], input);
    // Read back as the timeline shows it: with who made it and when (the database's time).
    const line = await this.timeline(actor, accountId);
    return line.find((e) => e.id === event!.id) ?? event!;
  }

  /**
   * Moves every named account, or none: each is checked against the workflow and the role, and
   * the first refusal (with every other one found) rolls the whole set back.
   */
  async bulk(
    actor: Actor,
    accountIds: readonly string[],
    input: TransitionInput,
    onProgress?: (done: number, total: number) => void,
  ): Promise<StandingEvent[]> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.standing))
      throw new AppError('FORBIDDEN', 'Your role may not see standing.');
    if (input.reason === 'other' && !input.note?.trim()) {
      throw new AppError('VALIDATION', 'Explain the reason.', {
        fieldErrors: { note: 'Required when the reason is "Other".' },
      });
    }
    const ids = [...new Set(accountIds)];
    return this.db.transaction(async (trx) => {
      const events: StandingEvent[] = [];
      const problems: string[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await accountFacts(trx, ids.slice(i, i + 500));
        const missing = Math.min(500, ids.length - i) - rows.length;
        if (missing > 0) problems.push(`${missing} of the selected accounts no longer exist`);
        for (const row of rows) {
          const balanceCents = Number(row.balance_cents);
          const problem = transitionProblem(
            actor.role,
            access,
            { accountNumber: row.account_number, standing: row.standing, balanceCents },
            input,
          );
          if (problem) {
            problems.push(problem);
            continue;
          }
          if (problems.length > 0) continue;
          events.push(await this.apply(trx, actor.staffId, row, input, null));
          onProgress?.(events.length, ids.length);
        }
      }
      if (problems.length > 0) {
        const shown = problems.slice(0, 10);
        const more = problems.length > 10 ? ` (and ${problems.length - 10} more)` : '';
        throw new AppError('FORBIDDEN', `Nothing was changed: ${shown.join('; ')}${more}.`, {
          details: { refused: problems.length },
        });
      }
      return events;
    });
  }

  /** The accounts a bulk selection names; a filter by standing needs the role to read standing. */
  async resolveSelection(
    actor: Actor,
    selection: { accountIds: readonly string[] } | { standing: Standing; minDaysPastDue: number },
  ): Promise<string[]> {
    if ('accountIds' in selection) return [...new Set(selection.accountIds)];
    const access = await this.accessFor(actor.role);
    if (!canRead(access.standing) || !canRead(access.daysPastDue)) {
      throw new AppError('FORBIDDEN', 'Your role may not select accounts by standing.');
    }
    const ids = await idsInStanding(this.db, selection.standing, selection.minDaysPastDue, 100_001);
    if (ids.length > 100_000) {
      throw new AppError('VALIDATION', 'More than 100,000 accounts match: narrow the selection.');
    }
    return ids;
  }

  /** What a bulk change would do, without doing it. */
  async preview(actor: Actor, ids: readonly string[], to: Standing): Promise<BulkPreview> {
    const access = await this.accessFor(actor.role);
    const reasons: string[] = [];
    let changing = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await accountFacts(this.db, ids.slice(i, i + 500));
      for (const row of rows) {
        const problem = transitionProblem(
          actor.role,
          access,
          {
            accountNumber: row.account_number,
            standing: row.standing,
            balanceCents: Number(row.balance_cents),
          },
          { to, reason: 'other' },
        );
        if (problem) reasons.push(problem);
        else changing++;
      }
    }
    const found = reasons.length + changing;
    if (found < ids.length) {
      reasons.unshift(`${ids.length - found} of the selected accounts no longer exist`);
    }
    return {
      selected: ids.length,
      changing,
      refused: ids.length - changing,
      reasons: reasons.slice(0, 10),
    };
  }

  /**
   * A collection batch's moves of its accounts, all in the standing `from` (db/stores/standing.ts):
   * `mover` moves them chunk by chunk as a batch is placed, `recordPlacements` then writes their
   * events, and `returnPlaced` takes a batch's accounts back, events and all, in the database.
   */
  mover(trx: Tx, change: BatchChangeInput): Promise<StandingMover> {
    return openStandingMover(trx, batchChange(change));
  }

  recordPlacements(trx: Tx, change: BatchChangeInput, at: string): Promise<number> {
    return recordPlacementEvents(trx, batchChange(change), at);
  }

  returnPlaced(trx: Tx, change: BatchChangeInput): Promise<number> {
    return returnBatchAccounts(trx, batchChange(change));
  }

  /** Writes one transition: the account's standing, balance and days, and its event. */
  async apply(
    trx: Tx,
    staffId: string | null,
    row: AccountFacts,
    input: TransitionInput,
    batchId: string | null,
  ): Promise<StandingEvent> {
    const balanceCents = input.balanceCents ?? Number(row.balance_cents);
    const daysPastDue = input.to === 'good' ? 0 : (input.daysPastDue ?? row.days_past_due);
    const note = input.note?.trim() || null;
    const change = {
      to: input.to,
      reason: input.reason,
      note,
      balanceCents,
      daysPastDue,
      madeOfflineAt: madeOfflineAt() ?? null,
    };
    const id = await writeTransition(trx, staffId, row, change, batchId);
    if (id === null) {
      throw new AppError(
        'CONFLICT',
        `Account ${row.account_number} changed while this was being saved; nothing was changed.`,
      );
    }
    return {
      id,
      accountId: row.id,
      from: row.standing,
      to: input.to,
      reason: input.reason,
      note,
      balanceCents,
      daysPastDue,
      by: null,
      batchId,
      at: '',
    };
  }

  async timeline(actor: Actor, accountId: string): Promise<StandingEvent[]> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.standing))
      throw new AppError('FORBIDDEN', 'Your role may not see standing.');
    const showBalance = canRead(access.balanceCents);
    return (await standingTimeline(this.db, accountId)).map(
      ({ batchNeverSent, madeOfflineAt: offlineAt, ...e }) => ({
        ...e,
        ...(offlineAt ? { madeOfflineAt: offlineAt } : {}),
        balanceCents: showBalance ? e.balanceCents : null,
        // The event stays as written (append-only); the timeline says its batch never left.
        ...(batchNeverSent ? { batchNeverSent: true } : {}),
      }),
    );
  }

  // ---- holds --------------------------------------------------------------------------------

  async holds(actor: Actor, accountId: string): Promise<AccountHold[]> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.standing))
      throw new AppError('FORBIDDEN', 'Your role may not see collection holds.');
    return (await holdsOf(this.db, accountId)).map((h) => ({
      kind: h.kind,
      label: HOLD_LABELS[h.kind],
      since: h.since,
      note: h.note,
      setBy: h.setBy ?? '?',
      setAt: h.setAt,
    }));
  }

  async setHold(
    actor: Actor,
    accountId: string,
    kind: HoldKind,
    since: string,
    note: string,
  ): Promise<AccountHold[]> {
    const set = await setHold(this.db, {
      accountId,
      kind,
      since,
      note,
      staffId: actor.staffId,
      madeOfflineAt: madeOfflineAt() ?? null,
    });
    if (!set) throw new AppError('NOT_FOUND', 'No such account.');
    return this.holds(actor, accountId);
  }

  async clearHold(
    actor: Actor,
    accountId: string,
    kind: HoldKind,
    note: string,
  ): Promise<AccountHold[]> {
    const cleared = await clearHold(this.db, {
      accountId,
      kind,
      note,
      staffId: actor.staffId,
      madeOfflineAt: madeOfflineAt() ?? null,
    });
    if (!cleared) {
      throw new AppError(
        'NOT_FOUND',
        `This account has no ${HOLD_LABELS[kind].toLowerCase()} hold.`,
      );
    }
    return this.holds(actor, accountId);
  }
}
