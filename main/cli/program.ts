/**
 * `custodian [--database FILE] <command> [options]` as a commander program: the global options,
 * the commands in the order help lists them, and what is refused before any command runs.
 */
import { Command } from 'commander';
import { version } from '../version';
import type { CliRun } from './command';
import { backup } from './commands/backup';
import { createAdmin } from './commands/create-admin';
import { enrolmentCode } from './commands/enrolment-code';
import { grantServerRoleCommand } from './commands/grant-server-role';
import { importCommand } from './commands/import';
import { init } from './commands/init';
import { migrate } from './commands/migrate';
import { migrateData } from './commands/migrate-data';
import { recoveryKey } from './commands/recovery-key';
import { restore } from './commands/restore';
import { seed } from './commands/seed';
import { serve } from './commands/serve';
import { verifyAudit } from './commands/verify-audit';
import { UsageError } from './errors';
import { optionsEatenByNpm } from './invocation';
import { checkArguments, databaseOption } from './options';
import { KEY_STDIN_HELP } from './unlock';

const COMMANDS = [
  init,
  migrate,
  createAdmin,
  seed,
  verifyAudit,
  importCommand,
  migrateData,
  grantServerRoleCommand,
  serve,
  enrolmentCode,
  backup,
  restore,
  recoveryKey,
];

const environmentHelp = (invocation: string) =>
  [
    '',
    'Environment:',
    '  CUSTODIAN_DB            The SQLite file to use when --database is not given.',
    "  CUSTODIAN_DATABASE_URL  A team's PostgreSQL server (postgres://user:password@host/db);",
    '                          set in the environment, never on the command line.',
    '',
    `Run '${invocation} <command> --help' for a command's options.`,
  ].join('\n');

export function buildProgram(cli: CliRun): Command {
  const program = cli
    .configure(new Command(cli.invocation))
    .usage('[--database FILE] <command> [options]')
    .description('Administration of a Custodian customer account database.')
    .addOption(databaseOption())
    .version(`custodian ${version}`, '--version', 'Show the version.')
    // Options after the command are the command's (each command takes --database too).
    .enablePositionalOptions()
    .addHelpCommand('help [command]', 'Show help for a command.')
    .addHelpText('after', environmentHelp(cli.invocation))
    .allowUnknownOption()
    .action((_options, self: Command) => noCommand(self));
  for (const define of COMMANDS) {
    program.addCommand(
      define(cli).addOption(databaseOption()).option('--key-stdin', KEY_STDIN_HELP),
    );
  }
  return program;
}

/** Reached when the first argument is not a command. */
function noCommand(program: Command): never {
  // An unknown option, or --database without its value, is named first.
  checkArguments(program, program.args.length);
  const [first] = program.args;
  if (first !== undefined) throw unknownCommand(program, first);
  program.outputHelp({ error: true });
  throw new UsageError('No command given.');
}

export function unknownCommand(program: Command, name: string | undefined): UsageError {
  const shown = name !== undefined && /^[\w-]{1,32}$/.test(name) ? ` '${name}'` : '';
  const names = program.commands.map((c) => c.name()).join(', ');
  return new UsageError(`Unknown command${shown}. Commands: ${names}.`);
}

/**
 * `npm run cli init --database X`, the `--` forgotten: npm kept the options and passed on
 * `init X`. Refused before anything runs, as the command would run on the wrong database.
 */
export function checkNpmArguments(program: Command, env: NodeJS.ProcessEnv): void {
  const names = new Set(
    [program, ...program.commands].flatMap((c) => c.options.flatMap((o) => o.long ?? [])),
  );
  const eaten = optionsEatenByNpm(env, names);
  if (eaten.length === 0) return;
  throw new UsageError(
    `npm took ${eaten.join(', ')} for itself, so the command did not get ${eaten.length === 1 ? 'it' : 'them'}. Put -- between cli and the command: npm run cli -- <command> [options].`,
  );
}
