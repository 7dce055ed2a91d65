/**
 * Options on top of commander, with the refusals in words for people and without echoing values
 * (an argument may be a mistyped secret).
 */
import { Option, type Command } from 'commander';
import { UsageError } from './errors';

export type Values = Record<string, string | boolean | undefined>;

export const PASSWORD_ON_ARGV =
  'Custodian never takes a password on the command line, where other users of this computer can see it in the process list. Type it when asked, or pipe it with --password-stdin.';

/**
 * `--name VALUE`. Declared to commander with an optional value, so that commander neither fails
 * on a missing value in its own words nor takes the next option as the value (`--accounts
 * --append`): the option is then `true`, which checkArguments refuses.
 */
export function valueOption(name: string, valueName: string, description: string): Option {
  return new Option(`--${name} [${valueName}]`, description);
}

/** How an option is shown in help: `--accounts N`, as it is typed. */
export const optionTerm = (option: Option): string => option.flags.replace(/ \[(\S+)\]$/, ' $1');

export const databaseOption = (): Option =>
  valueOption(
    'database',
    'FILE',
    "The SQLite database file (default: custodian.sqlite in Custodian's user-data folder, or $CUSTODIAN_DB).",
  );

/**
 * What commander let through (commands allow unknown options so that they are reported here) and
 * the command line refuses: an unknown option, a stray argument, an option without its value.
 */
export function checkArguments(cmd: Command, operands: number): void {
  const args = cmd.args.filter((arg) => arg !== '--');
  const option = args.find((arg) => arg.length > 1 && arg.startsWith('-'));
  if (option !== undefined) throw optionProblem(cmd, option);
  if (args.length > operands) {
    throw new UsageError(
      `Unexpected argument for '${cmd.name()}': this command takes options only (values follow their option, e.g. --accounts 500).`,
    );
  }
  for (const known of cmd.options) {
    if (known.optional && cmd.getOptionValue(known.attributeName()) === true) {
      throw new UsageError(`${known.long} needs a value.`);
    }
  }
}

/** The refusal of an argument that looks like an option; only its name is echoed, not a value. */
function optionProblem(cmd: Command, arg: string): UsageError {
  const long = arg.startsWith('--');
  const eq = long ? arg.indexOf('=') : -1;
  // Short options are not offered (except -h): `-pX` is refused as `-p`.
  const name = eq > 0 ? arg.slice(0, eq) : long ? arg : arg.slice(0, 2);
  if (/^-(-(password|passwd|pass|pwd|pw)|p)$/i.test(name)) return new UsageError(PASSWORD_ON_ARGV);
  const flag = name === '--help' || cmd.options.some((o) => o.long === name && !o.optional);
  if (eq > 0 && flag) return new UsageError(`${name} takes no value.`);
  const where = cmd.parent ? ` for '${cmd.name()}'` : '';
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return new UsageError(`Unknown option ${shown}${where}.`);
}

/** An integer option in a range, or its default when absent. */
export function integerOption(
  values: Values,
  name: string,
  range: { min: number; max: number; default?: number },
): number {
  const raw = values[name];
  if (raw === undefined) {
    if (range.default !== undefined) return range.default;
    throw new UsageError(`--${name} is required.`);
  }
  const text = String(raw).replace(/[_,]/g, '');
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `--${name} takes a whole number from ${range.min.toLocaleString('en-US')} to ${range.max.toLocaleString('en-US')}.`,
    );
  }
  return n;
}

export function requiredString(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} is required.`);
  return v;
}
