import { integerOption } from '../args';
import type { Command } from '../command';
import { migrate, withDatabase } from '../database';
import { CliError } from '../errors';
import { EXIT_INTERRUPTED, formatCount, progress } from '../terminal';

export const MAX_SEED_ACCOUNTS = 10_000_000;

export const seed: Command = {
  name: 'seed',
  summary:
    'Fill the database with realistic fake customer accounts (for development and benchmarks).',
  usage: 'custodian seed --accounts N [--seed S] [--batch B] [--append]',
  details: [
    'The same --seed gives the same customers. Each batch is written in one transaction; account numbers continue the counter that the console uses.',
    'Seeded accounts cannot be removed later (their provenance records are append-only), so a database that already holds accounts is refused unless --append is given. Never seed a production database.',
  ],
  options: {
    accounts: {
      type: 'string',
      valueName: 'N',
      description: `How many accounts to create (1 to ${formatCount(MAX_SEED_ACCOUNTS)}).`,
      required: true,
    },
    seed: { type: 'string', valueName: 'S', description: 'Random seed (default 1).' },
    batch: {
      type: 'string',
      valueName: 'B',
      description: 'Accounts per transaction (default 1,000).',
    },
    append: {
      type: 'boolean',
      description: 'Add to a database that already holds accounts.',
    },
  },
  async run(ctx) {
    const { io, values } = ctx;
    const count = integerOption(values, 'accounts', { min: 1, max: MAX_SEED_ACCOUNTS }, 'seed');
    const seedValue = integerOption(
      values,
      'seed',
      { min: 0, max: 2 ** 32 - 1, default: 1 },
      'seed',
    );
    const batchSize = integerOption(
      values,
      'batch',
      { min: 1, max: 100_000, default: 1000 },
      'seed',
    );
    // Loaded on demand: faker's locale data is only needed here.
    const { seedAccounts } = await import('../../services/seed');

    const result = await withDatabase(ctx.target, { create: false }, async (db) => {
      const applied = await migrate(db);
      if (applied.length > 0) io.stderr.write(`Applied migrations: ${applied.join(', ')}\n`);
      const row = (await db('accounts').count({ n: '*' }).first()) as { n: number | string };
      const existing = Number(row.n);
      if (existing > 0 && values.append !== true) {
        throw new CliError(
          `This database already holds ${formatCount(existing)} accounts. Seeded customers are fake and cannot be removed later; to add them anyway run: custodian seed ${ctx.target.hint}--accounts ${count} --append`,
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
  },
};
