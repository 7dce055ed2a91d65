/**
 * Global setup of the "pg" vitest project: starts one throwaway PostgreSQL cluster for the run
 * and stops it (and deletes its folder) afterwards. Each test file then gets its own database
 * on it (openTestBackend in test/support/backend.ts).
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connect } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { findPgBinaries, startPgCluster, type PgCluster } from './pg-cluster';

/**
 * Migrated once here; each test backend's database is a copy of it (CREATE DATABASE ... TEMPLATE),
 * which is quicker than migrating ~30 databases. createPgTestDatabase() still gives empty ones.
 */
const TEMPLATE = 'custodian_template';

async function createTemplate(cluster: PgCluster): Promise<void> {
  const connection = { host: cluster.host, port: cluster.port, user: cluster.user };
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const db = connect({ client: 'pg', connection: { ...connection, database: TEMPLATE } });
  try {
    await migrateToLatest(db);
  } finally {
    // No connection may stay open on a template while it is copied.
    await db.destroy();
  }
}

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
  const started = performance.now();
  try {
    await createTemplate(cluster);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  console.log(
    `[pg] PostgreSQL ${cluster.version} on ${cluster.host}:${cluster.port} ` +
      `started in ${cluster.startMs} ms, migrated template in ` +
      `${Math.round(performance.now() - started)} ms (${cluster.dir})`,
  );
  project.provide('pgCluster', {
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    version: cluster.version,
    template: TEMPLATE,
  });
  return async () => {
    const started = performance.now();
    await cluster.stop();
    console.log(`[pg] stopped and removed in ${Math.round(performance.now() - started)} ms`);
  };
}
