import type { Target } from './database';
import type { Io } from './terminal';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** For string options, how the value is shown in help, e.g. `N` or `FILE`. */
  valueName?: string;
  description: string;
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  io: Io;
  /** The database the command works on. */
  target: Target;
  values: OptionValues;
}

/** One subcommand: its options (parsed and checked before `run`), its help and its action. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Paragraphs printed after the usage line in --help. */
  details?: string[];
  options: Record<string, OptionSpec>;
  /** One argument that is not an option (e.g. a file name), stored in `values` under `name`. */
  positional?: { name: string; description: string };
  run(ctx: CommandContext): Promise<number | void>;
}
