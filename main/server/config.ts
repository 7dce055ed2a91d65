/**
 * Where `custodian serve` listens and finds its key and certificate: a JSON file (--config) and
 * the environment, the environment winning. The database URL comes only from the environment
 * (CUSTODIAN_DATABASE_URL), so no file the server writes or reads holds the password, and it is
 * never printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const serveConfigFile = z.strictObject({
  host: z.string().min(1).max(255).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  /** The folder of the key, the certificate, exports, the audit key and the witness. */
  dir: z.string().min(1).optional(),
});

export interface ServeConfig {
  host: string;
  port: number;
  dir: string;
  keyFile: string;
  certFile: string;
}

export const DEFAULT_PORT = 8443;

export class ServeConfigError extends Error {
  override name = 'ServeConfigError';
}

function readConfigFile(file: string): z.infer<typeof serveConfigFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ServeConfigError(
      `Cannot read the server configuration ${file}: ${(err as Error).message}`,
    );
  }
  const parsed = serveConfigFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
      .join('; ');
    throw new ServeConfigError(`The server configuration ${file} is not valid: ${problems}`);
  }
  return parsed.data;
}

export function loadServeConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): ServeConfig {
  const fromFile = file ? readConfigFile(path.resolve(cwd, file)) : {};
  const portText = env.CUSTODIAN_SERVER_PORT;
  let port = fromFile.port ?? DEFAULT_PORT;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) {
      throw new ServeConfigError('CUSTODIAN_SERVER_PORT must be a port number (0 to 65535).');
    }
  }
  const dir = path.resolve(cwd, env.CUSTODIAN_SERVER_DIR ?? fromFile.dir ?? 'custodian-server');
  return {
    host: env.CUSTODIAN_SERVER_HOST ?? fromFile.host ?? '127.0.0.1',
    port,
    dir,
    keyFile: path.join(dir, 'server-key.pem'),
    certFile: path.join(dir, 'server-cert.pem'),
  };
}
