import type { HandlerMap } from './types';

/** The change feed of offline workstations; the pull's access-log entry is in the contract. */
export const syncHandlers: HandlerMap<
  'sync.pull' | 'sync.contact' | 'sync.uploadAccess' | 'sync.reportOfflineReads'
> = {
  'sync.uploadAccess': (input, ctx) => {
    ctx.staff();
    return ctx.services.sync.uploadAccess(ctx.session, input.entries);
  },
  'sync.pull': (input, ctx) => ctx.services.sync.pull(ctx.actor(), input.since, input.limit),
  'sync.contact': (input, ctx) => ctx.services.sync.contact(input.staffId, input.ticket),
  'sync.reportOfflineReads': (input, ctx) =>
    ctx.services.sync.reportOfflineReads(ctx.session, input.staffId, input.ticket, input.entries),
};
