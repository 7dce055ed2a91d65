/**
 * The console's backup and recovery-key actions. The work itself (the copy, the key file) is the
 * composition root's, given here as operations: an embedded, encrypted database has them; a team
 * database does not (its server is backed up where it runs).
 */
import { AppError } from '../../shared/errors';
import type { BackupMade } from '../../shared/types';

export interface KeyOperations {
  backup(actorId: string): Promise<BackupMade>;
  newRecoveryKey(actorId: string): Promise<string>;
}

export class BackupsService {
  constructor(private readonly ops: KeyOperations | null) {}

  private available(): KeyOperations {
    if (!this.ops) {
      // Not a wrong input: there is no local database file to act on.
      throw new AppError(
        'NOT_FOUND',
        'This workstation uses a team database: it is backed up on its server, not from here.',
      );
    }
    return this.ops;
  }

  backup(actorId: string): Promise<BackupMade> {
    return this.available().backup(actorId);
  }

  async newRecoveryKey(actorId: string): Promise<{ recoveryKey: string }> {
    return { recoveryKey: await this.available().newRecoveryKey(actorId) };
  }
}
