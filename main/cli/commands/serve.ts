/**
 * `custodian serve`: the team server (issue 15), the only holder of the database credentials.
 * `--init` makes its key and certificate and prints the fingerprint workstations pin.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { consoleLogger } from '../../log';
import { ServeConfigError, loadServeConfig } from '../../server/config';
import { initServerIdentity, readServerIdentity, startTeamServer } from '../../server/serve';
import type { CliRun, CommandContext } from '../command';
import { CliError, UsageError } from '../errors';
import { valueOption } from '../options';

export const serve = (cli: CliRun): Command =>
  cli
    .subcommand('serve', {
      summary: 'Run the team server: workstations reach the database only through it.',
      usage: '[--init [--name HOST]] [--config FILE]',
      details: [
        'The database is $CUSTODIAN_DATABASE_URL (never printed, never in a file the server writes). Listen address and folder come from --config FILE (JSON: {"host", "port", "dir"}) or $CUSTODIAN_SERVER_HOST, $CUSTODIAN_SERVER_PORT and $CUSTODIAN_SERVER_DIR (default: ./custodian-server, port 8443).',
        "First run --init: it makes the server key (readable by this OS user only) and certificate in that folder and prints the certificate's SHA-256 fingerprint. Read it out to each workstation's user, who enters it in Settings → Team server.",
      ],
    })
    .option(
      '--init',
      'Make the key and certificate (kept if they exist) and print the fingerprint.',
    )
    .addOption(
      valueOption(
        'name',
        'HOST',
        'With --init: the name or address workstations use (repeatable by commas).',
      ),
    )
    .addOption(valueOption('config', 'FILE', 'A JSON file with host, port and dir.'))
    .action(cli.action(runServe));

async function runServe({ io, target, values }: CommandContext): Promise<void> {
  let config;
  try {
    config = loadServeConfig(
      typeof values.config === 'string' ? values.config : undefined,
      io.env,
      io.cwd,
    );
  } catch (err) {
    if (err instanceof ServeConfigError) throw new UsageError(err.message);
    throw err;
  }
  if (values.init === true) {
    const names =
      typeof values.name === 'string'
        ? values.name
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean)
        : [
            config.host === '0.0.0.0' || config.host === '::' ? os.hostname() : config.host,
            'localhost',
          ];
    const { created, fingerprint } = initServerIdentity(config, names);
    io.stdout.write(
      `${created ? 'Made' : 'Kept the existing'} server key and certificate in ${config.dir}.\n` +
        `Certificate SHA-256 fingerprint (workstations pin it):\n  ${fingerprint}\n`,
    );
    return;
  }
  if (target.kind !== 'pg') {
    throw new UsageError(
      'The team server runs on PostgreSQL: set CUSTODIAN_DATABASE_URL in its environment.',
    );
  }
  let identity;
  try {
    identity = readServerIdentity(config);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const server = await startTeamServer({
    host: config.host,
    port: config.port,
    identity,
    log: consoleLogger(io.stderr),
    database: target.config,
    dir: config.dir,
  });
  io.stdout.write(
    `Custodian team server on ${server.url} (database ${target.shown})\n` +
      `Certificate SHA-256 fingerprint: ${server.fingerprint}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
