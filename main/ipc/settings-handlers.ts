import type { HandlerMap } from './types';

export const settingsHandlers: HandlerMap<'settings.get' | 'settings.update'> = {
  'settings.get': (_input, ctx) => ctx.services.settings.get(),
  'settings.update': (input, ctx) => ctx.services.settings.update(input),
};
