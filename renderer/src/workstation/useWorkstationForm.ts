import type { WorkstationStatus } from '../../../shared/workstation';
import { useAuthForm, type AuthFormOptions } from '../auth/useAuthForm';

/**
 * A start-up form: the workstation answers its new status, which the gate takes over. Refusals
 * land under their fields or above the form, as on the sign-in screens.
 */
export function useWorkstationForm<V extends Record<string, string>>(
  options: Omit<AuthFormOptions<V>, 'send'> & {
    send(values: V): Promise<WorkstationStatus>;
    onStatus(status: WorkstationStatus): void;
  },
) {
  const { send, onStatus, ...rest } = options;
  return useAuthForm<V>({ ...rest, send: async (values) => onStatus(await send(values)) });
}
