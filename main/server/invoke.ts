/**
 * One request of the team server, from token to answer: the session is resumed from the
 * database (main/services/server-sessions.ts), the call runs through the same dispatcher as
 * Electron's IPC, and what the call did to the sign-in state is written back (a sign-in starts a
 * session and hands out its token; a sign-out or a lockout ends it).
 */
import { contract, type Channel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ClientReport, InvokeResponse } from '../../shared/team-wire';
import type { Backend } from '../app/backend';
import type { ServerSessionService } from '../services/server-sessions';
import type { SignedIn } from '../services/session';

export interface InvokeCall {
  channel: string;
  input: unknown;
  /** The bearer token, if the workstation sent one. */
  token: string | null;
  client: ClientReport;
  /** The address the server saw the request come from. */
  seenIp: string;
}

function gateOf(channel: string): string | null {
  return Object.hasOwn(contract, channel) ? contract[channel as Channel].gate : null;
}

export async function invokeForWorkstation(
  backend: Backend,
  sessions: ServerSessionService,
  call: InvokeCall,
): Promise<InvokeResponse> {
  const session = backend.openSession({ ...call.client, seenIp: call.seenIp });
  try {
    let before: SignedIn | null = null;
    let forget = false;
    if (call.token !== null) {
      try {
        before = await sessions.resume(call.token);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // A public channel (status, sign-in) still answers; the workstation forgets the token.
        if (gateOf(call.channel) !== 'public')
          return { result: { ok: false, error: err.toShape() }, token: null };
        forget = true;
      }
      if (before) session.signedIn = { ...before };
    }
    const result = await backend.invoke(session, call.channel, call.input);
    const after = session.signedIn;
    const response: InvokeResponse = { result };
    if (forget) response.token = null;
    if (call.token !== null && before) {
      if (!after || after.staffId !== before.staffId) {
        await sessions.end(call.token);
        response.token = null;
      } else {
        await sessions.save(call.token, before, after);
      }
    }
    if (after && (!before || after.staffId !== before.staffId)) {
      response.token = await sessions.begin(after, {
        hostname: call.client.hostname,
        seenIp: call.seenIp,
      });
    }
    return response;
  } finally {
    backend.closeSession(session);
  }
}
