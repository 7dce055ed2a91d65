import { requireAdministrator, requireOneOf } from './guards';
import type { HandlerMap } from './types';

export const visibilityHandlers: HandlerMap<
  'visibility.matrix' | 'visibility.update' | 'visibility.changes'
> = {
  'visibility.matrix': (_input, ctx) => {
    requireOneOf(
      ctx.staff().role,
      ['administrator', 'compliance_officer'],
      'see the access matrix',
    );
    return ctx.services.visibility.matrix();
  },
  'visibility.update': (input, ctx) => {
    const me = ctx.staff();
    requireAdministrator(me.role, 'change the access matrix');
    return ctx.services.visibility.update(me.staffId, input.changes, input.reason);
  },
  'visibility.changes': (_input, ctx) => {
    requireOneOf(ctx.staff().role, ['administrator', 'compliance_officer'], 'see matrix changes');
    return ctx.services.visibility.changes();
  },
};
