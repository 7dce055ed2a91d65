/**
 * Global setup of the "pg" vitest project: starts one throwaway PostgreSQL cluster for the run
 * and stops it (and deletes its folder) afterwards. Each test file then gets its own database
 * on it (openTestBackend in test/support/backend.ts).
 */
import type { TestProject } from 'vitest/node';
import { findPgBinaries, startPgCluster } from './pg-cluster';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = findPgBinaries();
  if (!binaries.ok) {
    // vitest.config.ts leaves the project out when PostgreSQL is optional; here it is required.
    throw new Error(
      `The "pg" test project needs PostgreSQL, and ${binaries.reason}. ` +
        'Install PostgreSQL 15 server binaries, or run only the SQLite tests (--project sqlite).',
    );
  }
  const cluster = await startPgCluster({ bin: binaries.bin });
  console.log(
    `[pg] PostgreSQL ${cluster.version} on ${cluster.host}:${cluster.port} ` +
      `started in ${cluster.startMs} ms (${cluster.dir})`,
  );
  project.provide('pgCluster', {
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    version: cluster.version,
  });
  return async () => {
    const started = performance.now();
    await cluster.stop();
    console.log(`[pg] stopped and removed in ${Math.round(performance.now() - started)} ms`);
  };
}
