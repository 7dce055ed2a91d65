/**
 * The workstation in team mode: every window's calls go to the team server through one pinned,
 * mutually authenticated client, each window with its own server session (its token in memory
 * only). A window signed in while the server could not be reached works on the member's replica
 * until its password gets it a server session (issue 16). Enrolment is in enrolment.ts.
 */
import fs from 'node:fs';
import { AppError, type Result } from '../../shared/errors';
import type { Keychain } from '../keys/data-key';
import type { RemoteSession, TeamServerClient } from '../remote/client';
import type { SessionInfo, VisibleAccess } from '../../shared/types';
import type { OfflineStatus } from '../../shared/workstation';
import { replicaFile } from '../replica/file';
import type { Logger } from '../log';
import { Callers, type CallerId } from './callers';
import { OfflineDesk, replicaKey } from './offline';
import {
  LOCAL_SESSION_CHANNELS,
  OfflineSession,
  parseLogin,
  refused,
  unlockPassword,
  wrongPassword,
} from './offline-session';
import { SignInWraps } from './signin-wrap';

/** Channels whose success signs a staff member in, and after which their replica is opened. */
const SIGN_IN = new Set(['auth.login', 'setup.createFirstAdmin']);

/** The lock screen's channels, kept on this workstation while the server is away. */
const LOCK_CHANNELS = new Set(['auth.lock', 'auth.unlock']);

/** Whether a window is locked after the server's answer to one of its calls. */
function lockedAfter(locked: boolean, channel: string, answer: Result<unknown>): boolean {
  if (channel === 'auth.lock') return true;
  if (!answer.ok) return locked || answer.error.code === 'SESSION_LOCKED';
  return channel === 'auth.unlock' ? false : locked;
}

/** A sign-in's (or a password change's) password: the offline wrap is made under it. */
function typedPassword(input: unknown): string | null {
  const password = (input as { password?: unknown } | null)?.password;
  return typeof password === 'string' ? password : null;
}

export class TeamWorkstation {
  private readonly callers: Callers<RemoteSession>;
  /** Each signed-in caller's offline copy (none without a keychain to seal its key). */
  private readonly desks = new Map<CallerId, OfflineDesk>();
  /** Callers signed in while the server could not be reached (no server session yet). */
  private readonly offlineSessions = new Map<CallerId, OfflineSession>();
  /** The offline sign-in wraps (none without a keychain: nothing to seal them with). */
  private readonly wraps: SignInWraps | null;
  /** A session that never signs in: the replica's contact check uses it. */
  private readonly anonymous: RemoteSession;

  constructor(
    private readonly client: TeamServerClient,
    private readonly offline: {
      dir: string;
      keychain: Keychain | null;
      log: Logger;
    },
  ) {
    this.callers = new Callers(() => client.openSession());
    this.anonymous = client.openSession();
    this.wraps = offline.keychain ? new SignInWraps(offline.dir, offline.keychain) : null;
  }

  async invoke(caller: CallerId, channel: string, input: unknown): Promise<Result<unknown>> {
    const signedInOffline = this.offlineSessions.get(caller);
    if (signedInOffline) return this.invokeOffline(caller, signedInOffline, channel, input);
    const session = this.callers.sessionOf(caller);
    const answer = await this.client.invoke(session, channel, input);
    const desk = this.desks.get(caller);
    if (!answer.ok && answer.error.code === 'SERVER_UNREACHABLE') {
      if (channel === 'auth.login') return this.signInOffline(caller, input, answer);
      if (channel === 'auth.logout') return this.signOutWhileAway(caller);
      if (desk && LOCK_CHANNELS.has(channel))
        return this.lockWhileAway(desk, channel, input, answer);
      return (await desk?.whenUnreachable(channel, input)) ?? answer;
    }
    desk?.reached()?.catch((err: unknown) => this.logContactFailure(err));
    if (desk) desk.locked = lockedAfter(desk.locked, channel, answer);
    if (answer.ok && SIGN_IN.has(channel)) {
      await this.openDesk(caller, session, answer.value, typedPassword(input));
    }
    if (answer.ok && channel === 'auth.changePassword') {
      await this.keepOfflineSignIn(answer.value as SessionInfo, typedPassword(input));
    }
    if (channel === 'auth.logout') await this.closeDesk(caller);
    return answer;
  }

  /**
   * auth.login while the server cannot be reached: the staff member's offline wrap on this
   * workstation, opened by the password typed, signs the window in offline on their replica
   * (refused past its lease). The answer is the online sign-in's shape.
   */
  private async signInOffline(
    caller: CallerId,
    input: unknown,
    unreachable: Result<unknown>,
  ): Promise<Result<unknown>> {
    const login = parseLogin(input);
    if (!login.ok) return login;
    if (!this.wraps) return unreachable;
    try {
      const { session, key } = await this.wraps.unlock(login.value.username, login.value.password);
      const staffId = session.user.id;
      if (!fs.existsSync(replicaFile(this.offline.dir, staffId))) {
        throw new AppError('SERVER_UNREACHABLE', noCopyMessage(session.user.username));
      }
      await this.closeDesk(caller);
      const desk = await this.openOfflineDesk(caller, staffId, key, null).catch((err: unknown) => {
        // A replica another key sealed (made afresh since the wrap): only the server can help.
        if (err instanceof AppError) throw err;
        throw new AppError('SERVER_UNREACHABLE', noCopyMessage(session.user.username));
      });
      let fieldAccess: VisibleAccess;
      try {
        fieldAccess = await desk.checkReadable();
      } catch (err) {
        await this.closeDesk(caller);
        throw err;
      }
      // The access the replica's rows were projected under: what the offline answers carry.
      const info = { ...session, fieldAccess };
      this.offlineSessions.set(caller, new OfflineSession(info));
      return { ok: true, value: info };
    } catch (err) {
      return refused(err);
    }
  }

  /**
   * auth.lock and auth.unlock of a window signed in online, while the server is away: the lock
   * is kept here (the replica answers nothing while it holds), and the password opens it by the
   * offline wrap. The server's own lock, if it locked the session too, asks again when it is back.
   */
  private async lockWhileAway(
    desk: OfflineDesk,
    channel: string,
    input: unknown,
    unreachable: Result<unknown>,
  ): Promise<Result<unknown>> {
    if (channel === 'auth.lock') {
      desk.locked = true;
      return { ok: true, value: null };
    }
    const password = unlockPassword(input);
    const signedIn = desk.member;
    if (password === null) return wrongPassword();
    if (!signedIn || !this.wraps) return unreachable;
    try {
      await this.wraps.unlock(signedIn.user.username, password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHENTICATED') return wrongPassword();
      return refused(err);
    }
    desk.locked = false;
    return { ok: true, value: { ...signedIn, locked: false } };
  }

  /**
   * Signed out while the server is away: the replica closes and the session's token is forgotten
   * here (the server ends it when it expires), so that the window is signed in nowhere, even
   * when the server comes back.
   */
  private async signOutWhileAway(caller: CallerId): Promise<Result<null>> {
    await this.closeDesk(caller);
    const session = this.callers.take(caller);
    if (session) this.client.closeSession(session);
    return { ok: true, value: null };
  }

  /** A call from a window signed in offline. */
  private async invokeOffline(
    caller: CallerId,
    signedIn: OfflineSession,
    channel: string,
    input: unknown,
  ): Promise<Result<unknown>> {
    const desk = this.desks.get(caller);
    if (!desk || desk.wiped || channel === 'auth.logout' || channel === 'auth.login') {
      const problem = desk?.wiped ? (await desk.status()).problem : null;
      this.offlineSessions.delete(caller);
      await this.closeDesk(caller);
      if (problem) return { ok: false, error: { code: 'UNAUTHENTICATED', message: problem } };
      if (channel === 'auth.logout') return { ok: true, value: null };
      return this.invoke(caller, channel, input);
    }
    if (channel === 'auth.unlock') return this.reconnect(caller, signedIn, input);
    if (LOCAL_SESSION_CHANNELS.has(channel)) return signedIn.answerLocally(channel);
    const session = this.callers.sessionOf(caller);
    if (channel === 'app.status') {
      const fromServer = await this.client.invoke(session, channel, input);
      if (fromServer.ok) desk.reached();
      else if (fromServer.error.code === 'SERVER_UNREACHABLE') desk.markUnreachable();
      return signedIn.status(fromServer);
    }
    if (signedIn.locked) return signedIn.lockedRefusal();
    const answer = await this.client.invoke(session, channel, input);
    if (!answer.ok && answer.error.code === 'SERVER_UNREACHABLE') {
      return (await desk.whenUnreachable(channel, input)) ?? answer;
    }
    // The server answers (it refused a session it never signed in): the password is needed.
    desk.reached();
    signedIn.serverIsBack();
    return signedIn.lockedRefusal();
  }

  /**
   * The lock screen's password for a window signed in offline: a sign-in at the server when it
   * answers (then the session goes on online and the outbox is replayed), else the offline wrap.
   */
  private async reconnect(
    caller: CallerId,
    signedIn: OfflineSession,
    input: unknown,
  ): Promise<Result<unknown>> {
    const password = unlockPassword(input);
    if (password === null) return wrongPassword();
    const session = this.callers.sessionOf(caller);
    const username = signedIn.info.user.username;
    const answer = await this.client.invoke(session, 'auth.login', { username, password });
    if (answer.ok) {
      this.offlineSessions.delete(caller);
      await this.openDesk(caller, session, answer.value, password);
      return answer;
    }
    if (answer.error.code === 'UNAUTHENTICATED') return wrongPassword();
    if (answer.error.code !== 'SERVER_UNREACHABLE') {
      if (answer.error.code === 'LOGIN_LOCKED') await this.endOffline(caller);
      return answer;
    }
    try {
      await this.wraps!.unlock(username, password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHENTICATED') return wrongPassword();
      await this.endOffline(caller);
      return refused(err);
    }
    // Gone again: the password unlocked it offline; the next contact asks once more.
    this.desks.get(caller)?.markUnreachable();
    signedIn.locked = false;
    signedIn.reconnect = false;
    return { ok: true, value: signedIn.view() };
  }

  private async endOffline(caller: CallerId): Promise<void> {
    this.offlineSessions.delete(caller);
    await this.closeDesk(caller);
  }

  /** The caller's choice for one of their offline changes in conflict. */
  async resolveConflict(caller: CallerId, id: string, keep: 'mine' | 'theirs'): Promise<void> {
    const desk = this.desks.get(caller);
    if (!desk) throw new AppError('NOT_FOUND', 'There is no offline copy for this window.');
    await desk.resolve(id, keep);
  }

  /** The caller's offline status, when signed in with an offline copy. */
  async offlineStatus(caller: CallerId): Promise<OfflineStatus | null> {
    const desk = this.desks.get(caller);
    if (!desk) return null;
    // In the background: a server that does not answer may take its time saying so.
    desk.retryIfOffline()?.catch((err: unknown) => this.logContactFailure(err));
    const status = await desk.status();
    if (status.reconnect) this.offlineSessions.get(caller)?.serverIsBack();
    return status;
  }

  /**
   * After a sign-in: the staff member's replica is opened and brought up to date in the
   * background (a first fill of a large database takes minutes; the console works meanwhile),
   * and the offline sign-in wrap made under the password typed.
   */
  private async openDesk(
    caller: CallerId,
    session: RemoteSession,
    signedIn: unknown,
    password: string | null,
  ) {
    const staffId = (signedIn as { user?: { id?: unknown } }).user?.id;
    const keychain = this.offline.keychain;
    if (typeof staffId !== 'string' || !keychain) return;
    await this.closeDesk(caller);
    const key = replicaKey(this.offline.dir, staffId, keychain);
    const desk = await this.openOfflineDesk(caller, staffId, key, signedIn as SessionInfo, session);
    await this.keepOfflineSignIn(signedIn as SessionInfo, password, key);
    desk.contact().catch((err: unknown) => this.logContactFailure(err));
  }

  private async openOfflineDesk(
    caller: CallerId,
    staffId: string,
    key: Buffer,
    /** Who signed in online; null: signed in offline. */
    signedIn: SessionInfo | null,
    session = this.callers.sessionOf(caller),
  ): Promise<OfflineDesk> {
    const replica = replicaFile(this.offline.dir, staffId);
    const desk = await OfflineDesk.open(
      { dir: this.offline.dir, staffId, key },
      (channel, input, sent) => this.client.invoke(session, channel, input, sent),
      (channel, input) => this.client.invoke(this.anonymous, channel, input),
      {
        offlineSignIn: signedIn === null,
        ...(signedIn ? { signedIn } : {}),
        onWiped: () => this.wraps?.remove(replica) ?? Promise.resolve(),
      },
    );
    this.desks.set(caller, desk);
    return desk;
  }

  /**
   * The offline sign-in wrap of an online sign-in (or password change), made again each time so
   * that a new password, role or name reaches it. A password the server wants changed makes
   * none, and takes away the one there was. A failure here never fails the sign-in.
   */
  private async keepOfflineSignIn(
    session: SessionInfo,
    password: string | null,
    key?: Buffer,
  ): Promise<void> {
    const { wraps } = this;
    const { keychain, dir } = this.offline;
    const staffId = session?.user?.id;
    if (!wraps || !keychain || typeof staffId !== 'string' || password === null) return;
    const replica = replicaFile(dir, staffId);
    try {
      if (session.mustChangePassword) await wraps.remove(replica);
      else await wraps.make(replica, session, password, key ?? replicaKey(dir, staffId, keychain));
    } catch (err) {
      this.offline.log.error('offline sign-in could not be kept', {
        kind: err instanceof Error ? err.name : 'unknown',
      });
    }
  }

  private logContactFailure(err: unknown): void {
    this.offline.log.error('offline copy could not be brought up to date', {
      kind: err instanceof Error ? err.name : 'unknown',
    });
  }

  private async closeDesk(caller: CallerId): Promise<void> {
    const desk = this.desks.get(caller);
    this.desks.delete(caller);
    await desk?.close();
  }

  /**
   * The role the caller is signed in with at the server (null: none), or 'unreachable' when the
   * server cannot be reached or refuses this workstation (its enrolment revoked, a new server
   * certificate): then nobody can sign in, and enrolling again is the way back.
   */
  async roleOf(caller: CallerId): Promise<string | null | 'unreachable'> {
    // Signed in offline is not signed in at the server.
    if (this.offlineSessions.has(caller)) return null;
    const status = await this.invoke(caller, 'app.status', {});
    if (!status.ok) {
      const cut =
        status.error.code === 'SERVER_UNREACHABLE' || status.error.code === 'NOT_ENROLLED';
      return cut ? 'unreachable' : null;
    }
    const session = (status.value as { session?: { user?: { role?: unknown } } | null }).session;
    return typeof session?.user?.role === 'string' ? session.user.role : null;
  }

  forget(caller: CallerId): void {
    const session = this.callers.take(caller);
    if (session) this.client.closeSession(session);
    this.offlineSessions.delete(caller);
    void this.closeDesk(caller);
  }

  async close(): Promise<void> {
    for (const session of this.callers.takeAll()) this.client.closeSession(session);
    this.offlineSessions.clear();
    for (const caller of [...this.desks.keys()]) await this.closeDesk(caller);
    await this.client.close();
  }
}

/** No offline wrap, or no replica to open with it: the one way to get one. */
export function noCopyMessage(username: string): string {
  return `This workstation has no offline copy for ${username}: sign in once while the team server can be reached.`;
}
