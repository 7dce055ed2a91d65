import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, inject, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import type { DatabaseConfig } from '../../main/db/connect';
import { createKeys } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import type { Channel, Input, Output } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import type { Session } from '../../main/services/session';
import { silentLogger } from '../../main/log';
import type { Clock } from '../../main/services/clock';
import { onAdminDatabase, type PgClusterInfo } from './pg-cluster';
import { asServerRole, throughTeamServer } from './team-server';

export type TestEngine = 'sqlite' | 'pg';

/**
 * The engine integration tests run on: vitest.config.ts runs test/integration once per engine
 * and sets CUSTODIAN_TEST_ENGINE for each ("sqlite" when unset). "server" is PostgreSQL reached
 * the way a team workstation reaches it: every call goes over HTTPS (pinned certificate, bearer
 * session token) to a team server (main/server) in front of the test's database.
 */
const requestedEngine = process.env.CUSTODIAN_TEST_ENGINE ?? 'sqlite';
if (requestedEngine !== 'sqlite' && requestedEngine !== 'pg' && requestedEngine !== 'server') {
  throw new Error(
    `CUSTODIAN_TEST_ENGINE must be "sqlite", "pg" or "server", not "${requestedEngine}"`,
  );
}
export const engine: TestEngine = requestedEngine === 'sqlite' ? 'sqlite' : 'pg';
/** How calls reach the backend: in this process, or over HTTPS through a team server. */
export const transport: 'in-process' | 'https' =
  requestedEngine === 'server' ? 'https' : 'in-process';

/**
 * How the database refuses a change to an append-only table: its trigger, or, through the team
 * server, the server role's missing privilege before any trigger runs.
 */
export const appendOnlyRefusal = transport === 'https' ? /permission denied/ : /append-only/;

/** Tests of things only one engine has (the SQLite file and its PRAGMAs, pg's locks). */
export const itSqliteOnly = it.runIf(engine === 'sqlite');
export const describeSqliteOnly = describe.runIf(engine === 'sqlite');
export const itPgOnly = it.runIf(engine === 'pg');
export const describePgOnly = describe.runIf(engine === 'pg');

interface TestBackendBase {
  engine: TestEngine;
  backend: Backend;
  /** The configuration the backend was opened with (for a CLI run or a second backend). */
  database: DatabaseConfig;
  /** A fresh temporary folder for the test's own files, deleted by close(), on either engine. */
  dir: string;
  call<C extends Channel>(session: Session, channel: C, input: Input<C>): Promise<Output<C>>;
  fail<C extends Channel>(session: Session, channel: C, input: Input<C>): Promise<AppErrorShape>;
  /** Closes the backend and deletes its database (the file, or the pg database). */
  close(): Promise<void>;
}

export interface SqliteTestBackend extends TestBackendBase {
  engine: 'sqlite';
  /** The SQLite database file, in `dir`. */
  filename: string;
  /** Its recovery key (for the command line's --key-stdin); its key file is beside it. */
  recoveryKey: string;
}

export interface PgTestBackend extends TestBackendBase {
  engine: 'pg';
  /** The test's own database on the throwaway cluster, dropped by close(). */
  databaseName: string;
  /** postgres:// URL of that database, for things that take CUSTODIAN_DATABASE_URL. */
  databaseUrl: string;
}

export type TestBackend = SqliteTestBackend | PgTestBackend;

/** The SQLite file behind a test backend; only for tests guarded with itSqliteOnly. */
export function sqliteFilename(t: TestBackend): string {
  if (t.engine !== 'sqlite') throw new Error('this test needs SQLite: guard it with itSqliteOnly');
  return t.filename;
}

export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-11-25T09:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Tests often close in afterEach what an earlier test already closed. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function pgCluster(): PgClusterInfo & { template: string } {
  const cluster = inject('pgCluster');
  if (!cluster) {
    throw new Error(
      'CUSTODIAN_TEST_ENGINE=pg, but no PostgreSQL cluster was started: run the "pg" project ' +
        '(npx vitest run --project pg) so that test/support/pg-global-setup.ts starts one',
    );
  }
  return cluster;
}

export interface PgTestDatabase {
  name: string;
  url: string;
  config: Extract<DatabaseConfig, { client: 'pg' }>;
  /** Drops the database, ending any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * A new, empty database on the throwaway cluster, so that test files stay isolated and can run
 * in parallel. The name is random: custodian_test_<hex>. `icuLocale` (e.g. "en-US") gives the
 * database that default collation, as a team server set up with a language locale would have.
 * `migrated` copies the cluster's already migrated template instead (what openTestBackend uses).
 */
export async function createPgTestDatabase(
  options: { icuLocale?: string; migrated?: boolean } = {},
): Promise<PgTestDatabase> {
  const cluster = pgCluster();
  const name = `custodian_test_${randomBytes(6).toString('hex')}`;
  if (options.icuLocale && options.migrated) throw new Error('icuLocale needs an empty database');
  const clause = options.migrated
    ? ` TEMPLATE ${cluster.template}`
    : options.icuLocale
      ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale.replace(/'/g, "''")}'`
      : '';
  await onAdminDatabase(cluster, (c) => c.query(`CREATE DATABASE ${name}${clause}`));
  return {
    name,
    url: `postgres://${cluster.user}@${cluster.host}:${cluster.port}/${name}?sslmode=disable`,
    config: {
      client: 'pg',
      connection: { host: cluster.host, port: cluster.port, user: cluster.user, database: name },
    },
    drop: async () => {
      await onAdminDatabase(cluster, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/**
 * A real backend on a fresh database of the engine under test: a new SQLite file in a temporary
 * folder, or a new database on the throwaway PostgreSQL cluster.
 */
export async function openTestBackend(
  opts: { clock?: Clock; chooseImportFile?: () => Promise<string | null> } = {},
): Promise<TestBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-test-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  // Exports and the checkpoint key stay inside the test's temporary folder.
  const options = {
    logger: silentLogger,
    exportDir: path.join(dir, 'exports'),
    keyDir: dir,
    // The audit witness lives outside the database folder, as in use; here in the test's own.
    witnessDirs: [path.join(dir, 'witness')],
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.chooseImportFile ? { chooseImportFile: opts.chooseImportFile } : {}),
  };

  const methods = (backend: Backend) => {
    // The backend logs only an error's kind and code: CUSTODIAN_TEST_SQL_ERRORS=1 shows the SQL
    // error messages (with placeholders, not values) while debugging a failing test.
    if (process.env.CUSTODIAN_TEST_SQL_ERRORS === '1') {
      backend.services.db.on('query-error', (err: Error) => console.error(`[sql] ${err.message}`));
    }
    return methodsOf(backend);
  };
  const methodsOf = (backend: Backend) => ({
    async call<C extends Channel>(session: Session, channel: C, input: Input<C>) {
      const r = await backend.invoke(session, channel, input);
      if (!r.ok)
        throw new Error(
          `${channel} failed: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.fieldErrors ?? {})}`,
        );
      return r.value as Output<C>;
    },
    async fail<C extends Channel>(session: Session, channel: C, input: Input<C>) {
      const r = await backend.invoke(session, channel, input);
      if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return r.error;
    },
  });

  if (engine === 'sqlite') {
    const filename = path.join(dir, 'custodian.sqlite');
    // Keyed as in use (a key file beside it, a recovery key): the whole SQLite suite runs on
    // the encrypted engine.
    const keys = await createKeys(keyFileFor(filename));
    const database: DatabaseConfig = { client: 'sqlite', filename, key: keys.dataKey };
    let backend: Backend;
    try {
      backend = await openBackend({ database, ...options });
    } catch (err) {
      removeDir();
      throw err;
    }
    return {
      engine,
      backend,
      database,
      dir,
      filename,
      recoveryKey: keys.recoveryKey,
      ...methods(backend),
      close: once(async () => {
        await backend.close();
        removeDir();
      }),
    };
  }

  let db: PgTestDatabase | undefined;
  let backend: Backend;
  try {
    db = await createPgTestDatabase({ migrated: true });
    if (transport === 'https') {
      // As in use: the server connects as a role that owns nothing and cannot rewrite history.
      const database = await asServerRole(db.config);
      // The server has its own folders; files reach `exports` the way a workstation gets them,
      // and the import file is picked on the workstation's side and uploaded.
      const { chooseImportFile, ...serverSide } = options as typeof options & {
        chooseImportFile?: () => Promise<string | null>;
      };
      backend = await openBackend({
        database,
        ...serverSide,
        exportDir: path.join(dir, 'server-exports'),
        migrations: 'check',
      });
      backend = await throughTeamServer(backend, {
        ...(opts.clock ? { clock: opts.clock } : {}),
        exportDir: options.exportDir,
        spoolDir: path.join(dir, 'spool'),
        ...(chooseImportFile ? { chooseImportFile } : {}),
      });
    } else {
      backend = await openBackend({ database: db.config, ...options });
    }
  } catch (err) {
    await db?.drop();
    removeDir();
    throw err;
  }
  const created = db;
  return {
    engine,
    backend,
    database: created.config,
    dir,
    databaseName: created.name,
    databaseUrl: created.url,
    ...methods(backend),
    close: once(async () => {
      try {
        await backend.close();
      } finally {
        await created.drop();
        removeDir();
      }
    }),
  };
}

export const ADMIN = {
  displayName: 'Ada Admin',
  username: 'ada',
  password: 'correct horse battery',
  passwordConfirm: 'correct horse battery',
};
