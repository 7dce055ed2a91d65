import type { Command } from 'commander';
import { migrateToLatest, pendingMigrations } from '../../db/migrations';
import type { CliRun, CommandContext } from '../command';
import { checkKnownMigrations, withDatabase } from '../database';
import { keyAccess } from '../unlock';

export const migrate = (cli: CliRun): Command =>
  cli
    .subcommand('migrate', {
      summary: 'Apply pending schema migrations to an existing database.',
      usage: '[--database FILE]',
      details: ['Migrations are forward-only; each runs in its own transaction.'],
    })
    .action(cli.action(migrateDatabase));

async function migrateDatabase(ctx: CommandContext): Promise<void> {
  const { io, target } = ctx;
  const applied = await withDatabase(target, { create: false, ...keyAccess(ctx) }, async (db) => {
    await checkKnownMigrations(db);
    if ((await pendingMigrations(db)).length === 0) return [];
    return (await migrateToLatest(db)).applied;
  });
  io.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}\n`
      : `The database ${target.shown} is up to date.\n`,
  );
}
