import { parseCheckpoint } from '../services/audit/checkpoint';
import { requireOneOf } from './guards';
import type { HandlerContext, HandlerMap } from './types';

const OVERSIGHT = ['compliance_officer', 'administrator'] as const;

function actor(ctx: HandlerContext) {
  const s = ctx.staff();
  return { staffId: s.staffId, role: s.role };
}

export const disclosureHandlers: HandlerMap<
  | 'recipients.list'
  | 'recipients.create'
  | 'recipients.update'
  | 'disclosures.request'
  | 'disclosures.inbox'
  | 'disclosures.decide'
  | 'disclosures.execute'
  | 'disclosures.log'
  | 'disclosures.accounting'
  | 'disclosures.accountingReport'
  | 'disclosures.verify'
  | 'disclosures.checkpoint'
  | 'disclosures.recovered'
  | 'exports.accounts'
> = {
  // Any signed-in member may see who the registered third parties are, to choose one.
  'recipients.list': (_input, ctx) => ctx.services.recipients.list(),
  'recipients.create': (input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, 'register recipients');
    return ctx.services.recipients.create(ctx.staff().staffId, input);
  },
  'recipients.update': (input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, 'change recipients');
    const { id, version, ...patch } = input;
    return ctx.services.recipients.update(ctx.staff().staffId, id, version, patch);
  },
  'disclosures.request': (input, ctx) =>
    ctx.services.disclosures.request(ctx.session, actor(ctx), input),
  'disclosures.inbox': (_input, ctx) => ctx.services.disclosures.inbox(actor(ctx)),
  'disclosures.decide': (input, ctx) =>
    ctx.services.disclosures.decideApproval(
      ctx.session,
      actor(ctx),
      input.requestId,
      input.decision,
      input.note ?? null,
    ),
  'disclosures.execute': (input, ctx) =>
    ctx.services.disclosures.execute(ctx.session, actor(ctx), input.requestId, input.fileName),
  'disclosures.log': (input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, 'read the disclosure log');
    return ctx.services.register.log(input);
  },
  'disclosures.accounting': async (input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, "read a customer's accounting of disclosures");
    const records = await ctx.services.register.accounting(input.accountId);
    await ctx.services.accessLog.record(ctx.session, {
      action: 'view_disclosures',
      screen: 'accounts.disclosures',
      recordIds: [input.accountId],
    });
    return records;
  },
  'disclosures.accountingReport': (input, ctx) => {
    requireOneOf(ctx.staff().role, ['compliance_officer'], 'save an accounting of disclosures');
    return ctx.services.register.accountingReport(ctx.session, actor(ctx), input);
  },
  'disclosures.verify': (input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, 'verify the disclosure log');
    return ctx.services.audit.verify(input.checkpoint ? parseCheckpoint(input.checkpoint) : null);
  },
  'disclosures.checkpoint': (input, ctx) => {
    requireOneOf(
      ctx.staff().role,
      ['compliance_officer'],
      'save a checkpoint of the disclosure log',
    );
    return ctx.services.audit.saveCheckpoint(input.fileName);
  },
  'disclosures.recovered': (_input, ctx) => {
    requireOneOf(ctx.staff().role, OVERSIGHT, 'see interrupted disclosures');
    return ctx.services.register.interrupted();
  },
  'exports.accounts': (input, ctx) => {
    const { fields, format, fileName, ...query } = input;
    return ctx.services.exports.accountList(ctx.session, actor(ctx), {
      query,
      fields,
      format,
      fileName,
    });
  },
};
