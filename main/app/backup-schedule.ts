/**
 * Automatic backups of the embedded database (issue 14): while the app runs, a backup is made
 * when the newest one in the folder is older than the interval (default daily), and only the
 * newest `keep` (default 14) are kept. Each is recorded in key_events ('schedule').
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from '../log';
import type { Clock } from '../services/clock';
import { createBackup, defaultBackupFile, pruneBackups } from './backup';

export interface BackupSchedule {
  /** Where backups go (default: `backups` beside the database). */
  folder?: string | undefined;
  everyHours?: number | undefined;
  keep?: number | undefined;
}

const BACKUP_NAME = /^custodian-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z\.sqlite$/;

/** When the newest backup in `folder` was made, from its name (null: none yet). */
export function newestBackupTime(folder: string): Date | null {
  if (!fs.existsSync(folder)) return null;
  const times = fs
    .readdirSync(folder)
    .map((f) => BACKUP_NAME.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`));
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export interface ScheduledBackupTarget {
  db: Knex;
  databaseFile: string;
  key: Buffer;
  appVersion: string;
}

/** Makes a backup if one is due; answers its file, or null when none was due. */
export async function backupIfDue(
  target: ScheduledBackupTarget,
  schedule: BackupSchedule,
  now: Date,
): Promise<string | null> {
  const folder = schedule.folder ?? path.join(path.dirname(target.databaseFile), 'backups');
  const everyMs = (schedule.everyHours ?? 24) * 3_600_000;
  const newest = newestBackupTime(folder);
  if (newest && now.getTime() - newest.getTime() < everyMs) return null;
  const made = await createBackup(target.db, {
    databaseFile: target.databaseFile,
    key: target.key,
    to: defaultBackupFile(folder, now),
    appVersion: target.appVersion,
    now,
    by: { actorId: null, via: 'schedule' },
  });
  pruneBackups(folder, schedule.keep ?? 14);
  return made.file;
}

/** Checks every hour (and at start) whether a backup is due; stop() ends it. */
export function startBackupSchedule(
  target: ScheduledBackupTarget,
  schedule: BackupSchedule,
  clock: Clock,
  log: Logger,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => backupIfDue(target, schedule, clock.now()))
      .catch((err: unknown) =>
        log.error('a scheduled backup failed; it is tried again within the hour', {
          kind: err instanceof Error ? err.name : typeof err,
        }),
      );
  };
  tick();
  const timer = setInterval(tick, 3_600_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
