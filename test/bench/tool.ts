/** What the bench and its profiling tools share: a backend in a folder, options, a main. */
import path from 'node:path';
import { openBackend, type Backend } from '../../main/app/backend';
import { silentLogger } from '../../main/log';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { migrateData } from '../../main/services/import/migrate-data';
import { onAdminDatabase, startPgCluster, type PgCluster } from '../support/pg-cluster';

/** A backend on `database` whose exports, keys and witness live in `dir`; logging nothing. */
export function benchBackend(database: DatabaseConfig, dir: string): Promise<Backend> {
  return openBackend({
    database,
    logger: silentLogger,
    exportDir: path.join(dir, 'exports'),
    keyDir: dir,
    witnessDirs: [path.join(dir, 'witness')],
  });
}

/** The value after `--name` on the command line, if given. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Runs a tool's main; a failure prints its stack and exits with 1. */
export function runTool(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}

/** A fresh database `name` on the throwaway cluster (dropped first if it is there). */
export async function createPgDatabase(cluster: PgCluster, name: string): Promise<DatabaseConfig> {
  await onAdminDatabase(cluster, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return {
    client: 'pg',
    connection: { host: cluster.host, port: cluster.port, user: cluster.user, database: name },
  };
}

/**
 * A tool's database: the SQLite working copy `copy`, or with --pg on the command line, the
 * database `name` on a throwaway PostgreSQL cluster, filled from that copy by migrate-data.
 * `stop` stops the cluster (nothing on SQLite).
 */
export async function toolDatabase(
  copy: string,
  name: string,
): Promise<{ database: DatabaseConfig; stop: () => Promise<void> }> {
  const seeded: DatabaseConfig = { client: 'sqlite', filename: copy, key: null };
  if (!process.argv.includes('--pg')) return { database: seeded, stop: async () => undefined };
  const cluster = await startPgCluster({ log: (m) => process.stderr.write(`${m}\n`) });
  try {
    const database = await createPgDatabase(cluster, name);
    const [source, dest] = [connect(seeded), connect(database)];
    await migrateData(source, dest).finally(() => Promise.all([source.destroy(), dest.destroy()]));
    return { database, stop: () => cluster.stop() };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
