import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import type { AccessMap } from '../../../shared/visibility';
import type { DisclosureFactsStore } from '../../db/stores/disclosures-facts';
import type { Scope } from '../../db/stores/scope';
import {
  evaluateDisclosure,
  type GateApproval,
  type GateDecision,
} from '../../policy/disclosure-gate';
import type { Actor } from '../accounts/service';
import type { Clock } from '../clock';
import type { DisclosureInput } from './input';

/** Gathers what the pure gate (main/policy/disclosure-gate.ts) needs, and asks it. */
export class DisclosureGateCheck {
  constructor(
    private readonly facts: DisclosureFactsStore,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly clock: Clock,
  ) {}

  /**
   * The gate's decision. `scope`: a transaction to read in (a batch's, or an approval's); with
   * one, pass `access` too, read before it began (on SQLite the transaction holds the one
   * connection).
   */
  async decide(
    actor: Actor,
    input: DisclosureInput,
    approvals: readonly GateApproval[],
    scope?: Scope,
    access?: AccessMap,
  ): Promise<GateDecision> {
    const recipient = await this.facts.recipient(input.recipientId, scope);
    if (!recipient)
      throw new AppError('NOT_FOUND', 'No such recipient.', {
        fieldErrors: { recipientId: 'Choose a registered recipient.' },
      });
    const { accounts, missing } = input.allAccounts
      ? { accounts: [], missing: [] }
      : await this.facts.gateAccounts(input.accountIds, scope);
    return evaluateDisclosure({
      purpose: input.purpose,
      recipient: { name: recipient.name, type: recipient.type, active: recipient.active },
      requester: actor,
      access: access ?? (await this.accessFor(actor.role)),
      fields: input.fields,
      accounts,
      missingAccountIds: missing,
      allAccounts: input.allAccounts,
      legal: input.legal ?? null,
      justification: input.justification ?? null,
      approvals,
      today: this.clock.now().toISOString().slice(0, 10),
    });
  }
}
