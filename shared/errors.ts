/** Error codes every channel may answer with. The renderer shows `message` as is. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'SESSION_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'LOGIN_LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'ALREADY_INITIALISED',
  'UNKNOWN_CHANNEL',
  /** The team server refused: too many requests (sign-ins) from one address or for one name. */
  'RATE_LIMITED',
  /** Team mode: the workstation could not reach its server, or the server was not the pinned one. */
  'SERVER_UNREACHABLE',
  /** Team mode: this workstation is not enrolled with the server, or its enrolment was revoked. */
  'NOT_ENROLLED',
  /** The workstation is not ready for the backend's channels: its database key must be typed first. */
  'NOT_READY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The structured error that crosses the IPC boundary: never a stack trace. */
export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Per input field (dotted path) the reason it was refused, for inline display. */
  fieldErrors?: Record<string, string>;
  /** Extra, code-specific data that is safe for the caller to see (e.g. the current record). */
  details?: unknown;
}

export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly fieldErrors?: Record<string, string>;
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fieldErrors?: Record<string, string>; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (extra.fieldErrors) this.fieldErrors = extra.fieldErrors;
    if (extra.details !== undefined) this.details = extra.details;
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message };
    if (this.fieldErrors) shape.fieldErrors = this.fieldErrors;
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
