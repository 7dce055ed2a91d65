/** The embedded database's backups and recovery key, from the console (administrators). */
import { channel, only, ADMINISTRATOR, empty } from './spec';
import { z } from 'zod';
import type { BackupMade } from '../types';

export const keysChannels = {
  'backup.create': channel<BackupMade>()({
    input: empty,
    gate: 'session',
    roles: only(ADMINISTRATOR, 'make backups'),
  }),
  'keys.newRecoveryKey': channel<{ recoveryKey: string }>()({
    // The old recovery key stops working: the console asks first and says so.
    input: z
      .object({ confirm: z.literal(true, { error: 'Confirm the new recovery key.' }) })
      .strict(),
    gate: 'session',
    roles: only(ADMINISTRATOR, 'make a new recovery key'),
  }),
};
