import type { Command } from 'commander';
import type { z } from 'zod';
import { displayName, newPassword, username } from '../../../shared/schemas';
import {
  countActiveAdministrators,
  countStaff,
  findStaffByUsername,
  insertRoleGrant,
  insertStaff,
} from '../../services/staff-repo';
import type { CliRun, CommandContext } from '../command';
import { withMigratedDatabase } from '../migrated';
import { CliError, UsageError } from '../errors';
import { requiredString, valueOption } from '../options';
import { promptHidden, readFirstLine } from '../terminal';

export const createAdmin = (cli: CliRun): Command =>
  cli
    .subcommand('create-admin', {
      summary:
        'Create a staff account with the administrator role (the first needs no approval; later ones wait for one in the console).',
      usage: '--username USERNAME --name "Display Name" [--password-stdin]',
      details: [
        'The password is never taken from the command line (other users could read it in the process list): it is asked for twice on the terminal without echo, or read from the first line of standard input with --password-stdin, e.g.',
        `  printf '%s\\n' "$ADMIN_PASSWORD" | ${cli.invocation} create-admin --username ada --name "Ada Admin" --password-stdin`,
        'Passwords have 12 to 256 characters.',
      ],
    })
    .addOption(
      valueOption('username', 'USERNAME', 'Sign-in name: 3 to 32 of a-z 0-9 . _ - (required)'),
    )
    .addOption(valueOption('name', 'NAME', 'Display name shown in the console. (required)'))
    .option('--password-stdin', 'Read the password from the first line of standard input.')
    .action(cli.action(createAdministrator));

async function createAdministrator(ctx: CommandContext): Promise<void> {
  const { io } = ctx;
  const user = check(username, requiredString(ctx.values, 'username'), 'Username');
  const name = check(displayName, requiredString(ctx.values, 'name'), 'Name');
  const fromStdin = ctx.values.passwordStdin === true;
  if (!fromStdin && !(io.stdin.isTTY && io.stdin.setRawMode)) {
    throw new UsageError(
      'There is no terminal to ask for the password: pipe it on standard input with --password-stdin.',
    );
  }

  const result = await withMigratedDatabase(ctx, async (db) => {
    // Checked before the password is asked for, and again in the transaction that inserts.
    if (await findStaffByUsername(db, user)) throw taken(user);
    const password = check(newPassword, await readPassword(ctx, user, fromStdin), 'Password');
    return db.transaction(async (trx) => {
      if (await findStaffByUsername(trx, user)) throw taken(user);
      const first = (await countStaff(trx)) === 0;
      // Only the first administrator needs nobody's approval: with administrators already
      // there, the account waits, inactive, for one of them or a compliance officer to approve
      // it in the console, like a grant made there (four eyes, DESIGN.md section 4).
      const pending = (await countActiveAdministrators(trx)) > 0;
      const now = new Date();
      const id = await insertStaff(trx, {
        username: user,
        displayName: name,
        role: 'administrator',
        password,
        mustChangePassword: false,
        now,
        actorId: null,
        via: 'command line',
        active: !pending,
      });
      if (pending) {
        await insertRoleGrant(trx, {
          staffId: id,
          role: 'administrator',
          kind: 'create',
          activate: true,
          granterId: null,
          now,
        });
      }
      return { first, pending };
    });
  });
  io.stdout.write(
    result.pending
      ? `Created administrator '${user}' (${name}), waiting for approval: Custodian already has an administrator, so the account can sign in only once an administrator or compliance officer approves the role grant under Approvals in the console.\n`
      : `Created administrator '${user}' (${name})${result.first ? ', the first staff account' : ''}. They can now sign in to Custodian.\n`,
  );
}

function taken(user: string): CliError {
  return new CliError(`The username '${user}' is taken. Choose another.`);
}

/** Validates with the shared schema; the message names the field, not the value. */
function check<T>(schema: z.ZodType<T>, value: string, label: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CliError(`${label}: ${parsed.error.issues[0]?.message ?? 'not valid.'}`);
  }
  return parsed.data;
}

async function readPassword(
  ctx: CommandContext,
  user: string,
  fromStdin: boolean,
): Promise<string> {
  const { io } = ctx;
  if (fromStdin) {
    const line = await readFirstLine(io.stdin);
    if (line === null || line === '') {
      throw new CliError('No password on standard input (expected it on the first line).');
    }
    return line;
  }
  const password = await promptHidden(`Password for ${user}: `, io.stdin, io.stderr);
  check(newPassword, password, 'Password');
  const again = await promptHidden('Repeat the password: ', io.stdin, io.stderr);
  if (again !== password) throw new CliError('The two passwords differ. Nothing was created.');
  return password;
}
