/**
 * Which database a command works on, and opening it with the checks an administrator expects.
 * The local SQLite file by default (--database or $CUSTODIAN_DB to choose another); a team's
 * PostgreSQL server when $CUSTODIAN_DATABASE_URL is set (never a URL in argv: it may hold a
 * password).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { databaseKey } from '../app/database-key';
import { connect } from '../db/connect';
import type { Unlock } from '../keys/data-key';
import {
  DATABASE_URL_ENV,
  parseDatabaseUrl,
  redactDatabaseUrl,
  type PgDatabaseConfig,
} from '../db/database-url';
import { migrateToLatest, migrationSource } from '../db/migrations';
import { defaultDatabasePath } from '../paths';
import { CliError, DatabaseFailure, UsageError } from './errors';
import { invocationOf } from './invocation';
import type { Values } from './options';

export type Target = (
  | {
      kind: 'sqlite';
      file: string;
      /** How to repeat the choice in a hint: `--database FILE ` or nothing for the default. */
      hint: string;
    }
  | { kind: 'pg'; config: PgDatabaseConfig; hint: string }
) & {
  /** For messages: the file's path, or the server's URL without its password. */
  shown: string;
  /** How the program was started, for hints: `custodian` or `npm run cli --`. */
  invocation: string;
};

/** A command to paste back, on the same database: `custodian init --database FILE`. */
export function rerun(target: Target, command: string, rest = ''): string {
  return `${target.invocation} ${command} ${target.hint}${rest}`.trimEnd();
}

export function resolveTarget(values: Values, env: NodeJS.ProcessEnv, cwd: string): Target {
  const invocation = invocationOf(env);
  const given = values.database;
  const url = env[DATABASE_URL_ENV]?.trim();
  if (url) {
    if (given !== undefined) {
      throw new UsageError(
        `Both --database and ${DATABASE_URL_ENV} are set: use one of them, so that it is clear which database is changed.`,
      );
    }
    return {
      kind: 'pg',
      config: parseDatabaseUrl(url),
      hint: '',
      shown: redactDatabaseUrl(url),
      invocation,
    };
  }
  if (given === '') throw new UsageError('--database needs a file name.');
  const file = path.resolve(cwd, typeof given === 'string' ? given : defaultDatabasePath(env));
  const hint =
    typeof given !== 'string'
      ? ''
      : `--database ${/^[\w./:\\-]+$/.test(file) ? file : `"${file}"`} `;
  return { kind: 'sqlite', file, hint, shown: file, invocation };
}

export function sqliteFileExists(file: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (!stat.isFile()) throw new CliError(`${file} is not a file.`);
  return true;
}

/**
 * Runs `fn` with a connection to the database, closing it afterwards whatever happens. An SQLite
 * file is created (folder 0700, file 0600) only when `create` is set; otherwise a missing file is
 * an error rather than a new empty database made by a typo.
 */
export async function withDatabase<T>(
  target: Target,
  opts: {
    create: boolean;
    /** The recovery key or passphrase of an encrypted file (asked only when needed). */
    unlock: () => Promise<Unlock>;
    /** A key made now (a new or upgraded database): its recovery key, to be shown once. */
    onNewKey: (recoveryKey: string) => void;
  },
  fn: (db: Knex, key: Buffer | null) => Promise<T>,
): Promise<T> {
  let db: Knex;
  let dataKey: Buffer | null = null;
  if (target.kind === 'sqlite') {
    if (!opts.create && !sqliteFileExists(target.file)) {
      throw new CliError(
        `There is no database at ${target.file}. Create it first with: ${rerun(target, 'init')}`,
      );
    }
    const { key, recoveryKey } = await databaseKey(target.file, {
      create: opts.create,
      unlock: opts.unlock,
    });
    if (recoveryKey) opts.onNewKey(recoveryKey);
    dataKey = key;
    db = connect({ client: 'sqlite', filename: target.file, key });
  } else {
    db = connect({ client: 'pg', connection: target.config.connection });
  }
  silenceDriverLog(db);
  try {
    return await fn(db, dataKey);
  } catch (err) {
    throw DatabaseFailure.of(err, target.shown);
  } finally {
    await db.destroy();
  }
}

/**
 * knex prints its own warnings (e.g. connection errors with a stack trace) with console.log, on
 * stdout; the command line reports failures itself, in words that name no customer value.
 */
function silenceDriverLog(db: Knex): void {
  const quiet = () => undefined;
  (db.client as { logger: unknown }).logger = {
    debug: quiet,
    warn: quiet,
    error: quiet,
    deprecate: quiet,
  };
}

/** True when the database has a schema already (any migration applied). */
export async function hasSchema(db: Knex): Promise<boolean> {
  if (!(await db.schema.hasTable('knex_migrations'))) return false;
  const row = (await db('knex_migrations').count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n) > 0;
}

/**
 * Refuses a database that a newer Custodian has migrated: this program does not know its schema
 * (knex would otherwise report "the migration directory is corrupt").
 */
export async function checkKnownMigrations(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('knex_migrations'))) return;
  const known = new Set(await migrationSource.getMigrations([]));
  const recorded = (await db('knex_migrations').select('name')) as { name: string }[];
  const unknown = recorded.map((r) => r.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CliError(
      `This database was upgraded by a newer version of Custodian (it has migrations this program does not know: ${unknown.join(', ')}). Use that newer version.`,
    );
  }
}

/** Brings the schema up to date, as the app does when it starts; returns what was applied. */
export async function migrate(db: Knex): Promise<string[]> {
  await checkKnownMigrations(db);
  const { applied } = await migrateToLatest(db);
  return applied;
}
