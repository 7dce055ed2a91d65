import { isApiError } from './api';

/** Splits a refused call into inline errors (by field) and one message for an Alert. */
export function splitError(
  err: unknown,
  knownFields: readonly string[],
): { fieldErrors: Record<string, string>; message: string | null } {
  if (!isApiError(err)) {
    return { fieldErrors: {}, message: 'Something went wrong. Try again.' };
  }
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [path, text] of Object.entries(err.fieldErrors ?? {})) {
    if (knownFields.includes(path)) fieldErrors[path] = text;
    else unplaced.push(text);
  }
  const message = [err.message, ...unplaced].join(' ');
  return { fieldErrors, message };
}
