/**
 * One run of the command line on commander: its streams, how it was started (for hints that can
 * be pasted back) and what it ended with. Every command is made by `subcommand` and runs through
 * `action`, so all share the output streams, the help layout and the refusals of checkArguments.
 */
import { Command } from 'commander';
import { resolveTarget, type Target } from './database';
import { EXIT_OK } from './errors';
import { invocationOf } from './invocation';
import { checkArguments, optionTerm, type Values } from './options';
import type { Io, OutputStream } from './terminal';

export interface CommandContext {
  io: Io;
  /** The database the command works on. */
  target: Target;
  /** The options, by commander's attribute names (`--password-stdin` is `passwordStdin`). */
  values: Values;
  /** The argument that is not an option, for a command that declares one (import's FILE). */
  operand: string | undefined;
}

export interface CommandText {
  summary: string;
  /** After `custodian <name>` on the usage line. */
  usage: string;
  /** Paragraphs printed after the summary in --help. */
  details?: string[];
}

const helpWidth = (stream: OutputStream) => (stream.isTTY && stream.columns) || 100;

export class CliRun {
  /** `custodian`, or `npm run cli --` in a checkout. */
  readonly invocation: string;
  exitCode: number = EXIT_OK;
  /** For failure messages: the database in use, once known. */
  database = 'the database';
  /** The command being run, for the usage hint after a mistake. */
  command: string | undefined;

  constructor(readonly io: Io) {
    this.invocation = invocationOf(io.env);
  }

  /** What the program and every command share: errors thrown, never process.exit. */
  configure(cmd: Command): Command {
    const { io } = this;
    return cmd
      .exitOverride()
      .configureOutput({
        writeOut: (text) => void io.stdout.write(text),
        writeErr: (text) => void io.stderr.write(text),
        // run() reports every failure itself, in its own words.
        outputError: () => undefined,
        getOutHelpWidth: () => helpWidth(io.stdout),
        getErrHelpWidth: () => helpWidth(io.stderr),
      })
      .configureHelp({ optionTerm, subcommandTerm: (c) => c.name() })
      .helpOption('-h, --help', 'Show help.');
  }

  subcommand(name: string, text: CommandText): Command {
    return (
      this.configure(new Command(name))
        .summary(text.summary)
        .description([text.summary, ...(text.details ?? [])].join('\n\n'))
        .usage(text.usage)
        // Reported by checkArguments, in words that echo no value.
        .allowUnknownOption()
    );
  }

  /** A command's commander action: checks what commander let through, then runs `run`. */
  action(run: (ctx: CommandContext) => Promise<number | void>) {
    return async (...args: unknown[]): Promise<void> => {
      // commander passes the declared arguments, the options and the command.
      const cmd = args[args.length - 1] as Command;
      this.command = cmd.name();
      checkArguments(cmd, args.length - 2);
      const values: Values = { ...cmd.parent?.opts(), ...cmd.opts() };
      const target = resolveTarget(values, this.io.env, this.io.cwd);
      this.database = target.shown;
      const operand = cmd.args[0];
      this.exitCode = (await run({ io: this.io, target, values, operand })) ?? EXIT_OK;
    };
  }
}
