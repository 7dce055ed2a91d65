import type { HandlerMap } from './types';

export const accessLogHandlers: HandlerMap<
  'accessLog.list' | 'accessLog.export' | 'accessLog.prune'
> = {
  'accessLog.list': async (input, ctx) => {
    const page = await ctx.services.accessLog.list(input);
    await ctx.services.accessLog.record(ctx.session, {
      action: 'view_access_log',
      screen: 'accessLog',
      queryKind:
        input.accountId || input.accountNumber
          ? 'account'
          : input.staffId || input.username
            ? 'staff'
            : 'all',
      resultCount: page.entries.length,
    });
    return page;
  },
  'accessLog.export': (input, ctx) => {
    const s = ctx.staff();
    return ctx.services.exports.accessLogEntries(
      ctx.session,
      { staffId: s.staffId, role: s.role },
      input,
    );
  },
  'accessLog.prune': (_input, ctx) => ctx.services.accessLog.prune(ctx.staff().staffId),
};
