/**
 * A window signed in offline (issue 16): the workstation answers the session channels itself
 * (status, lock, heartbeat), since the server holds no session for it. Reads and edits go to the
 * member's OfflineDesk as in an online session gone offline. When the server answers again the
 * window is locked: its password gets it a server session (auth.unlock becomes a sign-in at the
 * server) before anything waiting in the outbox is sent.
 */
import { contract } from '../../shared/contract';
import { AppError, type Result } from '../../shared/errors';
import type { AppStatus, SessionInfo } from '../../shared/types';
import { fieldErrorsOf } from '../ipc/dispatch';
import { version } from '../version';

/** The channels a window signed in offline answers without the server. */
export const LOCAL_SESSION_CHANNELS = new Set(['auth.lock', 'auth.heartbeat']);

export const RECONNECT_MESSAGE =
  'The team server can be reached again: enter your password to reconnect.';

const INCORRECT_PASSWORD = 'Incorrect password.';

export class OfflineSession {
  locked = false;
  /** Locked because the server answers again (not for idleness): unlocking signs in there. */
  reconnect = false;

  constructor(readonly info: SessionInfo) {}

  view(): SessionInfo {
    return { ...this.info, locked: this.locked };
  }

  /** The server answered: no more offline work until the password gets a server session. */
  serverIsBack(): void {
    this.locked = true;
    this.reconnect = true;
  }

  /** auth.lock and auth.heartbeat, answered here. */
  answerLocally(channel: string): Result<unknown> {
    if (channel === 'auth.lock') this.locked = true;
    else if (this.locked) return this.lockedRefusal();
    return { ok: true, value: null };
  }

  lockedRefusal(): Result<never> {
    const message = this.reconnect
      ? RECONNECT_MESSAGE
      : 'The console is locked: enter your password to carry on.';
    return { ok: false, error: { code: 'SESSION_LOCKED', message } };
  }

  /**
   * app.status: the server's answer (initialised, its version) when it gave one, with this
   * window's offline session in place of the none the server holds; this workstation's own
   * version when the server cannot be reached.
   */
  status(fromServer: Result<unknown>): Result<AppStatus> {
    if (fromServer.ok) this.serverIsBack();
    else if (fromServer.error.code !== 'SERVER_UNREACHABLE') return fromServer;
    const base = fromServer.ok
      ? (fromServer.value as AppStatus)
      : { initialised: true, appVersion: version };
    return {
      ok: true,
      value: { initialised: base.initialised, appVersion: base.appVersion, session: this.view() },
    };
  }
}

/** The sign-in's input, or the refusal a bad one gets (as dispatch words it). */
export function parseLogin(input: unknown): Result<{ username: string; password: string }> {
  const parsed = contract['auth.login'].input.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: {
      code: 'VALIDATION',
      message: 'Some fields need attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
    },
  };
}

/** The unlock's password, or null when the input is not an unlock's. */
export function unlockPassword(input: unknown): string | null {
  const parsed = contract['auth.unlock'].input.safeParse(input);
  return parsed.success ? parsed.data.password : null;
}

/** The lock screen knows who is signed in: only the password can be wrong (as online). */
export function wrongPassword(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'UNAUTHENTICATED',
      message: INCORRECT_PASSWORD,
      fieldErrors: { password: INCORRECT_PASSWORD },
    },
  };
}

/** An AppError as the answer it becomes; anything else is not a refusal and is rethrown. */
export function refused(err: unknown): Result<never> {
  if (err instanceof AppError) return { ok: false, error: err.toShape() };
  throw err;
}
