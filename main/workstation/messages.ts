/** What the workstation says when it cannot do what was asked, in words the person can act on. */
import { AppError, type Result } from '../../shared/errors';
import type { WorkstationState } from '../../shared/workstation';
import { keyProblemMessage } from '../app/database-key';
import { ChoiceFileError } from './choice-file';
import { KeychainError } from './enrolment';

export const notReady = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'NOT_READY', message },
});

/** Why the contract's channels do not answer yet. */
export function notReadyMessage(state: WorkstationState): string {
  switch (state.kind) {
    case 'locked':
      return 'The database is locked: type its passphrase or recovery key first.';
    case 'new-key':
      return 'Choose a passphrase for the new database first.';
    case 'team-setup':
      return 'This workstation is not enrolled with a team server yet.';
    case 'failed':
      return state.message;
    case 'ready':
      return 'Not ready.';
  }
}

export const ALREADY_OPEN = 'The database is already open.';

/** Why the workstation could not start, for the start screen (never a value, only what to do). */
export function startFailure(err: unknown, databaseFile: string): string {
  return (
    keyProblemMessage(err) ??
    (err instanceof ChoiceFileError ? err.message : null) ??
    `Custodian could not open its database ${databaseFile}. Check that this folder exists, that you may write to it and that no other program is using the file, then start Custodian again.`
  );
}

/** A known refusal as the structured error the renderer shows; anything else is rethrown. */
export function refusal(err: unknown): Result<never> {
  if (err instanceof AppError) return { ok: false, error: err.toShape() };
  const message = keyProblemMessage(err);
  if (message) return { ok: false, error: { code: 'VALIDATION', message } };
  if (err instanceof KeychainError || err instanceof ChoiceFileError) {
    return { ok: false, error: { code: 'VALIDATION', message: err.message } };
  }
  throw err;
}
