import { storedPasswordOf, testConnection } from '../services/connection';
import type { HandlerMap } from './types';

/** Which database this workstation opens (administrators; takes effect at the next start). */
export const connectionHandlers: HandlerMap<
  'connection.get' | 'connection.test' | 'connection.save'
> = {
  'connection.get': (_input, ctx) => Promise.resolve(ctx.services.connection.view()),
  'connection.test': (input, ctx) =>
    testConnection(input, storedPasswordOf(ctx.services.connection)),
  'connection.save': (input, ctx) => Promise.resolve(ctx.services.connection.save(input)),
};
