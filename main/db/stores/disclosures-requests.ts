/** Disclosure requests awaiting approval, and their approvals: the only writer of both tables. */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/errors';
import type { ExportFormat, Purpose } from '../../../shared/disclosure';
import type { Role } from '../../../shared/roles';
import { dbNow, toIso } from '../connect';
import { lockRows } from '../locks';
import type { Scope, Tx } from './scope';

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'executing' | 'done';

export interface RequestRow {
  id: string;
  requester_id: string;
  recipient_id: string;
  purpose: Purpose;
  account_ids: string;
  fields: string;
  format: ExportFormat;
  legal: string | null;
  justification: string | null;
  status: RequestStatus;
  created_at: string;
}

export interface ApprovalRow {
  staffId: string;
  role: Role;
  decision: 'approved' | 'rejected';
  at: string;
}

export class DisclosureRequestStore {
  constructor(private readonly db: Knex) {}

  async insert(row: Omit<RequestRow, 'created_at' | 'status'>): Promise<void> {
    await this.db('disclosure_requests').insert({
      ...row,
      status: 'pending',
      created_at: dbNow(this.db),
      updated_at: dbNow(this.db),
    });
  }

  async get(id: string, scope: Scope = this.db): Promise<RequestRow> {
    const row = await scope('disclosure_requests').where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such disclosure request.');
    return row as RequestRow;
  }

  /**
   * Locks the request's row until `trx` ends: two approvers deciding at once, or an approval
   * racing a rejection, take turns and each sees the other's decision (main/db/locks.ts).
   */
  lock(trx: Tx, id: string): Promise<void> {
    return lockRows(trx, 'disclosure_requests', { id });
  }

  /** Moves a request from status `from` to `to`; false when it was not in `from`. */
  async setStatus(
    id: string,
    to: RequestStatus,
    from: RequestStatus,
    scope: Scope = this.db,
  ): Promise<boolean> {
    const changed = await scope('disclosure_requests')
      .where({ id, status: from })
      .update({ status: to, updated_at: dbNow(scope) });
    return changed > 0;
  }

  /** Sets the status whatever it was (inside the transaction that locked the row). */
  async decide(trx: Tx, id: string, status: RequestStatus): Promise<void> {
    await trx('disclosure_requests')
      .where({ id })
      .update({ status, updated_at: dbNow(trx) });
  }

  async approvals(requestId: string, scope: Scope = this.db): Promise<ApprovalRow[]> {
    const rows = await scope('disclosure_approvals').where({ request_id: requestId }).orderBy('id');
    return rows.map((r) => ({
      staffId: r.staff_id,
      role: r.role,
      decision: r.decision,
      at: toIso(r.at),
    }));
  }

  async addApproval(
    trx: Tx,
    a: { id: string; requestId: string; staffId: string; role: Role; decision: string },
    note: string | null,
  ): Promise<void> {
    await trx('disclosure_approvals').insert({
      id: a.id,
      request_id: a.requestId,
      staff_id: a.staffId,
      role: a.role,
      decision: a.decision,
      note,
      at: dbNow(trx),
    });
  }

  /** The requests an inbox shows: open or just decided, newest first. */
  async open(): Promise<RequestRow[]> {
    return this.db('disclosure_requests')
      .whereIn('status', ['pending', 'approved', 'rejected'])
      .orderBy('id', 'desc')
      .limit(200);
  }

  /** Requests left claimed for execution (by a crash, at start-up). */
  async executing(): Promise<string[]> {
    const rows: { id: string }[] = await this.db('disclosure_requests')
      .where({ status: 'executing' })
      .select('id');
    return rows.map((r) => r.id);
  }
}
