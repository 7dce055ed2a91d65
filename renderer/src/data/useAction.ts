import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, Input, Output } from '../../../shared/contract';
import { call, isApiError, isSessionProblem, type ApiError } from '../api';
import { refusalOf, type Refusal } from './errors';
import { INVALIDATES } from './invalidation';

export interface ActionOptions<C extends Channel> {
  /** The form's fields, so a refusal's field errors show inline under them. */
  fields?: readonly string[];
  /** Called when the backend refuses (not for a session problem): e.g. reload after CONFLICT. */
  onRefused?(err: ApiError, input: Input<C>): void;
}

export interface Action<C extends Channel> extends Refusal {
  /** Sends the write; resolves with its answer, or undefined when it was refused. */
  run(input: Input<C>): Promise<Output<C> | undefined>;
  busy: boolean;
  /** Forgets the last refusal (a form reopened, a field edited). */
  reset(): void;
  mutation: UseMutationResult<Output<C>, unknown, Input<C>>;
}

/**
 * A write to main. Busy and refusal state live here instead of in each form; after success the
 * reads the channel invalidates (data/invalidation.ts) are asked again. A refusal never throws
 * out of run(): it is kept as `fieldErrors` / `message`, and a session problem shows nothing
 * here because the app answers it once (lock screen, sign-in).
 */
export function useAction<C extends Channel>(
  channel: C,
  options: ActionOptions<C> = {},
): Action<C> {
  const client = useQueryClient();
  const mutation = useMutation<Output<C>, unknown, Input<C>>({
    mutationFn: (input) => call(channel, input),
    onSuccess: () =>
      Promise.all(
        (INVALIDATES[channel] ?? []).map((read) => client.invalidateQueries({ queryKey: [read] })),
      ),
    onError: (err, input) => {
      if (isApiError(err) && !isSessionProblem(err)) options.onRefused?.(err, input);
    },
  });
  const { mutateAsync, reset } = mutation;
  const run = useCallback(
    (input: Input<C>) => mutateAsync(input).catch(() => undefined),
    [mutateAsync],
  );
  return {
    run,
    busy: mutation.isPending,
    reset,
    mutation,
    ...refusalOf(mutation.error, options.fields ?? []),
  };
}
