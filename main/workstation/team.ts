/**
 * The workstation in team mode: every window's calls go to the team server through one pinned,
 * mutually authenticated client, each window with its own server session (its token in memory
 * only). Enrolment makes the workstation's key pair here; only the certificate and the key
 * sealed by the OS keychain are kept.
 */
import { AppError, type Result } from '../../shared/errors';
import type { ClientReport } from '../../shared/team-wire';
import type { Keychain } from '../keys/data-key';
import { TeamServerClient, type RemoteSession } from '../remote/client';
import type { OfflineStatus } from '../../shared/workstation';
import type { Logger } from '../log';
import { Callers, type CallerId } from './callers';
import { OfflineDesk } from './offline';
import type { Enrolment } from './choice-file';

/** Channels whose success signs a staff member in, and after which their replica is opened. */
const SIGN_IN = new Set(['auth.login', 'setup.createFirstAdmin']);

export class TeamWorkstation {
  private readonly callers: Callers<RemoteSession>;
  /** Each signed-in caller's offline copy (none without a keychain to seal its key). */
  private readonly desks = new Map<CallerId, OfflineDesk>();
  /** A session that never signs in: the replica's contact check uses it. */
  private readonly anonymous: RemoteSession;

  constructor(
    private readonly client: TeamServerClient,
    private readonly offline: { dir: string; keychain: Keychain | null; log: Logger },
  ) {
    this.callers = new Callers(() => client.openSession());
    this.anonymous = client.openSession();
  }

  async invoke(caller: CallerId, channel: string, input: unknown): Promise<Result<unknown>> {
    const session = this.callers.sessionOf(caller);
    const answer = await this.client.invoke(session, channel, input);
    const desk = this.desks.get(caller);
    if (!answer.ok && answer.error.code === 'SERVER_UNREACHABLE') {
      return (await desk?.whenUnreachable(channel, input)) ?? answer;
    }
    desk?.reached()?.catch((err: unknown) => this.logContactFailure(err));
    if (answer.ok && SIGN_IN.has(channel)) await this.openDesk(caller, session, answer.value);
    if (channel === 'auth.logout') await this.closeDesk(caller);
    return answer;
  }

  /** The caller's choice for one of their offline changes in conflict. */
  async resolveConflict(caller: CallerId, id: string, keep: 'mine' | 'theirs'): Promise<void> {
    const desk = this.desks.get(caller);
    if (!desk) throw new AppError('NOT_FOUND', 'There is no offline copy for this window.');
    await desk.resolve(id, keep);
  }

  /** The caller's offline status, when signed in with an offline copy. */
  offlineStatus(caller: CallerId): Promise<OfflineStatus> | null {
    const desk = this.desks.get(caller);
    desk?.retryIfOffline()?.catch((err: unknown) => this.logContactFailure(err));
    return desk?.status() ?? null;
  }

  /**
   * After a sign-in: the staff member's replica is opened and brought up to date in the
   * background (a first fill of a large database takes minutes; the console works meanwhile).
   */
  private async openDesk(caller: CallerId, session: RemoteSession, signedIn: unknown) {
    const staffId = (signedIn as { user?: { id?: unknown } }).user?.id;
    const keychain = this.offline.keychain;
    if (typeof staffId !== 'string' || !keychain) return;
    await this.closeDesk(caller);
    const desk = await OfflineDesk.open(
      { dir: this.offline.dir, staffId, keychain },
      (channel, input, sent) => this.client.invoke(session, channel, input, sent),
      (channel, input) => this.client.invoke(this.anonymous, channel, input),
    );
    this.desks.set(caller, desk);
    desk.contact().catch((err: unknown) => this.logContactFailure(err));
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
    void this.closeDesk(caller);
  }

  async close(): Promise<void> {
    for (const session of this.callers.takeAll()) this.client.closeSession(session);
    for (const caller of [...this.desks.keys()]) await this.closeDesk(caller);
    await this.client.close();
  }
}

export class KeychainError extends Error {
  override name = 'KeychainError';
}

/** Where files cross to and from the workstation in team mode. */
export interface WorkstationFiles {
  /** Exports and disclosures the server produces are fetched into this folder. */
  exportDir: string;
  /** The OS file picker for an import; the picked file is uploaded to the server. */
  chooseImportFile?: () => Promise<string | null>;
}

/** The client of an enrolled workstation; its private key unsealed by the keychain. */
export function enrolledClient(
  enrolment: Enrolment,
  keychain: Keychain | null,
  client: ClientReport,
  files: WorkstationFiles,
): TeamServerClient {
  if (!keychain) throw new KeychainError(NO_KEYCHAIN);
  let keyPem: string;
  try {
    keyPem = keychain.open(enrolment.sealedKey).toString('utf8');
  } catch {
    throw new KeychainError(
      'The OS keychain could not open this workstation\u2019s enrolment key (another user, another computer, or a reset keychain). Enrol the workstation again with a new code from your administrator.',
    );
  }
  return new TeamServerClient({
    url: enrolment.url,
    fingerprint: enrolment.fingerprint,
    client,
    clientAuth: { certPem: enrolment.certPem, keyPem },
    exportDir: files.exportDir,
    ...(files.chooseImportFile ? { chooseImportFile: files.chooseImportFile } : {}),
  });
}

export const NO_KEYCHAIN =
  'This computer has no OS keychain to keep the workstation\u2019s enrolment key in, so it cannot join a team server. Set up the keychain (e.g. GNOME Keyring or KWallet) and start Custodian again.';

export interface JoinRequest {
  url: string;
  fingerprint: string;
  code: string;
  name: string;
}

/** Enrols with a one-time code: the enrolment to keep, or the server's refusal. */
export async function enrol(
  request: JoinRequest,
  keychain: Keychain,
  client: ClientReport,
  modulusLength?: number,
): Promise<Result<Enrolment>> {
  let stranger: TeamServerClient;
  try {
    stranger = new TeamServerClient({ url: request.url, fingerprint: request.fingerprint, client });
  } catch (err) {
    return { ok: false, error: { code: 'VALIDATION', message: (err as Error).message } };
  }
  try {
    const enrolled = await stranger.enrol(request.code, request.name, modulusLength);
    if (!enrolled.ok) return enrolled;
    return {
      ok: true,
      value: {
        url: new URL(request.url).origin,
        fingerprint: request.fingerprint,
        name: request.name,
        certPem: enrolled.value.certPem,
        sealedKey: keychain.seal(Buffer.from(enrolled.value.keyPem, 'utf8')),
      },
    };
  } finally {
    await stranger.close();
  }
}
