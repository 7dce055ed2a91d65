import fs from 'node:fs';
import net from 'node:net';
import type { Knex } from 'knex';

/**
 * How the connection to a team PostgreSQL server is protected:
 * - `disable`: no TLS (a server on this machine or a trusted private link only);
 * - `require`: TLS, but the server's certificate is not checked (stops eavesdropping, not an
 *   impostor server);
 * - `verify-full`: TLS, the certificate must chain to a trusted CA (the system's, or the one in
 *   `sslrootcert`) and name the host connected to.
 * Without `sslmode`, a loopback host or a Unix socket means `disable` and any other host means
 * `verify-full`: customer data never crosses a network unprotected by default.
 */
export type TlsMode = 'disable' | 'require' | 'verify-full';

export const DATABASE_URL_ENV = 'CUSTODIAN_DATABASE_URL';

export interface PgDatabaseConfig {
  client: 'pg';
  connection: Knex.PgConnectionConfig;
  /** The TLS mode in force, after the default was applied. */
  tls: TlsMode;
}

const TLS_MODES: readonly string[] = ['disable', 'require', 'verify-full'];
const PARAMETERS = [
  'sslmode',
  'sslrootcert',
  'host',
  'user',
  'application_name',
  'connect_timeout',
];

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/**
 * The URL with its password (and the value of any parameter Custodian does not know, which
 * could be a secret) replaced, for messages and logs. Conservative on malformed input.
 */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return url.includes('@') || url.includes(':') ? '(a database URL, not shown)' : url;
  let rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) rest = `${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
  }
  rest = rest.replace(
    /([?&])([^=&#]*)=([^&#]*)/g,
    (_m, sep: string, key: string, value: string) =>
      `${sep}${key}=${PARAMETERS.includes(key) ? value : '***'}`,
  );
  return scheme + rest;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.startsWith('/')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

function decode(part: string, what: string, shown: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new DatabaseUrlError(`The ${what} in ${shown} is not valid percent-encoding.`);
  }
}

/**
 * Reads a `postgres://user:password@host:port/database?sslmode=...` URL (also `postgresql://`)
 * into a connection config. A Unix socket folder is given percent-encoded as the host
 * (`postgres://user@%2Fvar%2Frun%2Fpostgresql/db`) or as `postgres:///db?host=/dir&user=u`.
 * Parameters other than sslmode, sslrootcert, host, user, application_name and connect_timeout
 * are refused, so that a misspelt `sslmode` cannot
 * silently weaken the connection. Error messages never contain the password.
 */
export function parseDatabaseUrl(
  url: string,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
): PgDatabaseConfig {
  const shown = redactDatabaseUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL error would repeat the input, password included: say it in our own words.
    throw new DatabaseUrlError(
      `${shown} is not a valid database URL (expected postgres://user:password@host:5432/database).`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseUrlError(`${shown} is not a PostgreSQL URL: it must start with postgres://.`);
  }
  if (parsed.hash)
    throw new DatabaseUrlError(`${shown} has a #fragment, which means nothing here.`);

  const params = new Map<string, string>();
  for (const [key, value] of parsed.searchParams) {
    if (!PARAMETERS.includes(key)) {
      throw new DatabaseUrlError(
        `${shown}: unknown parameter "${key}" (allowed: ${PARAMETERS.join(', ')}).`,
      );
    }
    if (params.has(key)) throw new DatabaseUrlError(`${shown}: "${key}" is given twice.`);
    params.set(key, value);
  }

  let host = decode(parsed.hostname, 'host', shown);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const socketDir = params.get('host');
  if (socketDir !== undefined) {
    if (host)
      throw new DatabaseUrlError(
        `${shown}: give the host either before the path or as ?host=, not both.`,
      );
    host = socketDir;
  }
  if (!host) throw new DatabaseUrlError(`${shown} names no host.`);
  if (host.includes(',')) {
    throw new DatabaseUrlError(`${shown}: several hosts in one URL are not supported.`);
  }

  const port = parsed.port ? Number(parsed.port) : 5432;
  const database = decode(parsed.pathname.replace(/^\//, ''), 'database name', shown);
  if (!database) throw new DatabaseUrlError(`${shown} names no database (…/database at the end).`);
  if (database.includes('/')) throw new DatabaseUrlError(`${shown}: the database name has a "/".`);
  let user = decode(parsed.username, 'user name', shown);
  const userParam = params.get('user');
  if (userParam !== undefined) {
    if (user)
      throw new DatabaseUrlError(
        `${shown}: give the user either before the host or as ?user=, not both.`,
      );
    user = userParam;
  }
  if (!user) throw new DatabaseUrlError(`${shown} names no user (postgres://user@host/…).`);

  const sslmode = params.get('sslmode') ?? (isLoopback(host) ? 'disable' : 'verify-full');
  if (!TLS_MODES.includes(sslmode)) {
    throw new DatabaseUrlError(
      `${shown}: sslmode must be one of ${TLS_MODES.join(', ')} (got "${sslmode}").`,
    );
  }
  const tls = sslmode as TlsMode;
  const rootCert = params.get('sslrootcert');
  if (rootCert !== undefined && tls !== 'verify-full') {
    throw new DatabaseUrlError(
      `${shown}: sslrootcert is used only to verify the server; add sslmode=verify-full.`,
    );
  }
  if (tls !== 'disable' && host.startsWith('/')) {
    throw new DatabaseUrlError(
      `${shown}: TLS over a Unix socket is not supported; use sslmode=disable.`,
    );
  }

  const connection: Knex.PgConnectionConfig = { host, port, user, database };
  if (parsed.password) connection.password = decode(parsed.password, 'password', shown);
  const applicationName = params.get('application_name');
  if (applicationName !== undefined) connection.application_name = applicationName;
  const timeout = params.get('connect_timeout');
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!/^\d+$/.test(timeout) || seconds <= 0) {
      throw new DatabaseUrlError(`${shown}: connect_timeout is a whole number of seconds.`);
    }
    connection.connectionTimeoutMillis = seconds * 1000;
  }

  if (tls === 'disable') connection.ssl = false;
  else if (tls === 'require') connection.ssl = { rejectUnauthorized: false };
  else {
    let ca: string | undefined;
    if (rootCert !== undefined) {
      try {
        ca = readFile(rootCert);
      } catch (err) {
        throw new DatabaseUrlError(
          `${shown}: cannot read sslrootcert ${rootCert}: ${(err as Error).message}`,
        );
      }
    }
    // Node checks the host name against the certificate (servername for SNI unless an IP).
    connection.ssl = {
      rejectUnauthorized: true,
      ...(ca !== undefined ? { ca } : {}),
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
    };
  }
  return { client: 'pg', connection, tls };
}

/** The team database named by CUSTODIAN_DATABASE_URL, or null to use the local SQLite file. */
export function databaseConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): PgDatabaseConfig | null {
  const url = env[DATABASE_URL_ENV]?.trim();
  return url ? parseDatabaseUrl(url) : null;
}
