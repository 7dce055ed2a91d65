import { isApiError, isSessionProblem } from '../api';
import { splitError } from '../forms';

/** The backend's refusal as a sentence for an Alert; a session problem is left to the app. */
export function refusalMessage(
  err: unknown,
  fallback = 'Could not load this. Try again.',
): string | null {
  if (!err || isSessionProblem(err)) return null;
  return isApiError(err) ? err.message : fallback;
}

export interface Refusal {
  /** Inline errors by field, for the fields the form shows. */
  fieldErrors: Record<string, string>;
  /** The whole refusal, with the field errors the form has no place for. */
  message: string | null;
  /** The message when no field error could be placed inline (for forms that show one or the other). */
  unplaced: string | null;
}

export const NO_REFUSAL: Refusal = { fieldErrors: {}, message: null, unplaced: null };

/** A refused write split for a form; nothing for a session problem (the app shows the lock or sign-in). */
export function refusalOf(err: unknown, knownFields: readonly string[]): Refusal {
  if (!err || isSessionProblem(err)) return NO_REFUSAL;
  const { fieldErrors, message } = splitError(err, knownFields);
  const placed = Object.keys(fieldErrors).length > 0;
  return { fieldErrors, message, unplaced: placed ? null : message };
}
