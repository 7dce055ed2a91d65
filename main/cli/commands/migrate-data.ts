import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliRun, CommandContext } from '../command';
import { withDatabase, type Target } from '../database';
import { keyAccess } from '../unlock';
import { CliError, UsageError } from '../errors';
import { valueOption } from '../options';
import { EXIT_INTERRUPTED, formatCount, progress } from '../terminal';
import { DATABASE_URL_ENV, parseDatabaseUrl, redactDatabaseUrl } from '../../db/database-url';

export const migrateData = (cli: CliRun): Command =>
  cli
    .subcommand('migrate-data', {
      summary: "Move a whole SQLite database to a team's PostgreSQL server (which must be empty).",
      usage: `--from FILE [--to URL]   (or the URL in $${DATABASE_URL_ENV})`,
      details: [
        `Copies every table of the SQLite file FILE, with its ids, into the PostgreSQL database named by --to or by $${DATABASE_URL_ENV}. The target first gets the same migrations, must not hold any data yet, and is filled in one transaction: all of it or nothing. Then the row count of every table and the disclosure log's hash chain are verified on the target.`,
        `A URL with a password is refused on the command line, where other users of this computer could see it in the process list: set $${DATABASE_URL_ENV} instead (or use ~/.pgpass). The password is never printed.`,
      ],
    })
    .addOption(valueOption('from', 'FILE', 'The SQLite database file to copy. (required)'))
    .addOption(
      valueOption(
        'to',
        'URL',
        `The PostgreSQL database (postgres://user@host/db); default $${DATABASE_URL_ENV}.`,
      ),
    )
    .action(cli.action(copyToPostgres));

async function copyToPostgres(ctx: CommandContext): Promise<void> {
  const { io, values } = ctx;
  if (values.database !== undefined) {
    throw new UsageError('Name the SQLite file with --from, not --database.');
  }
  if (typeof values.from !== 'string' || values.from === '') {
    throw new UsageError('--from FILE is required: the SQLite database to copy.');
  }
  const from = path.resolve(io.cwd, values.from);
  const target = pgTarget(values.to, ctx.target);
  if (!fs.existsSync(from)) throw new CliError(`There is no database at ${from}.`);
  const source: Target = {
    kind: 'sqlite',
    file: from,
    hint: '',
    shown: from,
    invocation: ctx.target.invocation,
  };
  const { migrateData: copy } = await import('../../services/import/migrate-data');

  const result = await withDatabase(
    source,
    { create: false, ...keyAccess({ io, target: source, values }) },
    (sourceDb) =>
      withDatabase(
        target,
        { create: false, ...keyAccess({ io, target, values }) },
        async (targetDb) => {
          let bar: ReturnType<typeof progress> | null = null;
          const onInterrupt = () => {
            bar?.stop();
            io.stderr.write('\nInterrupted: nothing was copied into the target.\n');
            process.exit(EXIT_INTERRUPTED);
          };
          process.once('SIGINT', onInterrupt);
          try {
            return await copy(sourceDb, targetDb, {
              onSourceMigrated: (applied) => {
                if (applied.length > 0) {
                  io.stderr.write(`Applied migrations to the source: ${applied.join(', ')}\n`);
                }
              },
              onMigrated: (applied) => {
                if (applied.length > 0) {
                  io.stderr.write(`Applied migrations to the target: ${applied.join(', ')}\n`);
                }
              },
              onProgress: (done, total) => {
                bar ??= progress(io.stderr, total, 'rows');
                bar.update(done);
              },
            });
          } finally {
            process.removeListener('SIGINT', onInterrupt);
            (bar as ReturnType<typeof progress> | null)?.stop();
          }
        },
      ),
  );

  const width = Math.max(...result.tables.map((t) => t.table.length));
  const lines = [
    `Copied ${formatCount(result.rows)} rows in ${result.tables.length} tables from ${from} to ${target.shown} in ${(result.milliseconds / 1000).toFixed(1)} s.`,
    'Rows per table (source = target):',
    ...result.tables.map((t) => `  ${t.table.padEnd(width)}  ${formatCount(t.targetRows)}`),
    `Disclosure log verified on the target: ${formatCount(result.chain.records)} records, head ${result.head?.seq ?? 0} ${result.head?.hash.slice(0, 16) ?? ''}… as in the source.`,
    '',
  ];
  io.stdout.write(lines.join('\n'));
}

/** The PostgreSQL target: --to (never with a password in it) or $CUSTODIAN_DATABASE_URL. */
function pgTarget(to: string | boolean | undefined, resolved: Target): Target {
  if (typeof to === 'string') {
    if (resolved.kind === 'pg') {
      throw new UsageError(
        `Both --to and ${DATABASE_URL_ENV} are set: use one of them, so that it is clear which database is filled.`,
      );
    }
    const config = parseDatabaseUrl(to);
    if (config.connection.password !== undefined && config.connection.password !== '') {
      throw new UsageError(
        `The --to URL holds a password, which other users of this computer can see in the process list. Set ${DATABASE_URL_ENV} instead (or use ~/.pgpass) and leave out --to.`,
      );
    }
    const shown = redactDatabaseUrl(to);
    return { kind: 'pg', config, hint: '', shown, invocation: resolved.invocation };
  }
  if (resolved.kind !== 'pg') {
    throw new UsageError(`Name the PostgreSQL database with --to URL or in ${DATABASE_URL_ENV}.`);
  }
  return resolved;
}
