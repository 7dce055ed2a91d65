import type { HandlerMap } from './types';

export const accessLogHandlers: HandlerMap<
  'accessLog.list' | 'accessLog.export' | 'accessLog.prune'
> = {
  'accessLog.list': (input, ctx) => ctx.services.accessLog.list(input),
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
