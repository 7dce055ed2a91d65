import { useState } from 'react';
import type { Input } from '../../../../shared/contract';
import { isApiError, isSessionProblem } from '../../api';
import { useAction } from '../../data';

interface RequestRefusal {
  fieldErrors: Record<string, string>;
  message: string | null;
}

/**
 * A refused request: every field error for the steps to show, and one sentence for the last
 * step with those no step shows (named by their path). A bad file name alone is said beside the
 * file name, not again in an alert.
 */
function refusalOf(err: unknown): RequestRefusal {
  if (!err || isSessionProblem(err)) return { fieldErrors: {}, message: null };
  if (!isApiError(err))
    return { fieldErrors: {}, message: 'The request could not be sent. Try again.' };
  const fieldErrors = err.fieldErrors ?? {};
  const others = Object.entries(fieldErrors)
    .filter(([k]) => k !== 'fileName')
    .map(([k, v]) => `${k}: ${v}`);
  const message =
    fieldErrors.fileName && others.length === 0 ? null : [err.message, ...others].join(' ');
  return { fieldErrors, message };
}

/** Sends the request to the gate; keeps its answer, or its refusal split by field. */
export function useSubmitRequest(onPending: () => void) {
  const request = useAction('disclosures.request');
  const refusal = refusalOf(request.mutation.error);
  // Field errors the person has since edited away.
  const [edited, setEdited] = useState<Record<string, string>>({});

  async function submit(input: Input<'disclosures.request'>) {
    setEdited({});
    const out = await request.run(input);
    if (out?.status === 'pending') onPending();
  }

  return {
    fieldErrors: { ...refusal.fieldErrors, ...edited },
    clearFieldError: (name: string) => setEdited((e) => ({ ...e, [name]: '' })),
    submitError: refusal.message,
    busy: request.busy,
    outcome: request.mutation.data ?? null,
    clearOutcome: request.reset,
    submit,
  };
}
