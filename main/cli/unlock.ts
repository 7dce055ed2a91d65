/**
 * How the command line opens an encrypted database: with its recovery key or its passphrase,
 * asked for on the terminal without echo, or read from the first line of standard input with
 * --key-stdin. Never from argv or the environment, where other programs can read it.
 */
import type { Unlock } from '../keys/data-key';
import { parseRecoveryKey } from '../keys/wrap';
import { UsageError } from './errors';
import { promptHidden, readFirstLine, type Io } from './terminal';

export const KEY_STDIN_HELP =
  "Read the database's recovery key or passphrase from the first line of standard input.";

/** A recovery key looks like one (64 hex digits); anything else is taken as the passphrase. */
export function unlockFor(text: string): Unlock {
  return parseRecoveryKey(text) ? { kind: 'recovery', text } : { kind: 'passphrase', text };
}

export async function askUnlock(io: Io, file: string, fromStdin: boolean): Promise<Unlock> {
  if (fromStdin) {
    const line = await readFirstLine(io.stdin);
    if (!line) throw new UsageError('--key-stdin was given, but standard input was empty.');
    return unlockFor(line);
  }
  if (!(io.stdin.isTTY && io.stdin.setRawMode)) {
    throw new UsageError(
      `${file} is encrypted and there is no terminal to ask for its key: pipe its recovery key or passphrase on standard input with --key-stdin.`,
    );
  }
  return unlockFor(
    await promptHidden(`Recovery key or passphrase for ${file}: `, io.stdin, io.stderr),
  );
}

/**
 * A command's way to open its database's key (`--key-stdin`, else a prompt on the terminal), and
 * to show the recovery key of a key made now: a plaintext database of an earlier release is
 * encrypted on its first open, by any command, and its recovery key is shown that once.
 */
export function keyAccess(ctx: {
  io: Io;
  target: { shown: string };
  values: Record<string, unknown>;
}): { unlock: () => Promise<Unlock>; onNewKey: (recoveryKey: string) => void } {
  return {
    unlock: () => askUnlock(ctx.io, ctx.target.shown, ctx.values.keyStdin === true),
    onNewKey: (recoveryKey) =>
      ctx.io.stderr.write(
        `${ctx.target.shown} is now encrypted. Its recovery key (shown this once: write it down and keep it away from this computer):\n  ${recoveryKey}\n`,
      ),
  };
}
