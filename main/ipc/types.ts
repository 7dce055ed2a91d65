import type { Channel, Output, ParsedInput } from '../../shared/contract';
import type { HandlerServices } from './services';
import type { Actor } from '../services/accounts/service';
import type { Session, SignedIn } from '../services/session';

export interface HandlerContext {
  session: Session;
  services: HandlerServices;
  /** The signed-in staff member; throws for a caller without a session. */
  staff(): SignedIn;
  /** Who is acting, as the services take it: the signed-in staff member's id and role. */
  actor(): Actor;
}

export type Handler<C extends Channel> = (
  input: ParsedInput<C>,
  ctx: HandlerContext,
) => Promise<Output<C>>;

/** One domain's handlers: a typed map from its channels to functions. */
export type HandlerMap<K extends Channel> = { [C in K]: Handler<C> };
