/**
 * A team server in a process of its own, for the fault tests (test/integration/team-faults):
 * the test kills it with SIGKILL mid-request, as a crash or a power cut would, and starts it
 * again on the same database, spool and port. With CUSTODIAN_TEST_FAULT set, the export writer
 * kills it at that point (main/services/exports/faults.ts). Bundled with esbuild.
 */
import path from 'node:path';
import type { DatabaseConfig } from '../../main/db/connect';
import { silentLogger } from '../../main/log';
import { startTeamServer } from '../../main/server/serve';
import { fingerprintOf } from '../../main/server/identity';

interface ChildConfig {
  database: DatabaseConfig;
  /** The server's folder (audit key, witness); the spool is DIR/spool. */
  dir: string;
  certPem: string;
  keyPem: string;
  port: number;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.CUSTODIAN_CHILD_CONFIG ?? '{}') as ChildConfig;
  const server = await startTeamServer({
    host: '127.0.0.1',
    port: cfg.port,
    identity: { certPem: cfg.certPem, keyPem: cfg.keyPem, fingerprint: fingerprintOf(cfg.certPem) },
    log: silentLogger,
    database: cfg.database,
    dir: cfg.dir,
    spoolDir: path.join(cfg.dir, 'spool'),
    limits: { perAddress: 100_000, signInPerAddress: 10_000, signInPerUsername: 10_000 },
  });
  process.stdout.write(`LISTENING ${server.port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`team server child failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
