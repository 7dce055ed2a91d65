/**
 * `npm run team-server:try`: a local team server to try team mode, on a throwaway PostgreSQL
 * cluster as the tests make it (127.0.0.1, deleted on exit). Migrates as the owner, runs the
 * server as a role that owns nothing, and prints the address, the certificate fingerprint and a
 * one-time enrolment code for a workstation. Ctrl-C stops everything.
 */
import { consoleLogger } from '../../main/log';
import { startLocalTeamServer } from './local-team-server';

async function main(): Promise<void> {
  const team = await startLocalTeamServer({
    port: Number(process.env.CUSTODIAN_SERVER_PORT ?? 8443),
    logger: consoleLogger(),
    clusterLog: (line) => console.error(line),
  });
  try {
    const { code, expiresAt } = await team.backend.services.enrolments.issue(
      'first workstation',
      null,
    );
    console.log(`Custodian team server on ${team.url}`);
    console.log(`Certificate SHA-256 fingerprint: ${team.fingerprint}`);
    console.log(`One-time enrolment code (until ${expiresAt}): ${code}`);
    console.log(
      `PostgreSQL on 127.0.0.1:${team.clusterPort}, server role ${team.role}. Ctrl-C stops both.`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await team.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
