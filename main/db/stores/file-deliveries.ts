/** Files the team server holds for a workstation until it confirms them (migration 0017). */
import type { Knex } from 'knex';

export interface FileDeliveryRow {
  id: string;
  ticketHash: string;
  staffId: string;
  sessionHash: string;
  workstation: string;
  fileName: string;
  bytes: number;
  sha256: string;
  spoolPath: string;
  createdAt: string;
  settledAt: string | null;
  outcome: 'delivered' | 'abandoned' | null;
}

function fromDb(r: Record<string, unknown>): FileDeliveryRow {
  return {
    id: String(r.id),
    ticketHash: String(r.ticket_hash),
    staffId: String(r.staff_id),
    sessionHash: String(r.session_hash),
    workstation: String(r.workstation),
    fileName: String(r.file_name),
    bytes: Number(r.bytes),
    sha256: String(r.sha256),
    spoolPath: String(r.spool_path),
    createdAt: String(r.created_at),
    settledAt: (r.settled_at as string | null) ?? null,
    outcome: (r.outcome as FileDeliveryRow['outcome']) ?? null,
  };
}

export class FileDeliveryStore {
  constructor(private readonly db: Knex) {}

  async insert(row: Omit<FileDeliveryRow, 'settledAt' | 'outcome'>): Promise<void> {
    await this.db('file_deliveries').insert({
      id: row.id,
      ticket_hash: row.ticketHash,
      staff_id: row.staffId,
      session_hash: row.sessionHash,
      workstation: row.workstation,
      file_name: row.fileName,
      bytes: row.bytes,
      sha256: row.sha256,
      spool_path: row.spoolPath,
      created_at: row.createdAt,
    });
  }

  async find(id: string): Promise<FileDeliveryRow | null> {
    const r = (await this.db('file_deliveries').where('id', id).first()) as
      Record<string, unknown> | undefined;
    return r ? fromDb(r) : null;
  }

  async pendingFor(staffId: string, workstation: string): Promise<FileDeliveryRow[]> {
    const rows = (await this.db('file_deliveries')
      .where({ staff_id: staffId, workstation })
      .whereNull('settled_at')
      .orderBy('created_at')
      .limit(100)) as Record<string, unknown>[];
    return rows.map(fromDb);
  }

  /** Every spool path a row still claims (for the start-up sweep of the spool folder). */
  async unsettledPaths(): Promise<string[]> {
    const rows = (await this.db('file_deliveries')
      .whereNull('settled_at')
      .select('spool_path')) as { spool_path: string }[];
    return rows.map((r) => r.spool_path);
  }

  /** Unsettled rows made before `iso` (their workstation never came back for them). */
  async unsettledBefore(iso: string): Promise<FileDeliveryRow[]> {
    const rows = (await this.db('file_deliveries')
      .whereNull('settled_at')
      .where('created_at', '<', iso)
      .limit(1000)) as Record<string, unknown>[];
    return rows.map(fromDb);
  }

  /** Settles a row once; false when it was settled already (by another call or instance). */
  async settle(id: string, outcome: 'delivered' | 'abandoned', at: string): Promise<boolean> {
    const n = await this.db('file_deliveries')
      .where('id', id)
      .whereNull('settled_at')
      .update({ settled_at: at, outcome });
    return n === 1;
  }
}
