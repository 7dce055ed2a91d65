import { v7 as uuidv7 } from 'uuid';
import type { DisclosureApprover, DisclosureOutcome } from '../../../shared/types';
import type { DisclosureFactsStore, RecipientFacts } from '../../db/stores/disclosures-facts';
import type { GateApproval } from '../../policy/disclosure-gate';
import type { Actor } from '../accounts/service';
import type { RecordBody } from '../audit/chain';
import type { Ledger } from '../audit/ledger';
import { toRecordView } from '../audit/record-view';
import type { Session } from '../session';
import { legalBasis, type DisclosureInput } from './input';

/** The disclosure records of the gate's decisions: every attempt, refused ones included. */
export class DisclosureRecorder {
  constructor(
    private readonly facts: DisclosureFactsStore,
    private readonly ledger: Ledger,
  ) {}

  /**
   * The record of a disclosure to a third party, before its file: who, approvers, recipient,
   * purpose, legal basis, accounts and fields. Built before any transaction it is appended in:
   * on SQLite the pool has one connection, held by the transaction.
   */
  private async body(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    recipient: RecipientFacts | undefined,
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<RecordBody> {
    return {
      id: uuidv7(),
      kind: 'admitted',
      ref_seq: null,
      staff_id: actor.staffId,
      staff_name: await this.facts.staffName(actor.staffId),
      workstation: session.client.hostname,
      approvers: JSON.stringify(await this.approverDetails(approvals)),
      recipient_id: input.recipientId,
      recipient_name: recipient?.name ?? null,
      recipient_contact: recipient?.contact ?? null,
      recipient_type: recipient?.type ?? null,
      purpose: input.purpose,
      legal_basis: legalBasis(input.purpose, input.legal ?? null, input.justification ?? null),
      account_ids: JSON.stringify(input.allAccounts ? ['*'] : [...new Set(input.accountIds)]),
      fields: JSON.stringify(input.fields),
      row_count: 0,
      file_path: null,
      format: input.format,
      sha256: null,
      refusal: null,
      request_id: requestId,
    };
  }

  /** `body`, with the recipient read from the register. */
  async bodyFor(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<RecordBody> {
    const recipient = await this.facts.recipient(input.recipientId);
    return this.body(session, actor, input, recipient, approvals, requestId);
  }

  /** Records a refusal, with its reasons, and answers with it. */
  async refuse(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    reasons: string[],
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<DisclosureOutcome> {
    const body: RecordBody = {
      ...(await this.bodyFor(session, actor, input, approvals, requestId)),
      kind: 'refused',
      // One reason per line: a reason itself may contain '; '.
      refusal: reasons.join('\n'),
    };
    const rec = await this.ledger.appendAlone(body);
    return {
      status: 'refused',
      reasons,
      requestId,
      waitingFor: [],
      record: toRecordView(rec, 'refused'),
    };
  }

  private async approverDetails(approvals: readonly GateApproval[]): Promise<DisclosureApprover[]> {
    const approved = approvals.filter((x) => x.decision === 'approved');
    const names = await this.facts.staffNames(approved.map((a) => a.staffId));
    return approved.map((a) => ({
      staffId: a.staffId,
      name: names.get(a.staffId) ?? '?',
      role: a.role,
      at: (a as { at?: string }).at ?? '',
    }));
  }
}
