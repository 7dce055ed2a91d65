import type { Channel, Input, Output } from './contract';
import type { Result } from './errors';
import type { WorkstationChannel, WorkstationInput, WorkstationStatus } from './workstation';

/** Every channel the renderer may call: the backend's contract and the workstation's own. */
export type AppChannel = Channel | WorkstationChannel;
export type AppInput<C extends AppChannel> = C extends Channel
  ? Input<C>
  : C extends WorkstationChannel
    ? WorkstationInput<C>
    : never;
export type AppOutput<C extends AppChannel> = C extends Channel ? Output<C> : WorkstationStatus;

/** The one object the preload exposes to the renderer as `window.custodian`. */
export interface CustodianApi {
  invoke<C extends AppChannel>(channel: C, input: AppInput<C>): Promise<Result<AppOutput<C>>>;
}

/** The single Electron IPC channel the preload forwards calls on. */
export const IPC_INVOKE_CHANNEL = 'custodian:invoke';
