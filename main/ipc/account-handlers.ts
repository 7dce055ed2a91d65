import { visibleAccess } from '../policy/visibility';
import type { HandlerContext, HandlerMap } from './types';

function actorOf(ctx: HandlerContext) {
  const staff = ctx.staff();
  return { staffId: staff.staffId, role: staff.role };
}

/** Each read's access-log entry (policy P3) is declared in the contract and written by dispatch. */
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
  'accounts.list': (input, ctx) => ctx.services.accounts.list(actorOf(ctx), input),
  'accounts.get': (input, ctx) => ctx.services.accounts.get(actorOf(ctx), input.id),
  'accounts.create': (input, ctx) =>
    ctx.services.accounts.create(actorOf(ctx), input.fields, input.provenance),
  'accounts.history': (input, ctx) => ctx.services.accounts.history(actorOf(ctx), input.id),
  'accounts.update': (input, ctx) =>
    ctx.services.accounts.update(
      actorOf(ctx),
      input.id,
      input.version,
      input.changes,
      input.provenance,
    ),
};
