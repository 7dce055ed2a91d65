import { parseCheckpoint } from '../services/audit/checkpoint';
import type { HandlerMap } from './types';

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
  | 'disclosures.accountingPdf'
  | 'disclosures.verify'
  | 'disclosures.checkpoint'
  | 'disclosures.recovered'
  | 'exports.accounts'
> = {
  // Any signed-in member may see who the registered third parties are, to choose one.
  'recipients.list': (_input, ctx) => ctx.services.recipients.list(),
  'recipients.create': (input, ctx) => ctx.services.recipients.create(ctx.staff().staffId, input),
  'recipients.update': (input, ctx) => {
    const { id, version, ...patch } = input;
    return ctx.services.recipients.update(ctx.staff().staffId, id, version, patch);
  },
  'disclosures.request': (input, ctx) =>
    ctx.services.disclosures.request(ctx.session, ctx.actor(), input),
  'disclosures.inbox': (_input, ctx) => ctx.services.disclosures.inbox(ctx.actor()),
  'disclosures.decide': (input, ctx) =>
    ctx.services.disclosures.decideApproval(
      ctx.session,
      ctx.actor(),
      input.requestId,
      input.decision,
      input.note ?? null,
    ),
  'disclosures.execute': (input, ctx) =>
    ctx.services.disclosures.execute(ctx.session, ctx.actor(), input.requestId, input.fileName),
  'disclosures.log': (input, ctx) => ctx.services.register.log(input),
  'disclosures.accounting': (input, ctx) => ctx.services.register.accounting(input.accountId),
  'disclosures.accountingReport': (input, ctx) =>
    ctx.services.register.accountingReport(ctx.session, ctx.actor(), input),
  // The customer as the caller's role sees them (the account's own projection).
  'disclosures.accountingPdf': async (input, ctx) => {
    const customer = await ctx.services.accounts.get(ctx.actor(), input.accountId);
    return ctx.services.register.accountingPdf(ctx.session, ctx.actor(), input, customer.fields);
  },
  'disclosures.verify': (input, ctx) =>
    ctx.services.audit.verify(input.checkpoint ? parseCheckpoint(input.checkpoint) : null),
  'disclosures.checkpoint': (input, ctx) => ctx.services.audit.saveCheckpoint(input.fileName),
  'disclosures.recovered': (_input, ctx) => ctx.services.register.interrupted(),
  'exports.accounts': (input, ctx) => {
    const { fields, format, fileName, ...query } = input;
    return ctx.services.exports.accountList(ctx.session, ctx.actor(), {
      query,
      fields,
      format,
      fileName,
    });
  },
};
