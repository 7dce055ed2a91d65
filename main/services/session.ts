import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Role } from '../../shared/roles';

/** Where a caller sits (policy P3): recorded with what it views, never with PII values. */
export interface ClientInfo {
  hostname: string;
  ip: string;
  os: string;
  appVersion: string;
  /** The address the team server saw the caller at, beside the `ip` it reports itself. */
  seenIp?: string;
}

export function localClientInfo(appVersion: string): ClientInfo {
  const ip =
    Object.values(os.networkInterfaces())
      .flat()
      .find((n) => n && n.family === 'IPv4' && !n.internal)?.address ?? '127.0.0.1';
  return {
    hostname: os.hostname(),
    ip,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    appVersion,
  };
}

export interface SignedIn {
  staffId: string;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  locked: boolean;
  lastActivity: number;
}

/**
 * One caller of the backend: an Electron window, a test page, a CLI run. Its signed-in state
 * lives only in this process's memory and is never written anywhere.
 */
export class Session {
  readonly id = randomUUID();
  signedIn: SignedIn | null = null;
  /**
   * The file this caller brought for an import, when it is not on this machine: a team
   * workstation uploads the file its user picked, and the server answers the pick with it.
   */
  uploadedFile: (() => Promise<string | null>) | null = null;
  constructor(readonly client: ClientInfo) {}
}
