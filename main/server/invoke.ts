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
import { runSpooled } from '../services/exports/spool';
import { withMadeOfflineAt } from '../services/offline-claim';
import type { FileDeliveryService } from '../services/file-deliveries';
import type { ServerSessionService, SessionRead } from '../services/server-sessions';
import type { ClientInfo, Session, SignedIn } from '../services/session';

export interface InvokeCall {
  channel: string;
  input: unknown;
  /** The bearer token, if the workstation sent one. */
  token: string | null;
  /** The token's session as this request's door read it (undefined: not read yet). */
  read?: SessionRead | null | undefined;
  client: ClientReport;
  /** The address the server saw the request come from. */
  seenIp: string;
  /** A change replayed from the workstation's outbox: when it was made there. */
  madeOfflineAt?: string | undefined;
  /** Where files the call writes go, and which workstation they are for (team mode). */
  files?: {
    deliveries: FileDeliveryService;
    workstation: string;
    uploaded: string | null;
    /** Names taken in the workstation's export folder (the writer refuses them). */
    taken?: readonly string[] | undefined;
  };
}

function gateOf(channel: string): string | null {
  return Object.hasOwn(contract, channel) ? contract[channel as Channel].gate : null;
}

/**
 * The backend Session of each live token on this instance, so that what a session keeps in
 * memory between calls (the file chosen for an import, a running job) stays with it. Its
 * sign-in state is still read from the database on every request: the database decides.
 */
export class LiveSessions {
  private readonly live = new Map<string, { session: Session; usedAt: number }>();

  constructor(
    private readonly backend: Backend,
    private readonly idleMs: number,
    /** Told when a token's Session ends here (what it held on disk goes with it). */
    private readonly onDrop: (token: string) => void = () => undefined,
  ) {}

  get(token: string, client: ClientInfo): Session {
    const now = Date.now();
    const found = this.live.get(token);
    if (found) {
      found.usedAt = now;
      Object.assign(found.session.client, client);
      return found.session;
    }
    this.sweep(now);
    const session = this.backend.openSession(client);
    this.live.set(token, { session, usedAt: now });
    return session;
  }

  /** Moves a fresh sign-in's Session under its new token. */
  adopt(token: string, session: Session): void {
    this.live.set(token, { session, usedAt: Date.now() });
  }

  /** Forgets a token without closing its Session (it moves to another token). */
  release(token: string): void {
    this.live.delete(token);
  }

  drop(token: string): void {
    const found = this.live.get(token);
    if (!found) return;
    this.live.delete(token);
    this.backend.closeSession(found.session);
    this.onDrop(token);
  }

  private sweep(now: number): void {
    for (const [token, entry] of this.live) {
      if (now - entry.usedAt > this.idleMs) this.drop(token);
    }
  }

  closeAll(): void {
    for (const token of [...this.live.keys()]) this.drop(token);
  }
}

export async function invokeForWorkstation(
  backend: Backend,
  sessions: ServerSessionService,
  live: LiveSessions,
  call: InvokeCall,
): Promise<InvokeResponse> {
  const client: ClientInfo = { ...call.client, seenIp: call.seenIp };
  let before: SignedIn | null = null;
  let forget = false;
  if (call.token !== null) {
    try {
      before = await sessions.resume(call.token, call.read);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      live.drop(call.token);
      // A public channel (status, sign-in) still answers; the workstation forgets the token.
      if (gateOf(call.channel) !== 'public') {
        return { result: { ok: false, error: err.toShape() }, token: null };
      }
      forget = true;
    }
  }
  const session =
    call.token !== null && before ? live.get(call.token, client) : backend.openSession(client);
  session.signedIn = before ? { ...before } : null;
  const uploaded = call.files?.uploaded ?? null;
  if (uploaded !== null) session.uploadedFile = () => Promise.resolve(uploaded);
  // A file the call writes goes to the server's spool, encrypted, to be fetched (files.ts).
  const scope = call.files?.deliveries.scope(call.files.taken);
  let kept = false;
  try {
    const run = () =>
      withMadeOfflineAt(call.madeOfflineAt ?? null, new Date(), () =>
        backend.invoke(session, call.channel, call.input),
      );
    const result = scope ? await runSpooled(scope, run) : await run();
    const after = session.signedIn as SignedIn | null;
    const response: InvokeResponse = { result };
    if (forget) response.token = null;
    if (call.token !== null && before) {
      if (!after || after.staffId !== before.staffId) {
        await sessions.end(call.token);
        // Signed in as someone else: the Session lives on under the new token below.
        if (after) live.release(call.token);
        else live.drop(call.token);
        response.token = null;
      } else {
        await sessions.save(call.token, before, after);
        kept = true;
      }
    }
    if (after && (!before || after.staffId !== before.staffId)) {
      response.token = await sessions.begin(after, {
        hostname: call.client.hostname,
        seenIp: call.seenIp,
      });
      live.adopt(response.token, session);
      kept = true;
    }
    const token = response.token === undefined ? call.token : response.token;
    if (scope && call.files && scope.produced.length > 0 && token && after) {
      response.files = await call.files.deliveries.offer(scope, {
        staffId: after.staffId,
        token,
        workstation: call.files.workstation,
      });
    }
    return response;
  } finally {
    if (!kept) backend.closeSession(session);
  }
}
