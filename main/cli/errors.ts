/**
 * What the command line prints when something fails: a plain message, never a stack trace and
 * never a database driver's message (knex puts the SQL text and its bound customer values there).
 */
import { AppError } from '../../shared/errors';
import { BackupError } from '../app/backup';
import { keyProblemMessage } from '../app/database-key';
import { DatabaseUrlError } from '../db/database-url';

/** Exit codes: 0 done, 1 failed, 2 the command line itself was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A failure whose message is written for the person at the terminal. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line was wrong: unknown command or option, missing or malformed value. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** Messages for error codes from SQLite and the file system; they name no customer value. */
const KNOWN_CODES: Record<string, (database: string) => string> = {
  SQLITE_BUSY: () =>
    'The database is busy: another program is writing to it. Try again in a moment.',
  SQLITE_LOCKED: () => 'The database is locked by another connection. Try again in a moment.',
  SQLITE_CANTOPEN: (db) => `Cannot open the database file ${db}.`,
  SQLITE_NOTADB: (db) => `${db} is not a Custodian database (it is not an SQLite file).`,
  SQLITE_CORRUPT: (db) =>
    `The database file ${db} is damaged. Restore it from a backup before going on.`,
  SQLITE_FULL: () => 'The disk is full: free some space and try again.',
  SQLITE_READONLY: (db) => `The database file ${db} is read-only for this user.`,
  SQLITE_PERM: (db) => `No permission to use the database file ${db}.`,
  SQLITE_IOERR: (db) => `A disk error occurred while using ${db}.`,
  SQLITE_CONSTRAINT: () =>
    'The database refused the change because it would break one of its rules; nothing was saved by the failed step.',
  ENOSPC: () => 'The disk is full: free some space and try again.',
  EACCES: (db) => `No permission to use ${db} or its folder.`,
  EPERM: (db) => `No permission to use ${db} or its folder.`,
  EROFS: (db) => `${db} is on a read-only file system.`,
  EISDIR: (db) => `${db} is a folder, not a database file.`,
  ENOTDIR: (db) => `A part of the path ${db} is not a folder.`,
  ENOENT: (db) => `The path ${db} does not exist.`,
  // PostgreSQL (team mode); the server's own messages may quote row values, so none are shown.
  ECONNREFUSED: (db) => `Cannot reach the database server of ${db}: is it running?`,
  ENOTFOUND: (db) => `The database server's host name in ${db} is not known.`,
  ETIMEDOUT: (db) => `The database server of ${db} did not answer in time.`,
  ECONNRESET: (db) => `The database server of ${db} closed the connection.`,
  PG_28P01: () => 'The database server refused the user name or password.',
  PG_28000: () => 'The database server refused this connection (check pg_hba.conf and sslmode).',
  PG_3D000: (db) => `The database named in ${db} does not exist on the server.`,
  PG_23505: () => 'The database refused a duplicate value; nothing was saved by the failed step.',
  PG_23503: () => 'The database refused a reference to a missing record.',
  PG_23514: () => 'The database refused a value that breaks one of its rules.',
  PG_42501: () => 'The database user lacks a permission this command needs.',
  PG_53100: () => 'The database server is out of disk space.',
  PG_57P03: () => 'The database server is starting up or shutting down: try again shortly.',
};

export interface Failure {
  message: string;
  exitCode: number;
}

/**
 * An engine's or the system's error while a command used one database: a command that opens two
 * (migrate-data's source and target) names the one that failed, not the default one.
 */
export class DatabaseFailure extends Error {
  constructor(
    readonly failure: unknown,
    /** The database as messages show it (a URL with its password redacted). */
    readonly database: string,
  ) {
    super('database failure');
  }

  /** `err` tied to `database`, unless it is a message of ours or already tied to one. */
  static of(err: unknown, database: string): unknown {
    const ours =
      err instanceof CliError || err instanceof AppError || err instanceof DatabaseFailure;
    return ours || errorCode(err) === undefined ? err : new DatabaseFailure(err, database);
  }
}

/** Turns anything thrown into a message safe to print and an exit code. */
export function describeFailure(err: unknown, database: string): Failure {
  if (err instanceof DatabaseFailure) return describeFailure(err.failure, err.database);
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof AppError) return { message: err.message, exitCode: EXIT_FAILED };
  // Its messages show the URL with the password and unknown parameters redacted.
  if (err instanceof DatabaseUrlError) return { message: err.message, exitCode: EXIT_FAILED };
  // The key tried and the next step; never the key itself.
  const keyProblem = keyProblemMessage(err);
  if (keyProblem) return { message: keyProblem, exitCode: EXIT_FAILED };
  if (err instanceof BackupError) return { message: err.message, exitCode: EXIT_FAILED };
  const code = errorCode(err);
  if (code && KNOWN_CODES[code]) {
    return { message: KNOWN_CODES[code](database), exitCode: EXIT_FAILED };
  }
  return {
    message: `Unexpected error${code ? ` (${code})` : ''}. No details are printed because they could contain customer data.`,
    exitCode: EXIT_FAILED,
  };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const raw = (err as { code: unknown }).code;
  if (typeof raw !== 'string') return undefined;
  // PostgreSQL reports a five-character SQLSTATE; Node and SQLite use names.
  const code = SQLSTATE.test(raw) && /\d/.test(raw) ? `PG_${raw}` : raw;
  if (!SAFE_CODE.test(code)) return undefined;
  // SQLite extended codes (SQLITE_CONSTRAINT_UNIQUE) share their primary code's message.
  const primary = Object.keys(KNOWN_CODES).find((k) => code === k || code.startsWith(`${k}_`));
  return primary ?? code;
}
