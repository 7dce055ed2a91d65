/**
 * The console's backup and new-recovery-key actions on an encrypted embedded database, each
 * recorded in key_events with the administrator who did it.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { recordKeyEvent } from '../db/stores/key-events';
import { regenerateRecoveryKey } from '../keys/data-key';
import { keyFileFor } from '../keys/key-file';
import type { KeyOperations } from '../services/backups';
import type { Clock } from '../services/clock';
import { createBackup, defaultBackupFile } from './backup';

export function keyOperations(
  db: Knex,
  target: { databaseFile: string; key: Buffer; appVersion: string; backupFolder?: string },
  clock: Clock,
): KeyOperations {
  const folder = target.backupFolder ?? path.join(path.dirname(target.databaseFile), 'backups');
  return {
    async backup(actorId) {
      const now = clock.now();
      const made = await createBackup(db, {
        databaseFile: target.databaseFile,
        key: target.key,
        to: defaultBackupFile(folder, now),
        appVersion: target.appVersion,
        now,
        by: { actorId, via: 'console' },
      });
      return {
        file: made.file,
        createdAt: made.manifest.createdAt,
        sha256: made.manifest.sha256,
        rows: Object.values(made.manifest.rowCounts).reduce((a, b) => a + b, 0),
        chainHeadSeq: made.manifest.chainHead?.seq ?? null,
      };
    },
    async newRecoveryKey(actorId) {
      const recoveryKey = regenerateRecoveryKey(keyFileFor(target.databaseFile), target.key);
      await recordKeyEvent(
        db,
        { event: 'recovery_key_regenerated', actorId, via: 'console', detail: null },
        clock.now(),
      );
      return recoveryKey;
    },
  };
}
