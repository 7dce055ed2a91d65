import { useForm, type UseFormReturnType } from '@mantine/form';
import type { Channel, Input, Output } from '../../../shared/contract';
import type { ApiError } from '../api';
import { useAction, type Action } from './useAction';

type Values = Record<string, unknown>;

export interface ActionFormOptions<C extends Channel, V extends Values> {
  /** The form's fields, named as the channel's input names them, so refusals land under them. */
  initialValues: V;
  /** The channel's input from the values (optional parts left out, ids added). */
  toInput(values: V): Input<C>;
  /** Called with the answer when the write succeeded. */
  onDone(output: Output<C>): void;
  onRefused?(err: ApiError, input: Input<C>): void;
  /** The fields a refusal's errors are placed under; the values' names unless given. */
  fields?: readonly string[];
  /** Show the whole refusal above the fields even when part of it is placed under a field. */
  wholeMessage?: boolean;
}

export interface ActionForm<C extends Channel, V extends Values> {
  /** Value, onChange and the refusal's error for one field. */
  field(name: keyof V & string): ReturnType<UseFormReturnType<V>['getInputProps']>;
  values: V;
  action: Action<C>;
  /** The props of DialogForm the write decides: submit, busy, the refusal. */
  frame: { onSubmit(): void; busy: boolean; error: string | null };
}

/**
 * A form whose submit is one write to main: the values in @mantine/form, the write in useAction
 * (busy, refusal, invalidation), the refusal's field errors shown under their fields. Replaces the
 * useState-per-field and hand-written submit each dialog form had.
 */
export function useActionForm<C extends Channel, V extends Values>(
  channel: C,
  options: ActionFormOptions<C, V>,
): ActionForm<C, V> {
  const form = useForm<V>({ mode: 'controlled', initialValues: options.initialValues });
  const action = useAction(channel, {
    fields: options.fields ?? Object.keys(options.initialValues),
    ...(options.onRefused ? { onRefused: options.onRefused } : {}),
  });
  async function submit() {
    const done = await action.run(options.toInput(form.getValues()));
    if (done !== undefined) options.onDone(done);
  }
  return {
    field: (name) => ({ ...form.getInputProps(name), error: action.fieldErrors[name] ?? null }),
    values: form.values,
    action,
    frame: {
      onSubmit: () => void submit(),
      busy: action.busy,
      error: options.wholeMessage ? action.message : action.unplaced,
    },
  };
}
