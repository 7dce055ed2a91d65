import { storedPasswordOf, testConnection } from '../services/connection';
import { requireAdministrator } from './guards';
import type { HandlerMap } from './types';

/** Which database this workstation opens (administrators; takes effect at the next start). */
export const connectionHandlers: HandlerMap<
  'connection.get' | 'connection.test' | 'connection.save'
> = {
  'connection.get': (_input, ctx) => {
    requireAdministrator(ctx.staff().role, 'see the database connection');
    return Promise.resolve(ctx.services.connection.view());
  },
  'connection.test': (input, ctx) => {
    requireAdministrator(ctx.staff().role, 'test a database connection');
    return testConnection(input, storedPasswordOf(ctx.services.connection));
  },
  'connection.save': (input, ctx) => {
    requireAdministrator(ctx.staff().role, 'change the database connection');
    return Promise.resolve(ctx.services.connection.save(input));
  },
};
