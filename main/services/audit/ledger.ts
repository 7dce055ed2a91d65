import { v7 as uuidv7 } from 'uuid';
import type { DisclosureLogStore } from '../../db/stores/disclosures-log';
import type { Transactions, Tx } from '../../db/stores/scope';
import type { RecordBody, StoredRecord } from './chain';
import type { WitnessLog } from './witness';

/**
 * Appends records to the disclosure log: each appended record is witnessed outside the database
 * once its transaction commits (WitnessLog.afterCommit), whoever appends it.
 */
export class Ledger {
  constructor(
    private readonly log: DisclosureLogStore,
    private readonly tx: Transactions,
    private readonly witnesses: WitnessLog,
  ) {}

  /** Appends a record in the caller's transaction. */
  async append(trx: Tx, body: RecordBody): Promise<StoredRecord> {
    const record = await this.log.append(trx, body);
    this.witnesses.afterCommit(trx, { seq: Number(record.seq), hash: record.hash });
    return record;
  }

  /** Takes the chain's write lock until `trx` ends (before reads an append depends on). */
  lockHead(trx: Tx): Promise<void> {
    return this.log.lockHead(trx);
  }

  /** Appends a record in a transaction of its own. */
  appendAlone(body: RecordBody): Promise<StoredRecord> {
    return this.tx.run((trx) => this.append(trx, body));
  }

  /**
   * Appends a record in a transaction whose commit is on disk when this resolves; `also` writes
   * what belongs with the record in the same transaction (a sealed file's hashes).
   */
  appendDurably(
    body: RecordBody,
    also?: (trx: Tx, record: StoredRecord) => Promise<void>,
  ): Promise<StoredRecord> {
    return this.tx.durable(async (trx) => {
      const record = await this.append(trx, body);
      await also?.(trx, record);
      return record;
    });
  }

  /**
   * Appends a record's completion or abandonment unless one exists: a recovery killed after
   * appending, or another workstation starting at the same moment, must not resolve it twice.
   * The chain's head is locked first, so the check and the append cannot interleave.
   */
  resolveOnce(
    intent: Record<string, unknown>,
    kind: 'completed' | 'abandoned',
    workstation: string,
  ): Promise<boolean> {
    return this.tx.run(async (trx) => {
      await this.log.lockHead(trx);
      if (await this.log.hasFollowUp(trx, Number(intent.seq))) return false;
      await this.append(trx, { ...followUp(intent, kind), workstation });
      return true;
    });
  }
}

/** The record that completes or abandons an admitted one: the same facts, pointing back to it. */
export function followUp(
  intent: Record<string, unknown>,
  kind: 'completed' | 'abandoned',
): RecordBody {
  return {
    id: uuidv7(),
    kind,
    ref_seq: Number(intent.seq),
    staff_id: intent.staff_id as string | null,
    staff_name: intent.staff_name as string | null,
    workstation: String(intent.workstation),
    approvers: String(intent.approvers),
    recipient_id: intent.recipient_id as string | null,
    recipient_name: intent.recipient_name as string | null,
    recipient_contact: intent.recipient_contact as string | null,
    recipient_type: intent.recipient_type as string | null,
    purpose: String(intent.purpose),
    legal_basis: String(intent.legal_basis),
    account_ids: '[]',
    fields: String(intent.fields),
    row_count: Number(intent.row_count),
    file_path: intent.file_path as string | null,
    format: intent.format as string | null,
    sha256: intent.sha256 as string | null,
    refusal: null,
    request_id: intent.request_id as string | null,
  };
}
