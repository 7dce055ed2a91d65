import { v7 as uuidv7 } from 'uuid';
import type { Standing } from '../../../shared/catalogue';
import type { ExportFormat } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import { BATCH_STATUS_LABELS } from '../../../shared/standing';
import type {
  BatchPreview,
  CollectionBatch,
  DashboardSummary,
  DisclosureOutcome,
  VisibleFields,
} from '../../../shared/types';
import { canRead, type AccessMap } from '../../../shared/visibility';
import { type BatchFilters, type CollectionBatchStore } from '../../db/stores/collection-batches';
import type { Transactions, Tx } from '../../db/stores/scope';
import { projectFields, visibleAccess } from '../../policy/visibility';
import type { Actor } from '../accounts/service';
import { rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import type { Clock } from '../clock';
import type { PlacementDisclosures } from '../disclosures/placement';
import type { Session } from '../session';
import type { StandingService } from './standing';

export type { BatchFilters };

/** What a batch's placement summary holds (through field visibility). */
export interface PlacementSummary {
  batch: CollectionBatch;
  agencyContact: string | null;
  accounts: { id: string; fields: VisibleFields; balancePlacedCents: number }[];
}

/**
 * Collection batches: bad-standing accounts not yet placed, without holds, sent to one agency
 * through the disclosure gate (the placement part of disclosures), and recallable.
 */
export class CollectionsService {
  constructor(
    private readonly batches: CollectionBatchStore,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly standing: StandingService,
    private readonly placements: PlacementDisclosures,
  ) {}

  async preview(actor: Actor, f: BatchFilters): Promise<BatchPreview> {
    const access = await this.accessFor(actor.role);
    await this.requireAgency(f.agencyId);
    const p = await this.batches.preview(f);
    // The sample goes through field visibility like every other path that returns customer data.
    return {
      count: p.count,
      totalCents: p.totalCents,
      currency: f.currency,
      sample: p.sample.map((r) => ({
        id: r.id,
        fields: projectFields(rowToValues(r as AccountRecord), access),
      })),
      access: visibleAccess(access),
      excludedByHolds: p.held,
    };
  }

  /**
   * Sends a batch: the placement part of disclosures chooses the accounts again inside its
   * transaction (so an account whose standing changed since the preview is not placed), has the
   * gate check them, writes the file, and files the batch, all in that one transaction.
   */
  async send(
    session: Session,
    actor: Actor,
    f: BatchFilters,
    file: { format: ExportFormat; fileName: string },
  ): Promise<{ batch: CollectionBatch | null; outcome: DisclosureOutcome }> {
    await this.requireAgency(f.agencyId);
    const batchId = uuidv7();
    const outcome = await this.placements.place(session, actor, {
      batchId,
      filters: f,
      staffId: actor.staffId,
      today: this.clock.now().toISOString().slice(0, 10),
      format: file.format,
      fileName: file.fileName,
    });
    return { batch: outcome.status === 'completed' ? await this.get(batchId) : null, outcome };
  }

  /** Takes a batch back from the agency: its accounts return to bad standing, recorded. */
  async recall(actor: Actor, batchId: string, reason: string): Promise<CollectionBatch> {
    await this.tx.run(async (trx) => {
      const batch = await this.batches.locked(trx, batchId);
      if (!batch) throw new AppError('NOT_FOUND', 'No such batch.');
      if (batch.status !== 'sent') {
        throw new AppError(
          'CONFLICT',
          `Batch ${batch.number} is already ${BATCH_STATUS_LABELS[batch.status].toLowerCase()}.`,
        );
      }
      await this.returnAccounts(trx, batchId, actor.staffId, {
        reason: 'recalled_from_agency',
        note: reason,
      });
      await this.batches.markRecalled(trx, batchId, actor.staffId, reason);
    });
    return this.get(batchId);
  }

  /** A batch's placed accounts go back to bad standing (each recorded) and its placements end. */
  private async returnAccounts(
    trx: Tx,
    batchId: string,
    staffId: string | null,
    change: { reason: 'recalled_from_agency' | 'placement_never_sent'; note: string | null },
  ): Promise<void> {
    // An account settled or written off meanwhile stays as it is.
    await this.standing.returnPlaced(trx, {
      batchId,
      staffId,
      from: 'in_collection',
      to: 'bad_standing',
      reason: change.reason,
      note: change.note ?? undefined,
    });
    await this.batches.endPlacements(trx, batchId);
  }

  async list(actor: Actor): Promise<CollectionBatch[]> {
    await this.requireBalanceReader(actor);
    return (await this.batches.list(500)).map(toBatch);
  }

  async get(id: string): Promise<CollectionBatch> {
    const row = await this.batches.get(id);
    if (!row) throw new AppError('NOT_FOUND', 'No such batch.');
    return toBatch(row);
  }

  /**
   * A batch as its placement summary shows it: the batch, the agency's address, and each account
   * placed as the caller's role sees it (the account's projection), with the balance placed.
   */
  async placementSummary(actor: Actor, batchId: string): Promise<PlacementSummary> {
    await this.requireBalanceReader(actor);
    const batch = await this.get(batchId);
    const access = await this.accessFor(actor.role);
    const agency = await this.batches.agency(batch.agencyId);
    const rows = await this.batches.placementRows(batchId);
    return {
      batch,
      agencyContact: agency?.contact ?? null,
      accounts: rows.map((r) => ({
        id: String(r.id),
        fields: projectFields(rowToValues(r as AccountRecord), access),
        balancePlacedCents: Number(r.balance_placed_cents),
      })),
    };
  }

  async dashboard(actor: Actor): Promise<DashboardSummary> {
    await this.requireBalanceReader(actor);
    const monthStart = `${this.clock.now().toISOString().slice(0, 7)}-01`;
    const { byStanding, batches } = await this.batches.dashboard(monthStart);
    return {
      byStanding: byStanding.map((r) => ({
        standing: r.standing as Standing,
        currency: String(r.currency),
        count: Number(r.n),
        totalCents: Number(r.total ?? 0),
      })),
      batchesThisMonth: batches.map((r) => ({
        agency: String(r.agency),
        currency: String(r.currency),
        batches: Number(r.batches),
        accounts: Number(r.accounts ?? 0),
        totalCents: Number(r.total ?? 0),
      })),
    };
  }

  /**
   * At start-up: a batch whose disclosure record was abandoned (a crash after its commit, before
   * its placement file got its name) never reached the agency. It is marked never sent and its
   * accounts return to bad standing with that reason, not as recalled. The batches are found
   * from the log, not from what this start's recovery resolved, so a start killed between the
   * two finishes the work at the next; each batch is changed once, under its row lock.
   */
  async recoverNeverSent(): Promise<string[]> {
    const changed: string[] = [];
    for (const id of await this.batches.sentButAbandoned()) {
      const done = await this.tx.run(async (trx) => {
        if ((await this.batches.locked(trx, id))?.status !== 'sent') return false;
        await this.returnAccounts(trx, id, null, {
          reason: 'placement_never_sent',
          note: 'The app stopped before the placement file was written: nothing reached the agency.',
        });
        await this.batches.markNeverSent(trx, id);
        return true;
      });
      if (done) changed.push(id);
    }
    return changed;
  }

  private async requireBalanceReader(actor: Actor): Promise<void> {
    const access = await this.accessFor(actor.role);
    if (!canRead(access.balanceCents) || !canRead(access.standing)) {
      throw new AppError('FORBIDDEN', 'Your role may not see balances and standing.');
    }
  }

  private async requireAgency(id: string): Promise<void> {
    const r = await this.batches.agency(id);
    if (!r)
      throw new AppError('NOT_FOUND', 'No such agency.', {
        fieldErrors: { agencyId: 'Choose a registered agency.' },
      });
    if (r.type !== 'collection_agency') {
      throw new AppError('VALIDATION', `${r.name} is not a collection agency.`, {
        fieldErrors: { agencyId: 'Choose a collection agency.' },
      });
    }
  }
}

function toBatch(r: Record<string, unknown>): CollectionBatch {
  return {
    id: String(r.id),
    number: String(r.number),
    agencyId: String(r.agency_id),
    agencyName: String(r.agency_name),
    status: r.status as CollectionBatch['status'],
    currency: String(r.currency),
    accountCount: Number(r.account_count),
    totalCents: Number(r.total_cents),
    filters: JSON.parse(String(r.filters)) as Record<string, unknown>,
    disclosureSeq: r.disclosure_seq === null ? null : Number(r.disclosure_seq),
    createdBy: String(r.creator),
    sentAt: String(r.sent_at),
    recalledAt: r.recalled_at ? String(r.recalled_at) : null,
    recallReason: (r.recall_reason as string | null) ?? null,
  };
}
