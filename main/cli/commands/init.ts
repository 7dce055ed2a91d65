import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { countStaff } from '../../services/staff-repo';
import type { CliRun, CommandContext } from '../command';
import { hasSchema, migrate, rerun, withDatabase, type Target } from '../database';
import { keyAccess } from '../unlock';

export const init = (cli: CliRun): Command =>
  cli
    .subcommand('init', {
      summary:
        'Create the database (readable by this OS user only) and bring its schema up to date.',
      usage: '[--database FILE]',
      details: [
        'Safe to run again: an existing database is kept and only pending migrations are applied.',
        'With $CUSTODIAN_DATABASE_URL set, prepares that PostgreSQL database (which must exist) instead.',
      ],
    })
    .action(cli.action(initDatabase));

async function initDatabase(ctx: CommandContext): Promise<void> {
  const { io, target } = ctx;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const existed = target.kind === 'sqlite' ? fs.existsSync(target.file) : undefined;
  let recoveryKey: string | null = null;
  const { hadSchema, applied, staff } = await withDatabase(
    target,
    {
      create: true,
      ...keyAccess(ctx),
      onNewKey: (key) => {
        recoveryKey = key;
      },
    },
    async (db) => {
      const hadSchema = await hasSchema(db);
      const applied = await migrate(db);
      return { hadSchema, applied, staff: await countStaff(db) };
    },
  );
  if (target.kind === 'sqlite') {
    out(
      existed ? `Database: ${target.file} (already existed)` : `Created database: ${target.file}`,
    );
  } else {
    out(`Database: ${target.shown} (PostgreSQL${hadSchema ? '' : ', new schema'})`);
  }
  out(
    applied.length > 0
      ? `Applied migrations: ${applied.join(', ')}`
      : 'Schema: up to date (no pending migrations).',
  );
  if (recoveryKey) {
    out('The database is encrypted. Its recovery key (shown this once: write it down and keep it');
    out('away from this computer; it opens the database on any machine, and the command line');
    out('asks for it):');
    out(`  ${recoveryKey}`);
  }
  for (const warning of permissionWarnings(target)) io.stderr.write(`Warning: ${warning}\n`);
  if (staff > 0) {
    out(`Staff accounts: ${staff}. No first administrator is needed.`);
  } else {
    out('No administrator yet. Create the first one with:');
    out(`  ${rerun(target, 'create-admin', '--username USERNAME --name "Display Name"')}`);
  }
}

/** The database holds customer PII: its file and folder should be for this OS user only. */
function permissionWarnings(target: Target): string[] {
  if (target.kind !== 'sqlite' || process.platform === 'win32') return [];
  const warnings: string[] = [];
  const fileMode = fs.statSync(target.file).mode & 0o777;
  if (fileMode & 0o077) {
    warnings.push(
      `${target.file} is open to other users (mode ${fileMode.toString(8)}); expected 600.`,
    );
  }
  const dir = path.dirname(target.file);
  const dirMode = fs.statSync(dir).mode & 0o777;
  if (dirMode & 0o077) {
    warnings.push(
      `the folder ${dir} is open to other users (mode ${dirMode.toString(8)}); consider: chmod 700 ${dir}`,
    );
  }
  return warnings;
}
