import type { Channel, Input, Output } from './contract';
import type { Result } from './errors';

/** The one object the preload exposes to the renderer as `window.custodian`. */
export interface CustodianApi {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
}

/** The single Electron IPC channel the preload forwards calls on. */
export const IPC_INVOKE_CHANNEL = 'custodian:invoke';
