import { v7 as uuidv7 } from 'uuid';
import type { FieldKey } from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import type {
  DisclosureOutcome,
  DisclosureRecordView,
  DisclosureRequestView,
} from '../../../shared/types';
import type { DisclosureFactsStore } from '../../db/stores/disclosures-facts';
import type { DisclosureLogStore } from '../../db/stores/disclosures-log';
import type { DisclosureRequestStore, RequestRow } from '../../db/stores/disclosures-requests';
import type { GateApproval } from '../../policy/disclosure-gate';
import type { AccessLogService } from '../access-log';
import { rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import type { Actor } from '../accounts/service';
import type { ExportPublisher } from '../exports/publisher';
import type { RecipientKey } from '../exports/seal';
import type { ExportRow } from '../exports/writer';
import type { Session } from '../session';
import type { DisclosureApprovals } from './approvals';
import { DisclosureFourEyes } from './four-eyes';
import type { DisclosureGateCheck } from './gate-check';
import { inputOf, type DisclosureInput } from './input';
import type { DisclosureRecorder } from './recorder';
import type { RequestViews } from './request-views';

/**
 * The disclosure workflow: a request is decided by the gate, waits for approval where the
 * purpose needs it, and is carried out by its requester; every attempt is recorded, and only an
 * admitted one writes a file (through the export publisher).
 */
export class DisclosureWorkflow {
  constructor(
    private readonly requests: DisclosureRequestStore,
    private readonly log: DisclosureLogStore,
    private readonly facts: DisclosureFactsStore,
    private readonly gate: DisclosureGateCheck,
    private readonly recorder: DisclosureRecorder,
    private readonly approvals: DisclosureApprovals,
    private readonly views: RequestViews,
    private readonly publisher: ExportPublisher,
    private readonly accessLog: AccessLogService,
    /** The recipient's OpenPGP key, if registered: their file is sealed to it. */
    private readonly sealingKey: (recipientId: string) => Promise<RecipientKey | null>,
  ) {}

  async request(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
  ): Promise<DisclosureOutcome> {
    const decision = await this.gate.decide(actor, input, []);
    if (decision.outcome === 'refused')
      return this.recorder.refuse(session, actor, input, decision.reasons, [], null);
    if (decision.outcome === 'needs_approval') {
      const id = uuidv7();
      await this.requests.insert({
        id,
        requester_id: actor.staffId,
        recipient_id: input.recipientId,
        purpose: input.purpose,
        account_ids: JSON.stringify(input.allAccounts ? ['*'] : input.accountIds),
        fields: JSON.stringify(input.fields),
        format: input.format,
        legal: input.legal ? JSON.stringify(input.legal) : null,
        justification: input.justification ?? null,
      });
      const waitingFor = decision.waitingFor;
      return { status: 'pending', reasons: [], requestId: id, waitingFor, record: null };
    }
    if (!input.fileName) {
      throw new AppError('VALIDATION', 'Name the file to write.', {
        fieldErrors: { fileName: 'Required.' },
      });
    }
    const record = await this.export(session, actor, input, input.fileName, [], null);
    return { status: 'completed', reasons: [], requestId: null, waitingFor: [], record };
  }

  decideApproval(
    session: Session,
    actor: Actor,
    requestId: string,
    decision: 'approved' | 'rejected',
    note: string | null,
  ): Promise<DisclosureRequestView> {
    return this.approvals.decide(session, actor, requestId, decision, note);
  }

  inbox(actor: Actor): Promise<DisclosureRequestView[]> {
    return this.views.inbox(actor);
  }

  async execute(
    session: Session,
    actor: Actor,
    requestId: string,
    fileName: string,
  ): Promise<DisclosureOutcome> {
    const req = await this.requests.get(requestId);
    if (req.requester_id !== actor.staffId)
      throw new AppError('FORBIDDEN', 'Only the requester can carry out an approved request.');
    await this.claim(requestId);
    try {
      return await this.executeClaimed(session, actor, req, fileName);
    } catch (err) {
      // Nothing was disclosed (a file name taken, a database error): the approval stands.
      await this.requests.setStatus(requestId, 'approved', 'executing');
      throw err;
    }
  }

  /**
   * At start-up, after recovery of exports: a request left claimed by a crash is done if its
   * disclosure completed, and approved again otherwise (nothing left, or its file was abandoned).
   */
  async releaseInterruptedClaims(): Promise<void> {
    for (const id of await this.requests.executing()) {
      const completed = await this.log.requestCompleted(id);
      await this.requests.setStatus(id, completed ? 'done' : 'approved', 'executing');
    }
  }

  /**
   * Takes an approved request for execution in one conditional write, so that two executions of
   * one approval at once (two windows, two workstations) cannot both disclose: the second finds
   * it no longer approved. A crash mid-execution leaves it claimed; start-up gives it back.
   */
  private async claim(requestId: string): Promise<void> {
    if (await this.requests.setStatus(requestId, 'executing', 'approved')) return;
    const { status } = await this.requests.get(requestId);
    throw new AppError(
      'CONFLICT',
      status === 'executing'
        ? 'This request is being carried out right now (in another window or on another workstation).'
        : `This request is ${status}, not approved.`,
    );
  }

  private async executeClaimed(
    session: Session,
    actor: Actor,
    req: RequestRow,
    fileName: string,
  ): Promise<DisclosureOutcome> {
    const requestId = req.id;
    const approvals = await this.requests.approvals(requestId);
    const input = inputOf(req);
    // The conditions are checked again now: an account may have changed since approval, and an
    // approver's account may since have been made or reset by the requester or a co-approver.
    const people = await new DisclosureFourEyes(this.facts, this.facts.scope).counted(
      actor.staffId,
      approvals,
    );
    const gate = await this.gate.decide(actor, input, people.counted);
    if (gate.outcome !== 'admitted') {
      const reasons = [
        ...people.reasons,
        ...(gate.outcome === 'refused'
          ? gate.reasons
          : [`still waiting for ${gate.waitingFor.join(' and ')}`]),
      ];
      await this.requests.setStatus(requestId, 'rejected', 'executing');
      return this.recorder.refuse(session, actor, input, reasons, approvals, requestId);
    }
    const record = await this.export(session, actor, input, fileName, approvals, requestId);
    await this.requests.setStatus(requestId, 'done', 'executing');
    return { status: 'completed', reasons: [], requestId, waitingFor: [], record };
  }

  private async export(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    fileName: string,
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<DisclosureRecordView> {
    const base = await this.recorder.bodyFor(session, actor, input, approvals, requestId);
    const ids = input.allAccounts ? null : [...new Set(input.accountIds)];
    const view = await this.publisher.publish(
      fileName,
      input.format,
      input.fields,
      { rows: this.rawRows(ids, input.fields) },
      (file) => ({
        ...base,
        row_count: file.rowCount,
        file_path: file.finalPath,
        sha256: file.sha256,
      }),
      await this.sealingKey(input.recipientId),
    );
    await this.accessLog.record(session, {
      action: 'export',
      screen: `disclosure.${input.purpose}`,
      recordIds: ids ?? [],
      resultCount: view.rowCount,
    });
    return view;
  }

  /** The disclosed values themselves: the gate already required the requester to read every field. */
  private async *rawRows(
    ids: readonly string[] | null,
    fields: readonly FieldKey[],
  ): AsyncGenerator<ExportRow> {
    for await (const r of this.facts.accountRows(ids)) {
      const values = rowToValues(r as AccountRecord);
      yield Object.fromEntries(fields.map((f) => [f, values[f]]));
    }
  }
}
