import type { HandlerMap } from './types';

export const keysHandlers: HandlerMap<'backup.create' | 'keys.newRecoveryKey'> = {
  'backup.create': (_input, ctx) => ctx.services.backups.backup(ctx.staff().staffId),
  'keys.newRecoveryKey': (_input, ctx) => ctx.services.backups.newRecoveryKey(ctx.staff().staffId),
};
