import type { Command } from 'commander';
import type { CliRun, CommandContext } from '../command';
import { rerun } from '../database';
import { withMigratedDatabase } from '../migrated';
import { CliError } from '../errors';
import { integerOption, valueOption } from '../options';
import { EXIT_INTERRUPTED, formatCount, progress } from '../terminal';

export const MAX_SEED_ACCOUNTS = 10_000_000;

export const seed = (cli: CliRun): Command =>
  cli
    .subcommand('seed', {
      summary:
        'Fill the database with realistic fake customer accounts (for development and benchmarks).',
      usage: '--accounts N [--seed S] [--batch B] [--append]',
      details: [
        'The same --seed gives the same customers. Each batch is written in one transaction; account numbers continue the counter that the console uses.',
        'Seeded accounts cannot be removed later (their provenance records are append-only), so a database that already holds accounts is refused unless --append is given. Never seed a production database.',
        'A development tool: it needs the dev dependencies of a checkout (the installed app does not carry the fake-data library).',
      ],
    })
    .addOption(
      valueOption(
        'accounts',
        'N',
        `How many accounts to create (1 to ${formatCount(MAX_SEED_ACCOUNTS)}). (required)`,
      ),
    )
    .addOption(valueOption('seed', 'S', 'Random seed (default 1).'))
    .addOption(valueOption('batch', 'B', 'Accounts per transaction (default 1,000).'))
    .option('--append', 'Add to a database that already holds accounts.')
    .action(cli.action(seedDatabase));

async function seedDatabase(ctx: CommandContext): Promise<void> {
  const { io, values } = ctx;
  const count = integerOption(values, 'accounts', { min: 1, max: MAX_SEED_ACCOUNTS });
  const seedValue = integerOption(values, 'seed', { min: 0, max: 2 ** 32 - 1, default: 1 });
  const batchSize = integerOption(values, 'batch', { min: 1, max: 100_000, default: 1000 });
  const { seedAccounts } = await loadSeeder();

  const result = await withMigratedDatabase(ctx, async (db) => {
    const row = (await db('accounts').count({ n: '*' }).first()) as { n: number | string };
    const existing = Number(row.n);
    if (existing > 0 && values.append !== true) {
      throw new CliError(
        `This database already holds ${formatCount(existing)} accounts. Seeded customers are fake and cannot be removed later; to add them anyway run: ${rerun(ctx.target, 'seed', `--accounts ${count} --append`)}`,
      );
    }
    const bar = progress(io.stderr, count, 'accounts');
    let written = 0;
    // Ctrl-C: committed batches stay, the batch being written is rolled back by the database.
    const onInterrupt = () => {
      bar.stop();
      io.stderr.write(
        `\nInterrupted: ${formatCount(written)} accounts were written; the batch in progress was not.\n`,
      );
      process.exit(EXIT_INTERRUPTED);
    };
    process.once('SIGINT', onInterrupt);
    try {
      return await seedAccounts(db, {
        count,
        seed: seedValue,
        batchSize,
        onProgress: (done) => {
          written = done;
          bar.update(done);
        },
      });
    } finally {
      process.removeListener('SIGINT', onInterrupt);
      bar.stop();
    }
  });

  const seconds = result.milliseconds / 1000;
  io.stdout.write(
    [
      `Seeded ${formatCount(result.count)} accounts (${result.firstAccountNumber} to ${result.lastAccountNumber}) with seed ${seedValue}.`,
      `Time: ${seconds.toFixed(1)} s, ${formatCount(Math.round(result.count / Math.max(seconds, 0.001)))} accounts/s.`,
      '',
    ].join('\n'),
  );
}

/**
 * The seeder, loaded only here: it needs @faker-js/faker, a development dependency that the
 * packaged app does not carry.
 */
async function loadSeeder() {
  try {
    return await import('../../services/seed');
  } catch (err) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    const missing = code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
    if (missing && String(message).includes('@faker-js/faker')) {
      throw new CliError(
        'seed is a development tool: run it from a checkout with dev dependencies installed (npm install).',
      );
    }
    throw err;
  }
}
