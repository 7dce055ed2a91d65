import type { Channel, Output, ParsedInput } from '../../shared/contract';
import type { HandlerServices } from './services';
import type { Session, SignedIn } from '../services/session';

export interface HandlerContext {
  session: Session;
  services: HandlerServices;
  /** The signed-in staff member; throws for a caller without a session. */
  staff(): SignedIn;
}

export type Handler<C extends Channel> = (
  input: ParsedInput<C>,
  ctx: HandlerContext,
) => Promise<Output<C>>;

/** One domain's handlers: a typed map from its channels to functions. */
export type HandlerMap<K extends Channel> = { [C in K]: Handler<C> };
