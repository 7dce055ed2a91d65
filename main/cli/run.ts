/**
 * `custodian <command> [options]`: finds the command, parses and checks its options, runs it and
 * turns any failure into a plain message and an exit code.
 */
import { version } from '../version';
import { GLOBAL_OPTIONS, formatHelp, parseOptions, splitCommand } from './args';
import type { Command } from './command';
import { createAdmin } from './commands/create-admin';
import { importCommand } from './commands/import';
import { init } from './commands/init';
import { migrate } from './commands/migrate';
import { migrateData } from './commands/migrate-data';
import { seed } from './commands/seed';
import { verifyAudit } from './commands/verify-audit';
import { resolveTarget } from './database';
import { EXIT_OK, EXIT_USAGE, UsageError, describeFailure } from './errors';
import type { Io } from './terminal';

export const COMMANDS: readonly Command[] = [
  init,
  migrate,
  createAdmin,
  seed,
  verifyAudit,
  importCommand,
  migrateData,
];

const PROGRAM_OPTIONS = {
  ...GLOBAL_OPTIONS,
  version: { type: 'boolean', description: 'Show the version.' },
} as const;

function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return formatHelp({
    usage: 'custodian [--database FILE] <command> [options]',
    summary: 'Administration of a Custodian customer account database.',
    details: [
      'Commands:\n' + COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n'),
    ],
    options: PROGRAM_OPTIONS,
    footer: [
      'Environment:',
      '  CUSTODIAN_DB            The SQLite file to use when --database is not given.',
      "  CUSTODIAN_DATABASE_URL  A team's PostgreSQL server (postgres://user:password@host/db);",
      '                          set in the environment, never on the command line.',
      '',
      "Run 'custodian <command> --help' for a command's options.",
    ],
  });
}

function commandHelp(command: Command): string {
  return formatHelp({
    usage: command.usage,
    summary: command.summary,
    details: command.details,
    options: { ...command.options, ...GLOBAL_OPTIONS },
  });
}

/** Runs the command line; returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let database = 'the database';
  let commandName: string | undefined;
  try {
    const split = splitCommand(argv);
    const before = parseOptions(split.before, PROGRAM_OPTIONS);
    if (before.version) {
      io.stdout.write(`custodian ${version}\n`);
      return EXIT_OK;
    }
    if (split.command === undefined || split.command === 'help') {
      const topic = split.command === 'help' ? split.after[0] : undefined;
      const command = COMMANDS.find((c) => c.name === topic);
      if (command) {
        io.stdout.write(commandHelp(command));
        return EXIT_OK;
      }
      if (before.help || split.command === 'help') {
        io.stdout.write(programHelp());
        return EXIT_OK;
      }
      io.stderr.write(programHelp());
      throw new UsageError('No command given.');
    }
    const command = COMMANDS.find((c) => c.name === split.command);
    if (!command) {
      const name = /^[\w-]{1,32}$/.test(split.command) ? ` '${split.command}'` : '';
      throw new UsageError(
        `Unknown command${name}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`,
      );
    }
    commandName = command.name;
    const values = {
      ...before,
      ...parseOptions(
        split.after,
        { ...command.options, ...GLOBAL_OPTIONS },
        command.name,
        command.positional,
      ),
    };
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT_OK;
    }
    const target = resolveTarget(values, io.env, io.cwd);
    database = target.shown;
    return (await command.run({ io, target, values })) ?? EXIT_OK;
  } catch (err) {
    const failure = describeFailure(err, database);
    io.stderr.write(`custodian: ${failure.message}\n`);
    if (failure.exitCode === EXIT_USAGE) {
      const topic = err instanceof UsageError ? (err.command ?? commandName) : commandName;
      io.stderr.write(`Run 'custodian ${topic ? `${topic} ` : ''}--help' for usage.\n`);
    }
    return failure.exitCode;
  }
}
