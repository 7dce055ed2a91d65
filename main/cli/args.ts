/**
 * Parsing of `custodian [global options] <command> [options]` on top of node:util parseArgs,
 * with messages for people and without echoing values (an argument may be a mistyped secret).
 */
import { parseArgs } from 'node:util';
import type { OptionSpec, OptionValues } from './command';
import { UsageError } from './errors';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  database: {
    type: 'string',
    valueName: 'FILE',
    description:
      "The SQLite database file (default: custodian.sqlite in Custodian's user-data folder, or $CUSTODIAN_DB).",
  },
  help: { type: 'boolean', description: 'Show help.' },
};

export const PASSWORD_ON_ARGV =
  'Custodian never takes a password on the command line, where other users of this computer can see it in the process list. Type it when asked, or pipe it with --password-stdin.';

/** Splits argv into the global options before the command, the command and the rest. */
export function splitCommand(argv: readonly string[]): {
  before: string[];
  command: string | undefined;
  after: string[];
} {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    // A global option that takes a value in the next argument.
    const name = arg.replace(/^--?/, '');
    if (!arg.includes('=') && GLOBAL_OPTIONS[name]?.type === 'string') i++;
    i++;
  }
  if (argv[i] === '--') i++;
  return { before: argv.slice(0, i), command: argv[i], after: argv.slice(i + 1) };
}

/** Parses options against a specification; unknown, malformed or stray arguments are refused. */
export function parseOptions(
  args: readonly string[],
  specs: Record<string, OptionSpec>,
  command?: string,
  positional?: { name: string },
): OptionValues {
  const where = command ? ` for '${command}'` : '';
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: OptionValues = {};
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (positional && values[positional.name] === undefined) {
        values[positional.name] = token.value;
        continue;
      }
      throw new UsageError(
        `Unexpected argument${where}: this command takes options only (values follow their option, e.g. --accounts 500).`,
        command,
      );
    }
    const raw = token.rawName;
    if (raw === '-h' && specs.help) {
      values.help = true;
      continue;
    }
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    // Short options are not offered (except -h): each option is spelled out.
    if (!spec || raw.length === 2) {
      if (/^-(-(password|passwd|pass|pwd|pw)|p)$/i.test(raw)) {
        throw new UsageError(PASSWORD_ON_ARGV, command);
      }
      throw new UsageError(`Unknown option ${safeName(raw)}${where}.`, command);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${raw} takes no value.`, command);
      values[token.name] = true;
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
        throw new UsageError(`${raw} needs a value.`, command);
      }
      values[token.name] = token.value;
    }
  }
  return values;
}

/** An option name as typed, shortened if it is long (it is echoed back in the message). */
function safeName(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
}

/** An integer option in a range, or its default when absent. */
export function integerOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number; default?: number },
  command: string,
): number {
  const raw = values[name];
  if (raw === undefined) {
    if (range.default !== undefined) return range.default;
    throw new UsageError(`--${name} is required.`, command);
  }
  const text = String(raw).replace(/[_,]/g, '');
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `--${name} takes a whole number from ${range.min.toLocaleString('en-US')} to ${range.max.toLocaleString('en-US')}.`,
      command,
    );
  }
  return n;
}

export function requiredString(values: OptionValues, name: string, command: string): string {
  const v = values[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} is required.`, command);
  return v;
}

/** Help text for a command or for the program. */
export function formatHelp(opts: {
  usage: string;
  summary: string;
  details?: string[] | undefined;
  options: Record<string, OptionSpec>;
  footer?: string[];
}): string {
  const rows = Object.entries(opts.options).map(([name, spec]) => {
    const left = `--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return [left, spec.description + (spec.required ? ' (required)' : '')] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [`Usage: ${opts.usage}`, '', opts.summary];
  for (const paragraph of opts.details ?? []) lines.push('', paragraph);
  lines.push('', 'Options:');
  for (const [left, right] of rows) lines.push(`  ${left.padEnd(width)}${right}`);
  if (opts.footer) lines.push('', ...opts.footer);
  return `${lines.join('\n')}\n`;
}
