import { visibleAccess } from '../policy/visibility';
import type { HandlerMap } from './types';

/** Recently opened accounts the palette offers. */
const RECENT = 8;

/** Each read's access-log entry (policy P3) is declared in the contract and written by dispatch. */
export const accountHandlers: HandlerMap<
  | 'accounts.fieldAccess'
  | 'accounts.list'
  | 'accounts.get'
  | 'accounts.recent'
  | 'accounts.create'
  | 'accounts.update'
  | 'accounts.history'
> = {
  'accounts.fieldAccess': async (_input, ctx) =>
    visibleAccess(await ctx.services.visibility.accessFor(ctx.staff().role)),
  'accounts.list': (input, ctx) => ctx.services.accounts.list(ctx.actor(), input),
  'accounts.get': (input, ctx) => ctx.services.accounts.get(ctx.actor(), input.id),
  'accounts.recent': async (_input, ctx) => {
    const ids = await ctx.services.accessLog.recentlyViewed(ctx.staff().staffId, RECENT);
    return ctx.services.accounts.rows(ctx.actor(), ids);
  },
  'accounts.create': (input, ctx) =>
    ctx.services.accounts.create(ctx.actor(), input.fields, input.provenance),
  'accounts.history': (input, ctx) => ctx.services.accounts.history(ctx.actor(), input.id),
  'accounts.update': (input, ctx) =>
    ctx.services.accounts.update(
      ctx.actor(),
      input.id,
      input.version,
      input.changes,
      input.provenance,
    ),
};
