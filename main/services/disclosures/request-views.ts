import { PURPOSE_RULES } from '../../../shared/disclosure';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import type { DisclosureRequestView } from '../../../shared/types';
import type { DisclosureFactsStore } from '../../db/stores/disclosures-facts';
import type { DisclosureRequestStore, RequestRow } from '../../db/stores/disclosures-requests';
import type { Actor } from '../accounts/service';
import { inputOf } from './input';

/** Disclosure requests as their requester and their approvers see them. */
export class RequestViews {
  constructor(
    private readonly requests: DisclosureRequestStore,
    private readonly facts: DisclosureFactsStore,
  ) {}

  /** The requests a member asked for, and those they may decide on. */
  async inbox(actor: Actor): Promise<DisclosureRequestView[]> {
    const rows = await this.requests.open();
    const views = await Promise.all(rows.map((r) => this.view(r, actor)));
    return views.filter((v) => v.requesterId === actor.staffId || v.canDecide);
  }

  async view(req: RequestRow, viewer: Actor): Promise<DisclosureRequestView> {
    const approvals = await this.requests.approvals(req.id);
    const recipient = await this.facts.recipient(req.recipient_id);
    // A foreign key keeps every request's recipient: its absence is a damaged database.
    if (!recipient) throw new Error('a disclosure request refers to no recipient');
    const names = await this.facts.staffNames([
      req.requester_id,
      ...approvals.map((a) => a.staffId),
    ]);
    const needed = PURPOSE_RULES[req.purpose].approvals as readonly Role[];
    const approvedRoles = approvals.filter((a) => a.decision === 'approved').map((a) => a.role);
    const waitingFor = needed.filter((r) => !approvedRoles.includes(r));
    const input = inputOf(req);
    return {
      id: req.id,
      requester: names.get(req.requester_id) ?? '?',
      requesterId: req.requester_id,
      recipientName: recipient.name,
      recipientType: recipient.type,
      purpose: req.purpose,
      accountCount: input.allAccounts ? -1 : input.accountIds.length,
      fields: [...input.fields],
      format: req.format,
      justification: req.justification,
      status: req.status as DisclosureRequestView['status'],
      waitingFor: waitingFor.map((r) => ROLE_LABELS[r]),
      approvals: approvals.map((a) => ({
        name: names.get(a.staffId) ?? '?',
        role: a.role,
        decision: a.decision,
        at: a.at,
      })),
      createdAt: req.created_at,
      canDecide:
        req.status === 'pending' &&
        req.requester_id !== viewer.staffId &&
        waitingFor.includes(viewer.role) &&
        !approvals.some((a) => a.staffId === viewer.staffId),
    };
  }
}
