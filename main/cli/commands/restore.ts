import path from 'node:path';
import type { Command } from 'commander';
import { checkBackup, restoreBackup } from '../../app/restore';
import type { CliRun, CommandContext } from '../command';
import { withDatabase } from '../database';
import { CliError, UsageError } from '../errors';
import { keyAccess } from '../unlock';
import { cliWitnesses } from '../witnesses';
import { connect } from '../../db/connect';
import { defaultWitnessDir } from '../../paths';

export const restore = (cli: CliRun): Command =>
  cli
    .subcommand('restore', {
      summary: 'Replace the database with a backup, after checking the backup whole.',
      usage: 'FILE --yes',
      details: [
        "Checked first: the backup's SHA-256 against its manifest, its integrity, row counts, chain head and schema, and its disclosure log record by record. Only then is the current database copied aside (DATABASE.before-restore-TIME) and replaced. Close Custodian first.",
      ],
    })
    .argument('[FILE]', 'The backup file (its .manifest.json beside it).')
    .option('--yes', 'Replace the current database (required: a restore replaces everything).')
    .action(cli.action(restoreDatabase));

async function restoreDatabase(ctx: CommandContext): Promise<void> {
  const { io, target, values, operand } = ctx;
  if (!operand) throw new UsageError('Name the backup file to restore.');
  if (target.kind !== 'sqlite') {
    throw new CliError('A team database is restored on its PostgreSQL server: see SECURITY.md.');
  }
  if (values.yes !== true) {
    throw new UsageError(
      `A restore replaces everything in ${target.file} with the backup: add --yes to go ahead.`,
    );
  }
  const backup = path.resolve(io.cwd, operand);
  // The backup is checked with the current database's key; the database itself is not touched.
  const { key, checked } = await withDatabase(
    target,
    { create: false, ...keyAccess(ctx) },
    async (_db, key) => {
      if (!key) throw new CliError(`${target.file} is not encrypted: open it once to encrypt it.`);
      return { key, checked: await checkBackup(backup, target.file, key) };
    },
  );
  const aside = await restoreBackup(
    checked,
    { databaseFile: target.file, key, backupFile: backup },
    { actorId: null, via: 'command line' },
    new Date(),
  );
  // The witnesses saw records the restored log may not hold: a signed note says so.
  const db = connect({ client: 'sqlite', filename: target.file, key });
  try {
    const { witnesses } = cliWitnesses(db, target, key, defaultWitnessDir());
    await witnesses.acknowledgeRestore('the command line');
  } finally {
    await db.destroy();
  }
  io.stdout.write(`Restored ${target.file} from ${backup} (made ${checked.manifest.createdAt}).\n`);
  io.stdout.write(
    `The database as it was before is kept at ${aside}; delete it once you no longer need it.\n`,
  );
}
