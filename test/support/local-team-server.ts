/**
 * A local team server as the tests make one: a throwaway PostgreSQL cluster on 127.0.0.1,
 * migrated as its owner, and `custodian serve`'s server on it as a role that owns nothing. Used
 * by `npm run team-server:try` and by the end-to-end spec of a team workstation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend } from '../../main/app/backend';
import { connect } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { grantServerRole } from '../../main/db/server-role';
import type { Knex } from 'knex';
import type { Logger } from '../../main/log';
import type { RateLimits } from '../../main/server/http';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import { startPgCluster } from './pg-cluster';

const ROLE = 'custodian_server';

export interface LocalTeamServer {
  url: string;
  fingerprint: string;
  /** The server's backend, for a test's own set-up (seeding, codes). */
  backend: Backend;
  /** A folder of the run's own, removed with everything else by stop(). */
  dir: string;
  clusterPort: number;
  role: string;
  /** The HTTPS server goes away (the database stays): workstations find it unreachable. */
  stopServing(): Promise<void>;
  /** The HTTPS server comes back on the same address, with the same certificate. */
  serveAgain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalTeamServer(options: {
  port: number;
  logger: Logger;
  clusterLog?: (line: string) => void;
  /** Run as the tables' owner after the migrations, before the server role's grant (seeding). */
  prepare?: (owner: Knex) => Promise<void>;
  limits?: Partial<RateLimits>;
}): Promise<LocalTeamServer> {
  const cluster = await startPgCluster(options.clusterLog ? { log: options.clusterLog } : {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-team-'));
  const removeAll = async () => {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const owner = connect({
      client: 'pg',
      connection: {
        host: cluster.host,
        port: cluster.port,
        user: cluster.user,
        database: 'postgres',
      },
    });
    try {
      await owner.raw(`CREATE ROLE ${ROLE} LOGIN`);
      await migrateToLatest(owner);
      await options.prepare?.(owner);
      await grantServerRole(owner, ROLE);
    } finally {
      await owner.destroy();
    }
    const identity = makeServerIdentity({ names: ['127.0.0.1', 'localhost'] });
    const backend = await openBackend({
      database: {
        client: 'pg',
        connection: { host: cluster.host, port: cluster.port, user: ROLE, database: 'postgres' },
      },
      migrations: 'check',
      logger: options.logger,
      exportDir: path.join(dir, 'exports'),
      keyDir: dir,
      witnessDirs: [path.join(dir, 'witness')],
    });
    const serve = (port: number) =>
      startTeamServer({
        backend,
        host: '127.0.0.1',
        port,
        identity,
        log: options.logger,
        spoolDir: path.join(dir, 'spool'),
        ...(options.limits ? { limits: options.limits } : {}),
      });
    let server: Awaited<ReturnType<typeof serve>> | null = await serve(options.port);
    const url = server.url;
    const fingerprint = server.fingerprint;
    return {
      url,
      fingerprint,
      backend,
      dir,
      clusterPort: cluster.port,
      role: ROLE,
      stopServing: async () => {
        await server?.close();
        server = null;
      },
      serveAgain: async () => {
        server ??= await serve(Number(new URL(url).port));
      },
      stop: async () => {
        await server?.close();
        await backend.close();
        await removeAll();
      },
    };
  } catch (err) {
    await removeAll();
    throw err;
  }
}
