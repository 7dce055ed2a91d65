import { v7 as uuidv7 } from 'uuid';
import { PURPOSE_RULES } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import type { DisclosureRequestView } from '../../../shared/types';
import type { AccessMap } from '../../../shared/visibility';
import type { DisclosureFactsStore } from '../../db/stores/disclosures-facts';
import type { DisclosureRequestStore, RequestRow } from '../../db/stores/disclosures-requests';
import type { Transactions } from '../../db/stores/scope';
import type { Actor } from '../accounts/service';
import type { Clock } from '../clock';
import type { Session } from '../session';
import { DisclosureFourEyes } from './four-eyes';
import type { DisclosureGateCheck } from './gate-check';
import { inputOf } from './input';
import type { DisclosureRecorder } from './recorder';
import type { RequestViews } from './request-views';

/** A second person's decision on a request that needs approval (four eyes count people). */
export class DisclosureApprovals {
  constructor(
    private readonly requests: DisclosureRequestStore,
    private readonly facts: DisclosureFactsStore,
    private readonly tx: Transactions,
    private readonly gate: DisclosureGateCheck,
    private readonly recorder: DisclosureRecorder,
    private readonly views: RequestViews,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly clock: Clock,
  ) {}

  async decide(
    session: Session,
    actor: Actor,
    requestId: string,
    decision: 'approved' | 'rejected',
    note: string | null,
  ): Promise<DisclosureRequestView> {
    const req = await this.requests.get(requestId);
    this.checkDecider(req, actor);
    // Everything that reads outside the transaction happens first (SQLite has one connection).
    const requester = {
      staffId: req.requester_id,
      role: (await this.facts.staffRole(req.requester_id)) as Role,
    };
    const requesterAccess = await this.accessFor(requester.role);
    const input = inputOf(req);
    // Decided under the request's row lock: two approvers of one role approving at once, or an
    // approval racing a rejection, take turns, and each sees the other's decision.
    const { status, gate, all } = await this.tx.run(async (trx) => {
      await this.requests.lock(trx, requestId);
      const current = await this.requests.get(requestId, trx);
      if (current.status !== 'pending')
        throw new AppError('CONFLICT', `This request is already ${current.status}.`);
      const approvals = await this.requests.approvals(requestId, trx);
      if (approvals.some((a) => a.staffId === actor.staffId)) {
        throw new AppError('CONFLICT', 'You have already decided on this request.');
      }
      // Four eyes count people: not an account the requester or a co-approver made or reset.
      const fourEyes = new DisclosureFourEyes(this.facts, trx);
      const { counted } = await fourEyes.counted(req.requester_id, approvals);
      if (decision === 'approved') {
        const refusal = await fourEyes.approvalRefusal(
          req.requester_id,
          actor.staffId,
          counted,
          this.clock.now(),
        );
        if (refusal) throw new AppError('FORBIDDEN', refusal);
      }
      if (counted.some((a) => a.role === actor.role && a.decision === 'approved')) {
        throw new AppError(
          'CONFLICT',
          `A ${ROLE_LABELS[actor.role]} has already approved this request; it needs a different role now.`,
        );
      }
      await this.requests.addApproval(
        trx,
        { id: uuidv7(), requestId, staffId: actor.staffId, role: actor.role, decision },
        note,
      );
      const all = await this.requests.approvals(requestId, trx);
      const gate = await this.gate.decide(
        requester,
        input,
        (await fourEyes.counted(req.requester_id, all)).counted,
        trx,
        requesterAccess,
      );
      const status =
        decision === 'rejected' || gate.outcome === 'refused'
          ? 'rejected'
          : gate.outcome === 'admitted'
            ? 'approved'
            : 'pending';
      await this.requests.decide(trx, requestId, status);
      return { status, gate, all };
    });
    if (status === 'rejected') {
      const reasons =
        gate.outcome === 'refused' ? gate.reasons : ['an approver rejected the request'];
      await this.recorder.refuse(session, requester, input, reasons, all, requestId);
    }
    return this.views.view(await this.requests.get(requestId), actor);
  }

  /** The requester never decides their own request, and only the purpose's roles decide. */
  private checkDecider(req: RequestRow, actor: Actor): void {
    if (req.status !== 'pending')
      throw new AppError('CONFLICT', `This request is already ${req.status}.`);
    if (req.requester_id === actor.staffId) {
      throw new AppError(
        'FORBIDDEN',
        'You cannot approve or reject your own request: a second person must.',
      );
    }
    const needed = PURPOSE_RULES[req.purpose].approvals as readonly Role[];
    if (!needed.includes(actor.role)) {
      throw new AppError(
        'FORBIDDEN',
        `${PURPOSE_RULES[req.purpose] && req.purpose.replace(/_/g, ' ')} requests are approved by: ${needed.map((r) => ROLE_LABELS[r]).join(' and ')}.`,
      );
    }
  }
}
