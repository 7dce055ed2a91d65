import path from 'node:path';
import type { DisclosureApprover, DisclosureRecordView } from '../../../shared/types';

export type RecordStatus = DisclosureRecordView['status'];

/** A disclosure log row as the UI sees it; the file appears by name only, not its folder. */
export function toRecordView(
  r: Record<string, unknown>,
  status: RecordStatus,
): DisclosureRecordView {
  const accountIds = JSON.parse(String(r.account_ids)) as string[];
  return {
    seq: Number(r.seq),
    id: String(r.id),
    kind: r.kind as DisclosureRecordView['kind'],
    status,
    refSeq: r.ref_seq === null ? null : Number(r.ref_seq),
    recordedAt: String(r.recorded_at),
    staffName: (r.staff_name as string | null) ?? null,
    workstation: String(r.workstation),
    approvers: JSON.parse(String(r.approvers)) as DisclosureApprover[],
    recipientName: (r.recipient_name as string | null) ?? null,
    recipientContact: (r.recipient_contact as string | null) ?? null,
    recipientType: (r.recipient_type as DisclosureRecordView['recipientType']) ?? null,
    purpose: String(r.purpose) as DisclosureRecordView['purpose'],
    legalBasis: String(r.legal_basis),
    accountIds: accountIds.slice(0, 1000),
    accountCount: accountIds[0] === '*' ? Number(r.row_count) : accountIds.length,
    fields: JSON.parse(String(r.fields)) as string[],
    rowCount: Number(r.row_count),
    fileName: r.file_path ? path.basename(String(r.file_path)) : null,
    format: (r.format as DisclosureRecordView['format']) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    refusal: (r.refusal as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
  };
}

/** The status of each admitted record follows from the records that complete or abandon it. */
export function statusOf(
  r: Record<string, unknown>,
  followUps: ReadonlyMap<number, Record<string, unknown>>,
): RecordStatus {
  const kind = String(r.kind);
  if (kind === 'refused') return 'refused';
  if (kind === 'completed') return 'completed';
  if (kind === 'abandoned') return 'abandoned';
  const next = followUps.get(Number(r.seq));
  if (!next) return 'incomplete';
  return next.kind === 'abandoned' ? 'abandoned' : 'completed';
}
