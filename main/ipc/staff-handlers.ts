import { requireAdministrator } from './guards';
import type { HandlerMap } from './types';

export const staffHandlers: HandlerMap<
  'staff.list' | 'staff.create' | 'staff.update' | 'staff.resetPassword'
> = {
  'staff.list': (_input, ctx) => {
    requireAdministrator(ctx.staff().role, 'manage staff');
    return ctx.services.staff.list();
  },
  'staff.create': (input, ctx) => {
    const me = ctx.staff();
    requireAdministrator(me.role, 'manage staff');
    return ctx.services.staff.create(me.staffId, input);
  },
  'staff.update': (input, ctx) => {
    const me = ctx.staff();
    requireAdministrator(me.role, 'manage staff');
    const { id, version, ...patch } = input;
    return ctx.services.staff.update(me.staffId, id, version, patch);
  },
  'staff.resetPassword': (input, ctx) => {
    const me = ctx.staff();
    requireAdministrator(me.role, 'manage staff');
    return ctx.services.staff.resetPassword(me.staffId, input.id, input.temporaryPassword);
  },
};
