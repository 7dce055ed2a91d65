import { COLLECTION_FIELDS, type ExportFormat } from '../../../shared/disclosure';
import type { Role } from '../../../shared/roles';
import type { DisclosureOutcome } from '../../../shared/types';
import type { AccessMap } from '../../../shared/visibility';
import type { Transactions } from '../../db/stores/scope';
import type { AccessLogService } from '../access-log';
import type { Actor } from '../accounts/service';
import type { StoredRecord } from '../audit/chain';
import type { Ledger } from '../audit/ledger';
import { toRecordView } from '../audit/record-view';
import { recordSealed, type ExportPublisher } from '../exports/publisher';
import type { RecipientKey } from '../exports/seal';
import { faultPoint } from '../exports/faults';
import { writeExport } from '../exports/writer';
import type { Session } from '../session';
import type { DisclosureGateCheck } from './gate-check';
import type { DisclosureInput } from './input';
import { PLACEMENT_FILE_COLUMNS, type BatchFiling, type BatchOrder } from './placement-batch';
import type { DisclosureRecorder } from './recorder';

/** A collection batch to place: which accounts (by filters), and its file. */
export interface PlacementOrder extends BatchOrder {
  format: ExportFormat;
  fileName: string;
}

/**
 * Placements with a collection agency (purpose debt_collection): the accounts are chosen,
 * checked by the gate, written and moved to in collection in one durable transaction, so the
 * record, the file's hash and the accounts' new standing commit together or not at all, and the
 * file appears only after that commit.
 */
export class PlacementDisclosures {
  constructor(
    private readonly filing: BatchFiling,
    private readonly tx: Transactions,
    private readonly gate: DisclosureGateCheck,
    private readonly recorder: DisclosureRecorder,
    private readonly ledger: Ledger,
    private readonly publisher: ExportPublisher,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly accessLog: AccessLogService,
    /** The agency's OpenPGP key, if registered: the placement file is sealed to it. */
    private readonly sealingKey: (recipientId: string) => Promise<RecipientKey | null>,
  ) {}

  async place(session: Session, actor: Actor, order: PlacementOrder): Promise<DisclosureOutcome> {
    // Everything that reads outside the transaction happens first: on SQLite the pool has one
    // connection, and the transaction holds it.
    const access = await this.accessFor(actor.role);
    const input: DisclosureInput = {
      recipientId: order.filters.agencyId,
      purpose: 'debt_collection',
      accountIds: [],
      allAccounts: false,
      fields: COLLECTION_FIELDS,
      format: order.format,
    };
    const base = await this.recorder.bodyFor(session, actor, input, [], order.batchId);
    const sealTo = await this.sealingKey(order.filters.agencyId);
    // Durable: its commit is on disk before the placement file gets its final name.
    const durable = await this.tx.startDurable();
    const trx = durable.trx;
    try {
      // Take the write lock first, so the selection cannot change under us.
      await this.ledger.lockHead(trx);
      const ids = await this.filing.select(trx, order.filters);
      const named = { ...input, accountIds: ids };
      const decision = await this.gate.decide(actor, named, [], trx, access);
      if (decision.outcome !== 'admitted') {
        await durable.rollback();
        const reasons = decision.outcome === 'refused' ? decision.reasons : [];
        return this.recorder.refuse(session, actor, named, reasons, [], order.batchId);
      }
      let intent: StoredRecord | null = null;
      // The accounts are placed and moved as the file is written, all in this transaction.
      const filer = await this.filing.open(trx, order, ids.length);
      await writeExport({
        sealTo,
        dir: this.publisher.exportDir,
        fileName: order.fileName,
        format: order.format,
        columns: PLACEMENT_FILE_COLUMNS,
        chunks: this.filing.chunks(trx, ids, order.today, filer),
        recordIntent: async (file) => {
          intent = await this.ledger.append(trx, {
            ...base,
            account_ids: JSON.stringify(ids),
            row_count: file.rowCount,
            file_path: file.finalPath,
            sha256: file.sha256,
          });
          await recordSealed(trx, Number(intent.seq), file);
          await filer.finish(Number(intent.seq));
          faultPoint('batch-before-commit');
          await durable.commit();
        },
        recordDone: () => this.publisher.complete(intent!),
      }).finally(() => filer.close().catch(() => undefined));
      await this.accessLog.record(session, {
        action: 'export',
        screen: 'collections.batch',
        recordIds: ids,
      });
      const record = toRecordView(intent!, 'completed');
      return { status: 'completed', reasons: [], requestId: order.batchId, waitingFor: [], record };
    } catch (err) {
      await durable.rollback().catch(() => undefined); // nothing once committed
      throw err;
    }
  }
}
