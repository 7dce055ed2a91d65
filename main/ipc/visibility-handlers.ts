import type { HandlerMap } from './types';

export const visibilityHandlers: HandlerMap<
  'visibility.matrix' | 'visibility.update' | 'visibility.changes'
> = {
  'visibility.matrix': (_input, ctx) => ctx.services.visibility.matrix(),
  'visibility.update': (input, ctx) => {
    const me = ctx.staff();
    return ctx.services.visibility.update(me.staffId, input.changes, input.reason);
  },
  'visibility.changes': (_input, ctx) => ctx.services.visibility.changes(),
};
