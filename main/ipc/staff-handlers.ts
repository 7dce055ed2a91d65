import type { HandlerMap } from './types';

export const staffHandlers: HandlerMap<
  | 'staff.list'
  | 'staff.create'
  | 'staff.update'
  | 'staff.resetPassword'
  | 'staff.grants'
  | 'staff.decideGrant'
> = {
  'staff.list': (_input, ctx) => ctx.services.staff.list(),
  'staff.create': (input, ctx) => {
    const me = ctx.staff();
    return ctx.services.staff.create(me.staffId, input);
  },
  'staff.update': (input, ctx) => {
    const me = ctx.staff();
    const { id, version, ...patch } = input;
    return ctx.services.staff.update(me.staffId, id, version, patch);
  },
  'staff.resetPassword': (input, ctx) => {
    const me = ctx.staff();
    return ctx.services.staff.resetPassword(me.staffId, input.id, input.temporaryPassword);
  },
  // Grants of the administrator and compliance officer roles wait for a second holder of one.
  'staff.grants': (_input, ctx) => {
    const me = ctx.staff();
    return ctx.services.staff.grants.list(me.staffId);
  },
  'staff.decideGrant': (input, ctx) => {
    const me = ctx.staff();
    return ctx.services.staff.grants.decide(
      me.staffId,
      input.id,
      input.decision,
      input.note ?? null,
    );
  },
};
