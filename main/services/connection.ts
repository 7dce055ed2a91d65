import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ConnectionView, TeamConnectionInput } from '../../shared/types';
import type { DatabaseLocation } from '../db/connect';
import { postgresServerVersion } from '../db/probe';
import type { TlsMode } from '../db/database-url';

/**
 * Where a secret (the team server's password) is kept at rest: in Electron, safeStorage, which
 * encrypts with the OS keychain. The settings file holds only its encrypted form.
 */
export interface SecretStore {
  available(): boolean;
  encrypt(text: string): string;
  decrypt(sealed: string): string;
}

/** Without a keychain no password is stored at all: the refusal says so. */
export const noSecretStore: SecretStore = {
  available: () => false,
  encrypt: () => {
    throw new Error('no secret store');
  },
  decrypt: () => {
    throw new Error('no secret store');
  },
};

interface StoredSettings {
  mode: 'sqlite' | 'pg';
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  tls?: TlsMode;
  sealedPassword?: string | null;
}

function sslFor(tls: TlsMode): false | { rejectUnauthorized: boolean } {
  if (tls === 'disable') return false;
  return { rejectUnauthorized: tls === 'verify-full' };
}

/**
 * The choice of database, kept outside any database (it says which one to open): a JSON file in
 * the user-data folder, readable by the OS user only, with the password sealed by the keychain.
 */
export class ConnectionStore {
  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
  ) {}

  private read(): StoredSettings {
    if (!fs.existsSync(this.file)) return { mode: 'sqlite' };
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as StoredSettings;
    } catch {
      throw new AppError(
        'INTERNAL',
        `The connection settings file ${this.file} is damaged; remove it to use the local database.`,
      );
    }
  }

  view(): ConnectionView {
    const s = this.read();
    if (s.mode !== 'pg')
      return {
        mode: 'sqlite',
        host: null,
        port: null,
        database: null,
        user: null,
        tls: null,
        hasPassword: false,
        keychain: this.secrets.available(),
      };
    return {
      mode: 'pg',
      host: s.host ?? null,
      port: s.port ?? null,
      database: s.database ?? null,
      user: s.user ?? null,
      tls: s.tls ?? null,
      hasPassword: Boolean(s.sealedPassword),
      keychain: this.secrets.available(),
    };
  }

  save(input: TeamConnectionInput): ConnectionView {
    let stored: StoredSettings = { mode: 'sqlite' };
    if (input.mode === 'pg') {
      const previous = this.read();
      let sealedPassword = previous.mode === 'pg' ? (previous.sealedPassword ?? null) : null;
      if (input.password !== undefined && input.password !== '') {
        if (!this.secrets.available()) {
          throw new AppError(
            'VALIDATION',
            'This computer has no OS keychain for Custodian to keep the password in, so it is not saved. Use a server that trusts this workstation without a password, or set up the keychain.',
            {
              fieldErrors: { password: 'No OS keychain available: not saved.' },
            },
          );
        }
        sealedPassword = this.secrets.encrypt(input.password);
      }
      stored = {
        mode: 'pg',
        host: input.host,
        port: input.port,
        database: input.database,
        user: input.user,
        tls: input.tls,
        sealedPassword,
      };
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file);
    return this.view();
  }

  /** The database to open at start: the team server when chosen, else the local SQLite file. */
  databaseConfig(sqliteFile: string): DatabaseLocation {
    const s = this.read();
    if (s.mode !== 'pg' || !s.host || !s.database || !s.user)
      return { client: 'sqlite', filename: sqliteFile };
    return {
      client: 'pg',
      connection: {
        host: s.host,
        port: s.port ?? 5432,
        database: s.database,
        user: s.user,
        ...(s.sealedPassword ? { password: this.secrets.decrypt(s.sealedPassword) } : {}),
        ssl: sslFor(s.tls ?? 'verify-full'),
        application_name: 'Custodian',
      },
    };
  }
}

/** What a PostgreSQL error means, in words an administrator can act on (never the SQL). */
export function explainConnectionError(
  err: unknown,
  input: { host: string; port: number; database: string; user: string },
): string {
  const e = err as { code?: string; message?: string };
  const where = `${input.host}:${input.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Nothing is accepting connections at ${where}. Check the host and port, and that PostgreSQL is running there.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name ${input.host} could not be found.`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return `The server at ${where} did not answer in time (a firewall, or the wrong address?).`;
    case '28P01':
    case '28000':
      return `The server refused user "${input.user}": wrong password, or not allowed to connect from this workstation.`;
    case '3D000':
      return `The server has no database named "${input.database}".`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The server's TLS certificate could not be verified (${e.code}). Use its CA certificate, or TLS mode "require" on a trusted network.`;
  }
  if (e.message?.includes('does not support SSL')) {
    return 'The server does not offer TLS; choose TLS mode "disable" only for a server on this machine or a trusted private network.';
  }
  if (e.message?.includes('timeout')) return `The server at ${where} did not answer in time.`;
  return `The connection failed (${e.code ?? 'unknown error'}).`;
}

/** Connects once with the given settings and says what happened. */
export async function testConnection(
  input: TeamConnectionInput,
  storedPassword: () => string | undefined,
): Promise<{ ok: boolean; message: string }> {
  if (input.mode !== 'pg')
    return { ok: true, message: 'The local database on this workstation is always available.' };
  const password = input.password || storedPassword();
  try {
    const version = await postgresServerVersion({
      host: input.host,
      port: input.port,
      database: input.database,
      user: input.user,
      ...(password ? { password } : {}),
      ssl: sslFor(input.tls),
      connectionTimeoutMillis: 5000,
      application_name: 'Custodian (connection test)',
    });
    return {
      ok: true,
      message: `Connected to PostgreSQL ${version} at ${input.host}:${input.port}, database "${input.database}".`,
    };
  } catch (err) {
    return { ok: false, message: explainConnectionError(err, input) };
  }
}

export function storedPasswordOf(store: ConnectionStore): () => string | undefined {
  return () => {
    try {
      const cfg = store.databaseConfig('');
      return cfg.client === 'pg' && typeof cfg.connection === 'object'
        ? (cfg.connection.password as string | undefined)
        : undefined;
    } catch {
      return undefined;
    }
  };
}
