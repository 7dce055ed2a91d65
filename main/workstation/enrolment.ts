/**
 * Enrolling a workstation with the team server: a one-time code makes the workstation's key pair
 * here; only the certificate and the key sealed by the OS keychain are kept, and the enrolled
 * client is made from them at each start.
 */
import type { Result } from '../../shared/errors';
import type { ClientReport } from '../../shared/team-wire';
import type { Keychain } from '../keys/data-key';
import { TeamServerClient } from '../remote/client';
import type { Enrolment } from './choice-file';

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
