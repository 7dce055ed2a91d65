import path from 'node:path';
import type { Command } from 'commander';
import { createBackup, defaultBackupFile, pruneBackups } from '../../app/backup';
import { version } from '../../version';
import type { CliRun, CommandContext } from '../command';
import { migrate, withDatabase } from '../database';
import { CliError, UsageError } from '../errors';
import { integerOption, valueOption } from '../options';
import { keyAccess } from '../unlock';

export const backup = (cli: CliRun): Command =>
  cli
    .subcommand('backup', {
      summary:
        'Copy the database to a backup file while it stays in use; the copy stays encrypted.',
      usage: '[--to FILE]',
      details: [
        'Beside the backup go its manifest (FILE.manifest.json: when, versions, row counts, the disclosure chain head, SHA-256) and its key file (FILE.keys.json, wrapped: the backup opens with the recovery key). Default: a new file in the backups folder beside the database. An existing file is never overwritten.',
      ],
    })
    .addOption(valueOption('to', 'FILE', 'Where to write the backup.'))
    .addOption(
      valueOption(
        'keep',
        'N',
        'In the default backups folder, keep the newest N backups and delete older ones (default: 14). For a scheduled job: custodian backup --key-stdin < key-file.',
      ),
    )
    .action(cli.action(backupDatabase));

async function backupDatabase(ctx: CommandContext): Promise<void> {
  const { io, target, values } = ctx;
  if (target.kind !== 'sqlite') {
    throw new CliError(
      "A team database is backed up on its PostgreSQL server (pg_dump or the host's snapshots): see SECURITY.md.",
    );
  }
  const now = new Date();
  const keep = integerOption(values, 'keep', { min: 1, max: 10_000, default: 14 });
  if (values.keep !== undefined && typeof values.to === 'string') {
    throw new UsageError('--keep prunes the default backups folder only: drop --to, or --keep.');
  }
  const folder = path.join(path.dirname(target.file), 'backups');
  const to =
    typeof values.to === 'string'
      ? path.resolve(io.cwd, values.to)
      : defaultBackupFile(folder, now);
  const made = await withDatabase(target, { create: false, ...keyAccess(ctx) }, async (db, key) => {
    if (!key) throw new CliError(`${target.file} is not encrypted: open it once to encrypt it.`);
    await migrate(db);
    const result = await createBackup(db, {
      databaseFile: target.file,
      key,
      to,
      appVersion: version,
      now,
      by: { actorId: null, via: 'command line' },
    });
    return result;
  });
  const rows = Object.values(made.manifest.rowCounts).reduce((a, b) => a + b, 0);
  io.stdout.write(`Backup written: ${made.file}\n`);
  io.stdout.write(`  ${rows} rows, schema ${made.manifest.schemaVersion}, `);
  io.stdout.write(
    `disclosure chain head ${made.manifest.chainHead ? `record ${made.manifest.chainHead.seq}` : 'empty'}\n`,
  );
  io.stdout.write(`  SHA-256 ${made.manifest.sha256}\n`);
  if (typeof values.to !== 'string') {
    const removed = pruneBackups(folder, keep);
    if (removed.length > 0) {
      io.stdout.write(
        `Deleted ${removed.length} older backup${removed.length === 1 ? '' : 's'} (keeping ${keep}).\n`,
      );
    }
  }
}
