/**
 * Automatic backups (issue 14): one when none is newer than the interval, none otherwise; the
 * newest `keep` kept; each recorded as a scheduled backup; and a backend opened with a schedule
 * makes the first at start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readManifest } from '../../main/app/backup';
import { backupIfDue, newestBackupTime } from '../../main/app/backup-schedule';
import { openBackend } from '../../main/backend';
import { listKeyEvents } from '../../main/db/stores/key-events';
import { silentLogger } from '../../main/log';
import {
  ADMIN,
  describeSqliteOnly,
  openTestBackend,
  type SqliteTestBackend,
} from '../support/backend';

let t: SqliteTestBackend | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describeSqliteOnly('scheduled backups', () => {
  it('backs up when due, not before, keeps the newest N, and records each', async () => {
    t = (await openTestBackend()) as SqliteTestBackend;
    const s = t.backend.openSession();
    await t.call(s, 'setup.createFirstAdmin', ADMIN);
    const target = {
      db: t.backend.services.db,
      databaseFile: t.filename,
      key: (t.database as { key: Buffer }).key,
      appVersion: 'test',
    };
    const folder = path.join(t.dir, 'backups');
    const schedule = { everyHours: 24, keep: 2 };
    const day0 = new Date('2026-12-01T03:00:00Z');
    const first = await backupIfDue(target, schedule, day0);
    expect(first).toBe(path.join(folder, 'custodian-2026-12-01T030000Z.sqlite'));
    expect(newestBackupTime(folder)).toEqual(day0);
    // Within the day: nothing.
    expect(await backupIfDue(target, schedule, new Date('2026-12-01T20:00:00Z'))).toBeNull();
    const second = await backupIfDue(target, schedule, new Date('2026-12-02T03:00:00Z'));
    const third = await backupIfDue(target, schedule, new Date('2026-12-03T04:00:00Z'));
    expect(second && third).toBeTruthy();
    // Two kept, the oldest gone with its manifest and key file.
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.sqlite'))).toEqual([
      path.basename(second!),
      path.basename(third!),
    ]);
    expect(fs.readdirSync(folder).some((f) => f.startsWith('custodian-2026-12-01'))).toBe(false);
    expect(readManifest(third!).rowCounts.staff).toBe(1);
    const events = await listKeyEvents(t.backend.services.db);
    expect(events.map((e) => [e.event, e.via])).toEqual([
      ['backup', 'schedule'],
      ['backup', 'schedule'],
      ['backup', 'schedule'],
    ]);
  });

  it('a backend opened with a schedule makes its first backup at start, and stops on close', async () => {
    t = (await openTestBackend()) as SqliteTestBackend;
    await t.backend.close();
    const folder = path.join(t.dir, 'auto');
    const backend = await openBackend({
      database: t.database,
      logger: silentLogger,
      exportDir: path.join(t.dir, 'exports'),
      keyDir: t.dir,
      witnessDirs: [path.join(t.dir, 'witness')],
      backups: { folder },
    });
    await backend.close();
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
  });
});
