import type { Command } from 'commander';
import { recordKeyEvent } from '../../db/stores/key-events';
import { regenerateRecoveryKey } from '../../keys/data-key';
import { keyFileFor } from '../../keys/key-file';
import type { CliRun, CommandContext } from '../command';
import { migrate, withDatabase } from '../database';
import { CliError, UsageError } from '../errors';
import { keyAccess } from '../unlock';

export const recoveryKey = (cli: CliRun): Command =>
  cli
    .subcommand('new-recovery-key', {
      summary: 'Make a new recovery key for the database; the old one stops opening it.',
      usage: '--yes',
      details: [
        'For an administrator who lost the recovery key, or suspects someone saw it. Opens the database with the current recovery key or passphrase, shows the new key once, and records the change. Backups made before keep their own key file: the old recovery key still opens those.',
      ],
    })
    .option('--yes', 'Replace the recovery key (required).')
    .action(cli.action(newRecoveryKey));

async function newRecoveryKey(ctx: CommandContext): Promise<void> {
  const { io, target, values } = ctx;
  if (target.kind !== 'sqlite') {
    throw new CliError('A team database has no recovery key: its server holds the data.');
  }
  if (values.yes !== true) {
    throw new UsageError('The old recovery key stops working: add --yes to go ahead.');
  }
  const shown = await withDatabase(
    target,
    { create: false, ...keyAccess(ctx) },
    async (db, key) => {
      if (!key) throw new CliError(`${target.file} is not encrypted: open it once to encrypt it.`);
      await migrate(db);
      const made = regenerateRecoveryKey(keyFileFor(target.file), key);
      await recordKeyEvent(db, {
        event: 'recovery_key_regenerated',
        actorId: null,
        via: 'command line',
        detail: null,
      });
      return made;
    },
  );
  io.stdout.write(
    `The new recovery key (shown this once: write it down and keep it away from this computer):\n  ${shown}\n`,
  );
}
