import type { Knex } from 'knex';
import type { CommandContext } from './command';
import { migrate, withDatabase } from './database';
import { keyAccess } from './unlock';

/**
 * The command's database, opened (asking for its key when needed) with pending migrations applied
 * and said on stderr first: what every command that reads or writes customer data starts with.
 */
export function withMigratedDatabase<T>(
  ctx: CommandContext,
  fn: (db: Knex, key: Buffer | null) => Promise<T>,
): Promise<T> {
  return withDatabase(ctx.target, { create: false, ...keyAccess(ctx) }, async (db, key) => {
    const applied = await migrate(db);
    if (applied.length > 0) ctx.io.stderr.write(`Applied migrations: ${applied.join(', ')}\n`);
    return fn(db, key);
  });
}
