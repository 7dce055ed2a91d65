/**
 * Reads of the disclosure log for the register (the log, a customer's accounting, interrupted
 * exports) and for start-up recovery. Records are written only through the chain
 * (disclosures-chain.ts), by `append` here.
 */
import type { Knex } from 'knex';
import {
  appendRecord,
  lockChainHead,
  type RecordBody,
  type StoredRecord,
} from './disclosures-chain';
import type { Scope, Tx } from './scope';

export type LogRow = Record<string, unknown>;

/** Records read per statement: well under any bound-value limit. */
const CHUNK = 500;

export class DisclosureLogStore {
  constructor(private readonly db: Knex) {}

  append(trx: Tx, body: RecordBody): Promise<StoredRecord> {
    return appendRecord(trx, body);
  }

  /** Takes the chain's write lock until `trx` ends, so a check and an append cannot interleave. */
  lockHead(trx: Tx): Promise<void> {
    return lockChainHead(trx);
  }

  /** Refused and admitted records, newest first, from below `cursor`; one more than `limit`. */
  page(filter: { purpose?: string | undefined; cursor?: number | undefined; limit: number }) {
    const q = this.db('disclosure_log').whereIn('kind', ['refused', 'admitted']);
    if (filter.purpose) q.where({ purpose: filter.purpose });
    if (filter.cursor) q.where('seq', '<', filter.cursor);
    return q.orderBy('seq', 'desc').limit(filter.limit + 1) as Promise<LogRow[]>;
  }

  /** The completion or abandonment of each of these admitted records, by the record's seq. */
  async followUpsOf(seqs: readonly number[]): Promise<Map<number, LogRow>> {
    const followUps = new Map<number, LogRow>();
    for (let i = 0; i < seqs.length; i += CHUNK) {
      const f = await this.db('disclosure_log').whereIn('ref_seq', seqs.slice(i, i + CHUNK));
      for (const r of f) followUps.set(Number(r.ref_seq), r);
    }
    return followUps;
  }

  /**
   * Every admitted record that included this account (named, or all accounts by a transfer made
   * after it existed), newest first; null when there is no such account.
   */
  async accountingOf(accountId: string): Promise<LogRow[] | null> {
    const account = await this.db('accounts').where({ id: accountId }).first('id', 'created_at');
    if (!account) return null;
    const named = this.db('disclosure_accounts').select('seq').where({ account_id: accountId });
    return this.db('disclosure_log')
      .where('kind', 'admitted')
      .andWhere((w) =>
        w
          .whereIn('seq', named)
          .orWhere((b) =>
            b.where('account_ids', '["*"]').andWhere('recorded_at', '>=', account.created_at),
          ),
      )
      .orderBy('seq', 'desc');
  }

  /** Admitted records with neither a completion nor an abandonment, oldest first. */
  unresolved(): Promise<LogRow[]> {
    return this.db('disclosure_log as a')
      .where('a.kind', 'admitted')
      .whereNotExists(this.db('disclosure_log as f').whereRaw('f.ref_seq = a.seq'))
      .orderBy('a.seq');
  }

  /** Admitted records that were abandoned (crashes mid-export), newest first. */
  abandoned(limit: number): Promise<LogRow[]> {
    return this.db('disclosure_log as a')
      .where('a.kind', 'admitted')
      .whereExists(
        this.db('disclosure_log as f').whereRaw('f.ref_seq = a.seq').where('f.kind', 'abandoned'),
      )
      .orderBy('a.seq', 'desc')
      .limit(limit);
  }

  /** Whether record `seq` already has its completion or abandonment. */
  async hasFollowUp(scope: Scope, seq: number): Promise<boolean> {
    return Boolean(await scope('disclosure_log').where({ ref_seq: seq }).first('seq'));
  }

  /** Whether the disclosure a request admitted was completed. */
  async requestCompleted(requestId: string): Promise<boolean> {
    const completed = await this.db('disclosure_log as a')
      .join('disclosure_log as f', 'f.ref_seq', 'a.seq')
      .where({ 'a.request_id': requestId, 'a.kind': 'admitted', 'f.kind': 'completed' })
      .first('a.seq');
    return Boolean(completed);
  }
}
