import os from 'node:os';
import path from 'node:path';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { findPgBinaries } from './test/support/pg-cluster.js';

/**
 * Four projects: the unit tests once, the integration tests twice, on SQLite ("sqlite") and on a
 * throwaway PostgreSQL cluster that test/support/pg-global-setup.ts starts and stops ("pg"), and
 * the suites that exercise channels a third time through a team server over HTTPS ("server").
 *
 * - CUSTODIAN_TEST_ENGINE=sqlite, =pg or =server runs the integration tests that way only.
 * - Files named team-*.test.ts test the team server itself and run only in "server".
 * - Without PostgreSQL server binaries the "pg" project is left out with a printed reason,
 *   unless CUSTODIAN_REQUIRE_PG=1 (CI) or CUSTODIAN_TEST_ENGINE=pg asks for it: then it fails.
 * - Files named pg-*.test.ts test PostgreSQL-only behaviour and run only in "pg".
 */
const INTEGRATION = 'test/integration/**/*.test.ts';
const PG_ONLY = 'test/integration/**/pg-*.test.ts';

// Audit witnesses of test databases (main/services/audit/witness.ts) stay out of the user's own
// witness folder, for backends a test opens without naming one (the CLI, child processes).
process.env.CUSTODIAN_WITNESS_DIR ??= path.join(os.tmpdir(), 'custodian-test-witnesses');

/**
 * The suites that exercise channels, run a third time in the "server" project: every call over
 * HTTPS (pinned certificate, bearer token) through a team server in front of PostgreSQL.
 */
const THROUGH_SERVER = [
  'visibility-leak',
  'auth',
  'accounts',
  'disclosures',
  'collections',
  'import-ipc',
  'import-dates',
  'access-log',
  'contract-roles',
  'team-server',
  'team-serve-cli',
  'team-workstation',
  'staff',
  'replica-feed',
  'replica-sync',
  'replica-leak',
  'replica-outbox',
].map((name) => `test/integration/${name}.test.ts`);
/** Tests of the team server itself: only in "server". */
const SERVER_ONLY = 'test/integration/team-*.test.ts';

const requested = process.env.CUSTODIAN_TEST_ENGINE;
if (
  requested !== undefined &&
  requested !== 'sqlite' &&
  requested !== 'pg' &&
  requested !== 'server'
) {
  throw new Error(`CUSTODIAN_TEST_ENGINE must be "sqlite", "pg" or "server", not "${requested}"`);
}
const pgRequired =
  process.env.CUSTODIAN_REQUIRE_PG === '1' || requested === 'pg' || requested === 'server';
let runPg = requested !== 'sqlite';
if (runPg && !pgRequired) {
  const binaries = findPgBinaries();
  // vitest evaluates this file once per project: say it once.
  const said = globalThis as { custodianPgSkipSaid?: boolean };
  if (!binaries.ok && !said.custodianPgSkipSaid) {
    said.custodianPgSkipSaid = true;
    console.warn(
      `[pg] PostgreSQL integration tests skipped: ${binaries.reason}. ` +
        'Set CUSTODIAN_REQUIRE_PG=1 to make this a failure.',
    );
  }
  if (!binaries.ok) runPg = false;
}

const projects: TestProjectInlineConfiguration[] = [
  { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
];
if (requested === undefined || requested === 'sqlite') {
  projects.push({
    extends: true,
    test: {
      name: 'sqlite',
      include: [INTEGRATION],
      exclude: [...configDefaults.exclude, PG_ONLY, SERVER_ONLY],
      env: { CUSTODIAN_TEST_ENGINE: 'sqlite' },
    },
  });
}
if (runPg && requested !== 'server') {
  projects.push({
    extends: true,
    test: {
      name: 'pg',
      include: [INTEGRATION],
      exclude: [...configDefaults.exclude, SERVER_ONLY],
      env: { CUSTODIAN_TEST_ENGINE: 'pg' },
      // Starts the cluster (or fails with the reason PostgreSQL is missing).
      globalSetup: ['test/support/pg-global-setup.ts'],
    },
  });
}
if (runPg && requested !== 'pg') {
  projects.push({
    extends: true,
    test: {
      name: 'server',
      include: [...THROUGH_SERVER, SERVER_ONLY],
      // Every call is an HTTPS round trip: the longest suites (the naughty strings in every
      // field) need more than the in-process 30 s on a busy 2-core machine.
      testTimeout: 90_000,
      env: { CUSTODIAN_TEST_ENGINE: 'server' },
      globalSetup: ['test/support/pg-global-setup.ts'],
    },
  });
}

export default defineConfig({
  test: {
    environment: 'node',
    // Refusals the tests provoke on purpose are not logged into the run's output (main/log.ts).
    env: { CUSTODIAN_LOG: 'off' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/password-cost.ts'],
    pool: 'forks',
    // vitest's default is one worker per core less one: a single worker on a 2-core machine,
    // which runs the suite twice over (SQLite, then PostgreSQL) one file at a time. Two workers
    // overlap the files' waits on PostgreSQL and child processes with the other's work.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects,
  },
});
