/**
 * `custodian grant-server-role --role NAME`: run by the database owner after `migrate`, gives the
 * team server's role what the server needs and no more (main/db/server-role.ts).
 */
import type { Command } from 'commander';
import { grantServerRole, ServerRoleError } from '../../db/server-role';
import type { CliRun, CommandContext } from '../command';
import { withDatabase } from '../database';
import { keyAccess } from '../unlock';
import { CliError, UsageError } from '../errors';
import { requiredString, valueOption } from '../options';

export const grantServerRoleCommand = (cli: CliRun): Command =>
  cli
    .subcommand('grant-server-role', {
      summary:
        "Give the team server's database role its privileges (run as the owner after migrate).",
      usage: '--role NAME',
      details: [
        'With $CUSTODIAN_DATABASE_URL naming the owner of the tables. The role must exist (CREATE ROLE NAME LOGIN PASSWORD ...); it gets read and write on the working tables, read and insert only on the append-only ones, read only on the migration tables, and owns nothing.',
      ],
    })
    .addOption(valueOption('role', 'NAME', "The server's database role. (required)"))
    .action(cli.action(grant));

async function grant(ctx: CommandContext): Promise<void> {
  const { io, target, values } = ctx;
  if (target.kind !== 'pg') {
    throw new UsageError(
      "Database roles are PostgreSQL's: set CUSTODIAN_DATABASE_URL (the owner's).",
    );
  }
  const role = requiredString(values, 'role');
  const { appendOnly } = await withDatabase(
    target,
    { create: false, ...keyAccess(ctx) },
    async (db) => {
      try {
        return await grantServerRole(db, role);
      } catch (err) {
        if (err instanceof ServerRoleError) throw new CliError(err.message);
        throw err;
      }
    },
  );
  io.stdout.write(
    `Granted ${role} the server's privileges on ${target.shown}; append-only (no UPDATE, DELETE or TRUNCATE): ${appendOnly.join(', ')}.\n`,
  );
}
