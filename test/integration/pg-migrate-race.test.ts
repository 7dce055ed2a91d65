/**
 * Two workstations pointed at one new, empty team database start at the same moment: both run
 * the migrations. knex's own migration lock does not wait (the second would fail with "Migration
 * table is already locked"), so migrateToLatest serialises them on PostgreSQL. PostgreSQL only.
 */
import { afterEach, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { connect } from '../../main/db/connect';
import { migrateToLatest, migrationSource } from '../../main/db/migrations';
import { createPgTestDatabase, describePgOnly, type PgTestDatabase } from '../support/backend';

describePgOnly('two knex instances migrating one empty PostgreSQL database at once', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function freshDatabase(): Promise<PgTestDatabase> {
    const database = await createPgTestDatabase();
    cleanup.push(() => database.drop());
    return database;
  }

  function instance(database: PgTestDatabase): Knex {
    const db = connect(database.config);
    cleanup.push(() => db.destroy());
    return db;
  }

  // A few rounds: a lucky interleaving must not be what makes it pass.
  it.each([1, 2, 3])('both succeed and the schema is applied once (round %i)', async () => {
    const database = await freshDatabase();
    const a = instance(database);
    const b = instance(database);
    // Both pools hold an open connection before the race starts, so neither gets a head start.
    await Promise.all([a.raw('SELECT 1'), b.raw('SELECT 1')]);

    const results = await Promise.allSettled([migrateToLatest(a), migrateToLatest(b)]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);

    const all = [...(await migrationSource.getMigrations([]))].sort();
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied : []));
    // Every migration was applied by exactly one of the two.
    expect([...applied].sort()).toEqual(all);

    const recorded = await a('knex_migrations').select('name').orderBy('name');
    expect(recorded.map((r: { name: string }) => r.name)).toEqual(all);
    expect(await a('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
    // Seed rows the migrations insert exist once, untouched.
    const counters = await a('counters').select('name', 'value').orderBy('name');
    expect(new Set(counters.map((c: { name: string }) => c.name)).size).toBe(counters.length);
    expect(counters).toContainEqual({ name: 'account_number', value: 0 });
    // And both instances see a database with nothing left to do.
    expect((await migrateToLatest(a)).applied).toEqual([]);
    expect((await migrateToLatest(b)).applied).toEqual([]);
  });

  it('does not block migrations of another database on the same server', async () => {
    const one = instance(await freshDatabase());
    const two = instance(await freshDatabase());
    // Hold the migration lock of database one in an open transaction...
    const trx = await one.transaction();
    cleanup.push(async () => {
      if (!trx.isCompleted()) await trx.rollback();
    });
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('custodian.migrations'))`);
    // ...database two still migrates: advisory locks are per database.
    const applied = (await migrateToLatest(two)).applied;
    expect(applied.length).toBeGreaterThan(0);
    await trx.rollback();
  });
});
