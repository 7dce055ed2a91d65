/**
 * The workstation in team mode: every window's calls go to the team server through one pinned,
 * mutually authenticated client, each window with its own server session (its token in memory
 * only). Enrolment makes the workstation's key pair here; only the certificate and the key
 * sealed by the OS keychain are kept.
 */
import type { Result } from '../../shared/errors';
import type { ClientReport } from '../../shared/team-wire';
import type { Keychain } from '../keys/data-key';
import { TeamServerClient, type RemoteSession } from '../remote/client';
import { Callers, type CallerId } from './callers';
import type { Enrolment } from './choice-file';

export class TeamWorkstation {
  private readonly callers: Callers<RemoteSession>;

  constructor(private readonly client: TeamServerClient) {
    this.callers = new Callers(() => client.openSession());
  }

  invoke(caller: CallerId, channel: string, input: unknown): Promise<Result<unknown>> {
    return this.client.invoke(this.callers.sessionOf(caller), channel, input);
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
  }

  async close(): Promise<void> {
    for (const session of this.callers.takeAll()) this.client.closeSession(session);
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
