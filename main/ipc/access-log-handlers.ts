import { requireOneOf } from './guards';
import type { HandlerMap } from './types';

export const accessLogHandlers: HandlerMap<
  'accessLog.list' | 'accessLog.export' | 'accessLog.prune'
> = {
  'accessLog.list': async (input, ctx) => {
    requireOneOf(ctx.staff().role, ['compliance_officer'], 'read the access log');
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
    requireOneOf(ctx.staff().role, ['compliance_officer'], 'export the access log');
    const s = ctx.staff();
    return ctx.services.exports.accessLogEntries(
      ctx.session,
      { staffId: s.staffId, role: s.role },
      input,
    );
  },
  'accessLog.prune': (_input, ctx) => {
    requireOneOf(ctx.staff().role, ['compliance_officer', 'administrator'], 'prune the access log');
    return ctx.services.accessLog.prune(ctx.staff().staffId);
  },
};
