import { visibleAccess } from '../policy/visibility';
import type { HandlerContext, HandlerMap } from './types';

function actorOf(ctx: HandlerContext) {
  const staff = ctx.staff();
  return { staffId: staff.staffId, role: staff.role };
}

/** Every read of customer data is also an entry in the access log (policy P3). */
export const accountHandlers: HandlerMap<
  | 'accounts.fieldAccess'
  | 'accounts.list'
  | 'accounts.get'
  | 'accounts.create'
  | 'accounts.update'
  | 'accounts.history'
> = {
  'accounts.fieldAccess': async (_input, ctx) =>
    visibleAccess(await ctx.services.visibility.accessFor(ctx.staff().role)),
  'accounts.list': async (input, ctx) => {
    const page = await ctx.services.accounts.list(actorOf(ctx), input);
    await ctx.services.accessLog.record(ctx.session, {
      action: page.searchKind ? 'search' : 'list',
      screen: 'accounts',
      queryKind: page.searchKind,
      recordIds: page.rows.map((r) => r.id),
    });
    return page;
  },
  'accounts.get': async (input, ctx) => {
    const detail = await ctx.services.accounts.get(actorOf(ctx), input.id);
    await ctx.services.accessLog.record(ctx.session, {
      action: 'view_account',
      screen: 'accounts.detail',
      recordIds: [detail.id],
    });
    return detail;
  },
  'accounts.create': (input, ctx) =>
    ctx.services.accounts.create(actorOf(ctx), input.fields, input.provenance),
  'accounts.history': async (input, ctx) => {
    const history = await ctx.services.accounts.history(actorOf(ctx), input.id);
    await ctx.services.accessLog.record(ctx.session, {
      action: 'view_history',
      screen: 'accounts.history',
      recordIds: [input.id],
    });
    return history;
  },
  'accounts.update': (input, ctx) =>
    ctx.services.accounts.update(
      actorOf(ctx),
      input.id,
      input.version,
      input.changes,
      input.provenance,
    ),
};
