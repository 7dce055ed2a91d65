/**
 * `custodian <command> [options]`: parses the command line with commander, runs the command and
 * turns any failure into a plain message and an exit code.
 */
import { CommanderError, type Command } from 'commander';
import { CliRun } from './command';
import { EXIT_OK, EXIT_USAGE, UsageError, describeFailure } from './errors';
import { buildProgram, checkNpmArguments, unknownCommand } from './program';
import type { Io } from './terminal';

/** Runs the command line; returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const cli = new CliRun(io);
  const program = buildProgram(cli);
  try {
    checkNpmArguments(program, io.env);
    await program.parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    // Help or the version was printed.
    if (err instanceof CommanderError && err.exitCode === 0) return EXIT_OK;
    const failure = describeFailure(
      err instanceof CommanderError ? fromCommander(err, program, argv) : err,
      cli.database,
    );
    io.stderr.write(`custodian: ${failure.message}\n`);
    if (failure.exitCode === EXIT_USAGE) {
      const topic = cli.command ? `${cli.command} ` : '';
      io.stderr.write(`Run '${cli.invocation} ${topic}--help' for usage.\n`);
    }
    return failure.exitCode;
  }
}

/** The few refusals commander still makes itself (the commands leave the rest to us). */
function fromCommander(err: CommanderError, program: Command, argv: readonly string[]) {
  // `help NAME` for a command that does not exist: commander printed the program's help.
  if (err.code === 'commander.help') return unknownCommand(program, argv[argv.length - 1]);
  return new UsageError(err.message.replace(/^error: /, ''));
}
