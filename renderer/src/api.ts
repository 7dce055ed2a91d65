/**
 * The renderer's only way to the trusted process: window.custodian.invoke, with the Result
 * unwrapped. A refused call throws an ApiError carrying the backend's code, message, per-field
 * errors and details. Session problems (locked, signed out) are also broadcast so the app can
 * show the lock screen or the sign-in screen wherever the call was made.
 */
import type { AppChannel, AppInput, AppOutput } from '../../shared/api';
import type { Channel, Input, Output } from '../../shared/contract';
import type { AppErrorShape, ErrorCode, Result } from '../../shared/errors';
import type {
  WorkstationChannel,
  WorkstationInput,
  WorkstationStatus,
} from '../../shared/workstation';

export class ApiError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly fieldErrors?: Record<string, string>;
  readonly details?: unknown;
  readonly channel: AppChannel;

  constructor(channel: AppChannel, shape: AppErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.channel = channel;
    this.code = shape.code;
    if (shape.fieldErrors) this.fieldErrors = shape.fieldErrors;
    if (shape.details !== undefined) this.details = shape.details;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** Codes that mean the session, not the request, is the problem: the app handles them centrally. */
const SESSION_CODES: readonly ErrorCode[] = [
  'SESSION_LOCKED',
  'UNAUTHENTICATED',
  'PASSWORD_CHANGE_REQUIRED',
];
/** Channels whose refusals are about the credentials typed, answered on their own screen. */
const SELF_HANDLED: readonly AppChannel[] = [
  'app.status',
  'setup.createFirstAdmin',
  'auth.login',
  'auth.unlock',
  'auth.logout',
];

/** True when a screen should leave the error to the app (lock screen, sign-in screen). */
export function isSessionProblem(err: unknown): boolean {
  return isApiError(err) && SESSION_CODES.includes(err.code) && !SELF_HANDLED.includes(err.channel);
}

type SessionListener = (err: ApiError) => void;
const listeners = new Set<SessionListener>();

export function onSessionProblem(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** window.custodian.invoke, with a failure to reach main itself turned into an ApiError. */
async function invoke<C extends AppChannel>(
  channel: C,
  input: AppInput<C>,
): Promise<Result<AppOutput<C>>> {
  try {
    return await window.custodian.invoke(channel, input);
  } catch {
    throw new ApiError(channel, {
      code: 'INTERNAL',
      message: 'The console could not reach its backend. Restart Custodian and try again.',
    });
  }
}

export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const result = await invoke(channel, input as AppInput<C>);
  if (result.ok) return result.value as Output<C>;
  const err = new ApiError(channel, result.error);
  if (isSessionProblem(err)) for (const listener of listeners) listener(err);
  throw err;
}

/**
 * A call to the workstation itself (start-up: the database key, the team server), answered by
 * main whichever backend there is; it answers the workstation's status.
 */
export async function callWorkstation<C extends WorkstationChannel>(
  channel: C,
  input: WorkstationInput<C>,
): Promise<WorkstationStatus> {
  const result = await invoke(channel, input as AppInput<C>);
  if (result.ok) return result.value as WorkstationStatus;
  throw new ApiError(channel, result.error);
}
