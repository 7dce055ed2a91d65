import type { HandlerMap } from './types';

/** The change feed of offline workstations; the pull's access-log entry is in the contract. */
export const syncHandlers: HandlerMap<'sync.pull' | 'sync.contact' | 'sync.uploadAccess'> = {
  'sync.uploadAccess': (input, ctx) => {
    ctx.staff();
    return ctx.services.sync.uploadAccess(ctx.session, input.entries);
  },
  'sync.pull': (input, ctx) => ctx.services.sync.pull(ctx.staff().role, input.since, input.limit),
  'sync.contact': (input, ctx) => ctx.services.sync.contact(input.staffId),
};
