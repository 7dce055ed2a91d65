import { useState } from 'react';
import type { Input } from '../../../../shared/contract';
import type { DisclosureOutcome } from '../../../../shared/types';
import { call, isApiError, isSessionProblem } from '../../api';

/** Sends the request to the gate; keeps its answer, or its refusal split by field. */
export function useSubmitRequest(onPending: () => void) {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<DisclosureOutcome | null>(null);

  async function submit(input: Input<'disclosures.request'>) {
    setBusy(true);
    setSubmitError(null);
    setFieldErrors({});
    try {
      const out = await call('disclosures.request', input);
      setOutcome(out);
      if (out.status === 'pending') onPending();
    } catch (err) {
      if (isSessionProblem(err)) return;
      if (isApiError(err)) {
        const fe = err.fieldErrors ?? {};
        setFieldErrors(fe);
        const others = Object.entries(fe)
          .filter(([k]) => k !== 'fileName')
          .map(([k, v]) => `${k}: ${v}`);
        // A bad file name alone is said beside the file name, not again in an alert.
        setSubmitError(
          fe.fileName && others.length === 0 ? null : [err.message, ...others].join(' '),
        );
      } else {
        setSubmitError('The request could not be sent. Try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  return {
    fieldErrors,
    clearFieldError: (name: string) => setFieldErrors((e) => ({ ...e, [name]: '' })),
    submitError,
    busy,
    outcome,
    clearOutcome: () => setOutcome(null),
    submit,
  };
}
