/**
 * A team server in a process of its own for the bench (issue 15): in use the server runs apart
 * from the workstation (often on another machine), so these rows keep the client's and the
 * server's work off one thread. The bench bundle runs itself with `--team-server`; the database
 * (with the SQLCipher key, if any) arrives over the IPC channel, never in a file or an argument.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DatabaseConfig } from '../../main/db/connect';
import { silentLogger } from '../../main/log';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';

export const SERVER_CHILD_FLAG = '--team-server';

interface ChildConfig {
  database: DatabaseConfig;
  /** The backend's folder: the same key and witness folders as the in-process backend's. */
  dir: string;
}

interface Listening {
  url: string;
  fingerprint: string;
}

export interface ChildServer extends Listening {
  stop(): Promise<void>;
}

/** In the child: serves until the parent disconnects. */
export async function serveForBench(): Promise<void> {
  const cfg = await new Promise<ChildConfig>((resolve) => {
    process.once('message', (m) => resolve(m as ChildConfig));
  });
  const database: DatabaseConfig =
    cfg.database.client === 'sqlite'
      ? {
          ...cfg.database,
          // Structured clone turns the key's Buffer into a Uint8Array.
          key: cfg.database.key ? Buffer.from(cfg.database.key) : null,
        }
      : cfg.database;
  const server = await startTeamServer({
    host: '127.0.0.1',
    port: 0,
    identity: makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 }),
    log: silentLogger,
    database,
    dir: cfg.dir,
    spoolDir: path.join(cfg.dir, 'spool-child'),
    limits: { perAddress: 1_000_000, signInPerAddress: 1_000, signInPerUsername: 1_000 },
  });
  const stopped = new Promise<void>((resolve) => process.once('disconnect', resolve));
  process.send!({ url: server.url, fingerprint: server.fingerprint } satisfies Listening);
  await stopped;
  await server.close();
}

/** In the bench: starts the child on the same database and waits until it listens. */
export async function startChildServer(
  bundle: string,
  database: DatabaseConfig,
  dir: string,
): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--enable-source-maps', bundle, SERVER_CHILD_FLAG],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<Listening>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Listening));
    child.once('exit', (code) => reject(new Error(`the team server child exited (${code})`)));
    child.send({ database, dir } satisfies ChildConfig);
  });
  return {
    ...listening,
    stop: async () => {
      child.disconnect();
      await exited;
    },
  };
}
