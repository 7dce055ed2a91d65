import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { splitError } from '../forms';

/** What the Alert above an auth form says; `locked` names a locked staff account. */
export interface AuthProblem {
  text: string;
  locked?: boolean;
}

export interface AuthFormOptions<V extends Record<string, string>> {
  initialValues: V;
  /** The call to main; its answer is the caller's to pass on (a session). */
  send(values: V): Promise<void>;
  /**
   * A refusal the screen answers itself (returns true): a locked account, a database already
   * set up. Anything else is split into field errors and the Alert.
   */
  onRefused?(err: unknown, answer: AuthAnswer<V>): boolean;
  /** Fields emptied after any refusal (a password is not left typed in). */
  clearOnRefusal?: (keyof V & string)[];
  /** The Alert only when no error could be placed under a field (sign-in shows one or the other). */
  alertOnlyUnplaced?: boolean;
}

export interface AuthAnswer<V> {
  form: UseFormReturnType<V>;
  setProblem(problem: AuthProblem | null): void;
}

export interface AuthFormState<V> extends AuthAnswer<V> {
  problem: AuthProblem | null;
  busy: boolean;
  onSubmit(e?: React.FormEvent<HTMLFormElement>): void;
}

/**
 * The sign-in, first-run and password screens run before there is a session, so they call main
 * directly rather than through the data layer (whose session handling would swallow a wrong
 * password). The values live in @mantine/form; an edit clears that field's error.
 */
export function useAuthForm<V extends Record<string, string>>(
  options: AuthFormOptions<V>,
): AuthFormState<V> {
  const form = useForm<V>({ mode: 'controlled', initialValues: options.initialValues });
  const [problem, setProblem] = useState<AuthProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = Object.keys(options.initialValues);

  async function send(values: V) {
    setBusy(true);
    setProblem(null);
    form.clearErrors();
    try {
      await options.send(values);
    } catch (err) {
      const cleared = Object.fromEntries((options.clearOnRefusal ?? []).map((key) => [key, '']));
      form.setValues(cleared as Partial<V>);
      if (options.onRefused?.(err, { form, setProblem })) return;
      const split = splitError(err, fields);
      form.setErrors(split.fieldErrors);
      const placed = Object.keys(split.fieldErrors).length > 0;
      if (!(options.alertOnlyUnplaced && placed)) setProblem({ text: split.message ?? '' });
    } finally {
      setBusy(false);
    }
  }

  return { form, setProblem, problem, busy, onSubmit: form.onSubmit((v) => void send(v)) };
}
