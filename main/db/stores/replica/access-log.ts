/**
 * The access-log entries of reads made offline (replica migration r0003): the only reader and
 * writer of `replica_access_log`. Written before the read is answered, as online.
 */
import type { Knex } from 'knex';

export interface OfflineAccessEntry {
  seq: number;
  staffId: string;
  at: string;
  action: string;
  screen: string;
  queryKind: string | null;
  recordIds: string[];
  resultCount: number;
  uploadedAt: string | null;
}

interface Row {
  seq: number;
  staff_id: string;
  at: string;
  action: string;
  screen: string;
  query_kind: string | null;
  record_ids: string;
  result_count: number;
  uploaded_at: string | null;
}

export class OfflineAccessLogStore {
  constructor(private readonly db: Knex) {}

  async append(e: Omit<OfflineAccessEntry, 'seq' | 'uploadedAt'>): Promise<void> {
    await this.db('replica_access_log').insert({
      staff_id: e.staffId,
      at: e.at,
      action: e.action,
      screen: e.screen,
      query_kind: e.queryKind,
      record_ids: JSON.stringify(e.recordIds),
      result_count: e.resultCount,
    });
  }

  /** Entries not yet on the server, oldest first. */
  async pending(): Promise<OfflineAccessEntry[]> {
    const rows = (await this.db('replica_access_log')
      .whereNull('uploaded_at')
      .orderBy('seq')) as Row[];
    return rows.map((r) => ({
      seq: Number(r.seq),
      staffId: r.staff_id,
      at: r.at,
      action: r.action,
      screen: r.screen,
      queryKind: r.query_kind,
      recordIds: JSON.parse(r.record_ids) as string[],
      resultCount: Number(r.result_count),
      uploadedAt: r.uploaded_at,
    }));
  }

  async markUploaded(seqs: readonly number[], at: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.db('replica_access_log').whereIn('seq', seqs).update({ uploaded_at: at });
  }
}
