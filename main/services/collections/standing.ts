import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Standing } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import {
  HOLD_LABELS,
  HOLD_ROLES,
  STANDING_LABELS,
  findTransition,
  type HoldKind,
  type StandingReason,
} from '../../../shared/standing';
import type { AccountHold, BulkPreview, StandingEvent } from '../../../shared/types';
import { canRead, canEdit, type AccessMap } from '../../../shared/visibility';
import { dbNow, toIso } from '../../db/connect';
import { lockRows } from '../../db/locks';
import type { Actor } from '../accounts/service';
import { bulkTable } from '../../db/engine/bulk';
import { IdSource } from '../import/ids';

export interface TransitionInput {
  to: Standing;
  reason: StandingReason;
  note?: string | undefined;
  /** The balance owed; when it differs from the account's, the role must be able to edit balances. */
  balanceCents?: number | undefined;
  daysPastDue?: number | undefined;
}

/** The columns of an account a transition reads (`AccountFacts`). */
export const ACCOUNT_FACT_COLUMNS = [
  'id',
  'account_number',
  'standing',
  'balance_cents',
  'days_past_due',
  'version',
] as const;

export interface AccountFacts {
  id: string;
  account_number: string;
  standing: Standing;
  balance_cents: number | string;
  days_past_due: number;
  version: number;
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
    private readonly db: Knex,
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
        const rows: AccountFacts[] = await trx('accounts')
          .whereIn('id', ids.slice(i, i + 500))
          .select(ACCOUNT_FACT_COLUMNS);
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
    const rows = await this.db('accounts')
      .where({ standing: selection.standing })
      .andWhere('days_past_due', '>=', selection.minDaysPastDue)
      .orderBy('id')
      .limit(100_001)
      .select('id');
    if (rows.length > 100_000) {
      throw new AppError('VALIDATION', 'More than 100,000 accounts match: narrow the selection.');
    }
    return rows.map((r: { id: string }) => r.id);
  }

  /** What a bulk change would do, without doing it. */
  async preview(actor: Actor, ids: readonly string[], to: Standing): Promise<BulkPreview> {
    const access = await this.accessFor(actor.role);
    const reasons: string[] = [];
    let changing = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const rows: AccountFacts[] = await this.db('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .select(ACCOUNT_FACT_COLUMNS);
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
   * Moves sets of accounts, all in the standing `from`, each set in two statements: batches place
   * and recall up to a hundred thousand accounts inside one transaction. The events go through
   * one bulk writer for the whole batch (constants written once, ids from a pooled source), at
   * one time from the database clock; `close` must be called before the transaction ends.
   */
  async mover(
    trx: Knex.Transaction,
    staffId: string | null,
    change: { from: Standing; to: Standing; reason: StandingReason; note?: string | undefined },
    batchId: string | null,
  ): Promise<{ move(rows: readonly AccountFacts[]): Promise<void>; close(): Promise<void> }> {
    const { at } = (await trx.first(trx.raw('? as ??', [dbNow(trx), 'at']))) as { at: string };
    const events = await bulkTable(
      trx,
      'standing_events',
      ['id', 'account_id', 'balance_cents', 'days_past_due'],
      {
        from_standing: change.from,
        to_standing: change.to,
        reason: change.reason,
        note: change.note?.trim() || null,
        staff_id: staffId,
        batch_id: batchId,
        at,
      },
    );
    const ids = new IdSource();
    return {
      async move(rows) {
        if (rows.length === 0) return;
        const moved = await trx('accounts')
          .whereIn(
            'id',
            rows.map((r) => r.id),
          )
          .andWhere('standing', change.from)
          .update({
            standing: change.to,
            updated_at: at,
            updated_by: staffId,
            version: trx.raw('version + 1'),
          });
        if (moved !== rows.length) {
          throw new AppError(
            'CONFLICT',
            'Some accounts changed while this was being saved; nothing was changed.',
          );
        }
        await events.write(
          rows.map((row) => [ids.next(), row.id, Number(row.balance_cents), row.days_past_due]),
        );
      },
      close: () => events.close(),
    };
  }

  /** Writes one transition: the account's standing, balance and days, and its event. */
  async apply(
    trx: Knex.Transaction,
    staffId: string | null,
    row: AccountFacts,
    input: TransitionInput,
    batchId: string | null,
  ): Promise<StandingEvent> {
    const balanceCents = input.balanceCents ?? Number(row.balance_cents);
    const daysPastDue = input.to === 'good' ? 0 : (input.daysPastDue ?? row.days_past_due);
    const updated = await trx('accounts')
      .where({ id: row.id, standing: row.standing })
      .update({
        standing: input.to,
        balance_cents: balanceCents,
        days_past_due: daysPastDue,
        updated_at: dbNow(trx),
        updated_by: staffId,
        version: trx.raw('version + 1'),
      });
    if (updated !== 1) {
      throw new AppError(
        'CONFLICT',
        `Account ${row.account_number} changed while this was being saved; nothing was changed.`,
      );
    }
    const event = {
      id: uuidv7(),
      account_id: row.id,
      from_standing: row.standing,
      to_standing: input.to,
      reason: input.reason,
      note: input.note?.trim() || null,
      balance_cents: balanceCents,
      days_past_due: daysPastDue,
      staff_id: staffId,
      batch_id: batchId,
      at: dbNow(trx),
    };
    await trx('standing_events').insert(event);
    return {
      id: event.id,
      accountId: row.id,
      from: row.standing,
      to: input.to,
      reason: input.reason,
      note: event.note,
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
    const rows = await this.db('standing_events as e')
      .leftJoin('staff as s', 's.id', 'e.staff_id')
      .leftJoin('collection_batches as b', 'b.id', 'e.batch_id')
      .where('e.account_id', accountId)
      .orderBy('e.id')
      .select('e.*', 's.display_name', 'b.status as batch_status');
    const showBalance = canRead(access.balanceCents);
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      from: r.from_standing,
      to: r.to_standing,
      reason: r.reason,
      note: r.note,
      balanceCents: showBalance ? Number(r.balance_cents) : null,
      daysPastDue: Number(r.days_past_due),
      by: r.display_name ?? null,
      batchId: r.batch_id,
      // The event stays as written (append-only); the timeline says its batch never left.
      ...(r.batch_status === 'never_sent' ? { batchNeverSent: true } : {}),
      at: toIso(r.at),
    }));
  }

  // ---- holds --------------------------------------------------------------------------------

  async holds(actor: Actor, accountId: string): Promise<AccountHold[]> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.standing))
      throw new AppError('FORBIDDEN', 'Your role may not see collection holds.');
    const rows = await this.db('account_holds as h')
      .leftJoin('staff as s', 's.id', 'h.set_by')
      .where('h.account_id', accountId)
      .orderBy('h.kind')
      .select('h.*', 's.display_name');
    return rows.map((r) => ({
      kind: r.kind,
      label: HOLD_LABELS[r.kind as HoldKind],
      since: r.since,
      note: r.note,
      setBy: r.display_name ?? '?',
      setAt: toIso(r.set_at),
    }));
  }

  async setHold(
    actor: Actor,
    accountId: string,
    kind: HoldKind,
    since: string,
    note: string,
  ): Promise<AccountHold[]> {
    this.requireHoldRole(actor.role);
    await this.db.transaction(async (trx) => {
      // The same hold set twice at once: the second waits for the first and replaces it, rather
      // than both finding none and one failing on the key (main/db/locks.ts).
      await lockRows(trx, 'accounts', { id: accountId });
      const exists = await trx('accounts').where({ id: accountId }).first('id');
      if (!exists) throw new AppError('NOT_FOUND', 'No such account.');
      await trx('account_holds').where({ account_id: accountId, kind }).del();
      await trx('account_holds').insert({
        account_id: accountId,
        kind,
        since,
        note,
        set_by: actor.staffId,
        set_at: dbNow(trx),
      });
      await trx('hold_events').insert({
        id: uuidv7(),
        account_id: accountId,
        kind,
        event: 'set',
        since,
        note,
        staff_id: actor.staffId,
        at: dbNow(trx),
      });
    });
    return this.holds(actor, accountId);
  }

  async clearHold(
    actor: Actor,
    accountId: string,
    kind: HoldKind,
    note: string,
  ): Promise<AccountHold[]> {
    this.requireHoldRole(actor.role);
    await this.db.transaction(async (trx) => {
      const n = await trx('account_holds').where({ account_id: accountId, kind }).del();
      if (n === 0)
        throw new AppError(
          'NOT_FOUND',
          `This account has no ${HOLD_LABELS[kind].toLowerCase()} hold.`,
        );
      await trx('hold_events').insert({
        id: uuidv7(),
        account_id: accountId,
        kind,
        event: 'cleared',
        since: null,
        note,
        staff_id: actor.staffId,
        at: dbNow(trx),
      });
    });
    return this.holds(actor, accountId);
  }

  private requireHoldRole(role: Role): void {
    if (!HOLD_ROLES.includes(role)) {
      throw new AppError(
        'FORBIDDEN',
        `Collection holds are set by: ${HOLD_ROLES.map((r) => ROLE_LABELS[r]).join(', ')}.`,
      );
    }
  }
}
