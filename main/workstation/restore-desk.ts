/**
 * Restoring a backup from the console (issue 14): an administrator picks the backup file (main's
 * own file dialog, never a path from the renderer), it is checked in full before anything is
 * replaced (its SHA-256, integrity, manifest and disclosure chain, with this database's key),
 * and only a confirmed, checked backup is swapped in, recorded as an audited event.
 */
import type { RestoreOffer } from '../../shared/workstation';
import { checkBackup, restoreBackup, type CheckedBackup } from '../app/restore';
import { AppError } from '../../shared/errors';
import { BackupError } from '../app/backup';
import fs from 'node:fs';

export type BackupPicker = () => Promise<string | null>;

export class RestoreDesk {
  private pending: { file: string; checked: CheckedBackup } | null = null;

  constructor(
    private readonly databaseFile: string,
    private readonly pick: BackupPicker | undefined,
  ) {}

  offer(): RestoreOffer | null {
    if (!this.pending) return null;
    const { manifest } = this.pending.checked;
    return {
      file: this.pending.file,
      createdAt: manifest.createdAt,
      appVersion: manifest.appVersion,
      rowCounts: manifest.rowCounts,
      disclosures: manifest.chainHead?.seq ?? 0,
    };
  }

  /** Asks for the backup file and checks it; a refusal says what is wrong with it. */
  async choose(key: Buffer): Promise<void> {
    if (!this.pick) {
      throw new AppError('VALIDATION', 'This console cannot choose a backup file here.');
    }
    const file = await this.pick();
    if (file === null) return;
    this.cancel();
    try {
      this.pending = { file, checked: await checkBackup(file, this.databaseFile, key) };
    } catch (err) {
      if (err instanceof BackupError) throw new AppError('VALIDATION', err.message);
      throw err;
    }
  }

  /** Swaps the checked backup in; the database must be closed. Answers where the old one went. */
  async restore(key: Buffer, actorId: string, now: Date): Promise<string> {
    const pending = this.pending;
    if (!pending) throw new AppError('CONFLICT', 'Choose and check a backup first.');
    this.pending = null;
    return restoreBackup(
      pending.checked,
      { databaseFile: this.databaseFile, key, backupFile: pending.file },
      { actorId, via: 'console' },
      now,
    );
  }

  /** Forgets a checked backup, and its staged copy beside the database. */
  cancel(): void {
    if (this.pending) fs.rmSync(this.pending.checked.staged, { force: true });
    this.pending = null;
  }
}
