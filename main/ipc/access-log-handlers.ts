import type { HandlerMap } from './types';

export const accessLogHandlers: HandlerMap<
  'accessLog.list' | 'accessLog.export' | 'accessLog.prune'
> = {
  'accessLog.list': (input, ctx) => ctx.services.accessLog.list(input),
  'accessLog.export': (input, ctx) =>
    ctx.services.exports.accessLogEntries(ctx.session, ctx.actor(), input),
  'accessLog.prune': (_input, ctx) => ctx.services.accessLog.prune(ctx.staff().staffId),
};
