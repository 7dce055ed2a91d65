/**
 * `npm run team-server:try`: a local team server to try team mode, on a throwaway PostgreSQL
 * cluster as the tests make it (127.0.0.1, deleted on exit). Migrates as the owner, runs the
 * server as a role that owns nothing, and prints the address, the certificate fingerprint and a
 * one-time enrolment code for a workstation. Ctrl-C stops everything.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend } from '../../main/app/backend';
import { connect } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { grantServerRole } from '../../main/db/server-role';
import { consoleLogger } from '../../main/log';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import { startPgCluster } from './pg-cluster';

const ROLE = 'custodian_server';

async function main(): Promise<void> {
  const cluster = await startPgCluster({ log: (line) => console.error(line) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-team-'));
  const stopAll = async () => {
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
    await owner.raw(`CREATE ROLE ${ROLE} LOGIN`);
    await migrateToLatest(owner);
    await grantServerRole(owner, ROLE);
    await owner.destroy();
    const identity = makeServerIdentity({ names: ['127.0.0.1', 'localhost'] });
    const backend = await openBackend({
      database: {
        client: 'pg',
        connection: { host: cluster.host, port: cluster.port, user: ROLE, database: 'postgres' },
      },
      migrations: 'check',
      logger: consoleLogger(),
      exportDir: path.join(dir, 'exports'),
      keyDir: dir,
      witnessDirs: [path.join(dir, 'witness')],
    });
    const port = Number(process.env.CUSTODIAN_SERVER_PORT ?? 8443);
    const server = await startTeamServer({
      backend,
      host: '127.0.0.1',
      port,
      identity,
      log: consoleLogger(),
      spoolDir: path.join(dir, 'spool'),
    });
    const { code, expiresAt } = await backend.services.enrolments.issue('first workstation', null);
    console.log(`Custodian team server on ${server.url}`);
    console.log(`Certificate SHA-256 fingerprint: ${server.fingerprint}`);
    console.log(`One-time enrolment code (until ${expiresAt}): ${code}`);
    console.log(`PostgreSQL on 127.0.0.1:${cluster.port}, server role ${ROLE}. Ctrl-C stops both.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await backend.close();
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
