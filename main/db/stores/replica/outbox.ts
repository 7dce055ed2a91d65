/**
 * The outbox of an offline replica (migration r0002): the only reader and writer of
 * `replica_outbox`. Each command is committed on its own before the caller is answered, so a
 * workstation killed outright keeps every command it acknowledged (WAL, synchronous NORMAL: a
 * committed transaction survives the process; see main/db/sqlcipher.ts).
 */
import type { Knex } from 'knex';

export type OutboxStatus = 'pending' | 'applied' | 'conflict' | 'refused' | 'discarded';

export interface OutboxCommand {
  seq: number;
  id: string;
  staffId: string;
  madeAt: string;
  channel: string;
  accountId: string;
  baseVersion: number | null;
  input: unknown;
  status: OutboxStatus;
  /** What the server answered (the applied record, the conflict's current record, the refusal). */
  outcome: unknown;
  replayedAt: string | null;
}

interface Row {
  seq: number;
  id: string;
  staff_id: string;
  made_at: string;
  channel: string;
  account_id: string;
  base_version: number | null;
  input: string;
  status: OutboxStatus;
  outcome: string | null;
  replayed_at: string | null;
}

const toCommand = (r: Row): OutboxCommand => ({
  seq: Number(r.seq),
  id: r.id,
  staffId: r.staff_id,
  madeAt: r.made_at,
  channel: r.channel,
  accountId: r.account_id,
  baseVersion: r.base_version === null ? null : Number(r.base_version),
  input: JSON.parse(r.input) as unknown,
  status: r.status,
  outcome: r.outcome === null ? null : (JSON.parse(r.outcome) as unknown),
  replayedAt: r.replayed_at,
});

export class OutboxStore {
  constructor(private readonly db: Knex) {}

  async add(c: Omit<OutboxCommand, 'seq' | 'status' | 'outcome' | 'replayedAt'>): Promise<void> {
    await this.db('replica_outbox').insert({
      id: c.id,
      staff_id: c.staffId,
      made_at: c.madeAt,
      channel: c.channel,
      account_id: c.accountId,
      base_version: c.baseVersion,
      input: JSON.stringify(c.input),
      status: 'pending',
    });
  }

  /** Commands in the order they were made; only `status` ones when given. */
  async list(status?: OutboxStatus): Promise<OutboxCommand[]> {
    const q = this.db('replica_outbox').orderBy('seq');
    if (status) void q.where({ status });
    return ((await q) as Row[]).map(toCommand);
  }

  async settle(
    seq: number,
    status: Exclude<OutboxStatus, 'pending'>,
    outcome: unknown,
    at: string,
  ): Promise<void> {
    await this.db('replica_outbox')
      .where({ seq, status: 'pending' })
      .update({ status, outcome: JSON.stringify(outcome ?? null), replayed_at: at });
  }

  /** A conflict the staff member chose to send again (on the server's version): pending again. */
  async reopen(seq: number, input: unknown): Promise<void> {
    await this.db('replica_outbox')
      .where({ seq, status: 'conflict' })
      .update({
        status: 'pending',
        input: JSON.stringify(input),
        outcome: null,
        replayed_at: null,
      });
  }

  /** A conflict the staff member chose to drop, keeping the server's record: kept, not sent. */
  async discard(seq: number, at: string): Promise<void> {
    await this.db('replica_outbox')
      .where({ seq, status: 'conflict' })
      .update({ status: 'discarded', replayed_at: at });
  }
}
