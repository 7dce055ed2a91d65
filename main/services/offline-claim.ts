/**
 * The time a change replayed from a team workstation's outbox was made there (issue 16).
 *
 * The workstation's main process sends it beside the call (the wire envelope, never the
 * renderer's input: a window cannot backdate its own online edits), the team server runs the
 * call inside `withMadeOfflineAt`, and the dispatcher hands it to the services as part of the
 * actor, so the records of the change keep both times: when it was made, and when the server
 * received it. A workstation's clock is its own, so a claim after the receipt is taken as the
 * receipt: a change cannot have been made after it arrived.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const claim = new AsyncLocalStorage<string>();

/** Runs `fn` as the replay of a change made offline at `madeAt` (null: an ordinary call). */
export function withMadeOfflineAt<T>(madeAt: string | null, now: Date, fn: () => T): T {
  if (madeAt === null) return fn();
  const at = Date.parse(madeAt);
  if (!Number.isFinite(at)) throw new Error('the time of making is not a date');
  return claim.run(new Date(Math.min(at, now.getTime())).toISOString(), fn);
}

/** The time of making of the call being answered, when it was made offline. */
export function madeOfflineAt(): string | undefined {
  return claim.getStore();
}
