import { migrateToLatest, pendingMigrations } from '../../db/migrations';
import type { Command } from '../command';
import { checkKnownMigrations, withDatabase } from '../database';

export const migrate: Command = {
  name: 'migrate',
  summary: 'Apply pending schema migrations to an existing database.',
  usage: 'custodian migrate [--database FILE]',
  details: ['Migrations are forward-only; each runs in its own transaction.'],
  options: {},
  async run({ io, target }) {
    const applied = await withDatabase(target, { create: false }, async (db) => {
      await checkKnownMigrations(db);
      if ((await pendingMigrations(db)).length === 0) return [];
      return (await migrateToLatest(db)).applied;
    });
    io.stdout.write(
      applied.length > 0
        ? `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}\n`
        : `The database ${target.shown} is up to date.\n`,
    );
  },
};
