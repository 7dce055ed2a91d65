import { ROLE_LABELS } from '../../../shared/roles';
import type { GateApproval } from '../../policy/disclosure-gate';
import { describeTaint, findTaint, SECOND_PERSON_RULE, type Party } from '../../policy/four-eyes';
import type { DisclosureFactsStore } from '../../db/stores/disclosures-facts';
import type { Scope } from '../../db/stores/scope';
import { lineageEvents } from '../staff-repo';

/**
 * Four eyes on disclosures count people (DESIGN.md section 4): the requester and each approver
 * must be separate people by the rule of main/policy/four-eyes.ts, every pair of them (so an
 * administrator approver and a compliance approver one of them made are one person, not two).
 * The gate itself only sees approvals that pass.
 */
export class DisclosureFourEyes {
  /** `scope`: the transaction the decision is made in, or the database. */
  constructor(
    private readonly facts: DisclosureFactsStore,
    private readonly scope: Scope,
  ) {}

  /**
   * Why `approverId` may not approve the request now (null: they may). Besides the lineage, the
   * cooling period applies at this moment: `now`.
   */
  async approvalRefusal(
    requesterId: string,
    approverId: string,
    earlier: readonly GateApproval[],
    now: Date,
  ): Promise<string | null> {
    const approved = earlier.filter((a) => a.decision === 'approved' && a.staffId !== approverId);
    const names = await this.names([requesterId, ...approved.map((a) => a.staffId)]);
    const others = this.parties(requesterId, approved, names);
    const events = await lineageEvents(this.scope, [approverId, ...others.map((o) => o.staffId)]);
    const taint = findTaint(approverId, others, events, now);
    if (!taint) return null;
    return `You cannot approve this request: ${describeTaint(taint, { you: true })}; ${SECOND_PERSON_RULE}`;
  }

  /**
   * The approvals that still count, looked at again when the request is decided or carried
   * out, and a reason for each that does not: the requester or a co-approver may have
   * created, re-roled, reactivated or reset an approver's account after the approval. The
   * cooling period was checked when each approver decided; a later change by someone else does
   * not undo that person's decision.
   */
  async counted(
    requesterId: string,
    approvals: readonly GateApproval[],
  ): Promise<{ counted: GateApproval[]; reasons: string[] }> {
    const approved = approvals.filter((a) => a.decision === 'approved');
    if (approved.length === 0) return { counted: [...approvals], reasons: [] };
    const names = await this.names([requesterId, ...approved.map((a) => a.staffId)]);
    const events = await lineageEvents(this.scope, [
      requesterId,
      ...approved.map((a) => a.staffId),
    ]);
    const counted: GateApproval[] = [];
    const reasons: string[] = [];
    for (const a of approvals) {
      if (a.decision !== 'approved') {
        counted.push(a);
        continue;
      }
      const earlier = counted.filter((c) => c.decision === 'approved');
      const taint = findTaint(a.staffId, this.parties(requesterId, earlier, names), events, null);
      if (!taint) {
        counted.push(a);
        continue;
      }
      const name = names.get(a.staffId) ?? '?';
      reasons.push(
        `the approval by ${name} (${ROLE_LABELS[a.role]}) does not count: ${describeTaint(taint, { name })}`,
      );
    }
    return { counted, reasons };
  }

  private parties(
    requesterId: string,
    approved: readonly GateApproval[],
    names: Map<string, string>,
  ): Party[] {
    return [
      { staffId: requesterId, name: names.get(requesterId) ?? '?', as: 'its requester' },
      ...approved.map((a) => ({
        staffId: a.staffId,
        name: names.get(a.staffId) ?? '?',
        as: `the ${ROLE_LABELS[a.role].toLowerCase()} who approved it`,
      })),
    ];
  }

  private names(ids: readonly string[]): Promise<Map<string, string>> {
    return this.facts.staffNames(ids, this.scope);
  }
}
