/**
 * What the access log's growth costs a read (issue 18): the bench's 100,000 accounts on SQLite
 * (or, with --pg, on a throwaway PostgreSQL cluster, copied there by migrate-data),
 * a detail and a name search timed as a support agent (each writes its access-log entry, as P3
 * requires), first with the log as the bench leaves it, then again after each fill of the log
 * with entries as a team makes them (50 staff, spread back over 400 days, each entry naming an
 * account, its per-account index already built as the indexer leaves it). After each round the
 * entries the round queued are indexed and timed. Not part of `npm run bench`: a tool that
 * answers whether the log's growth shows in reads.
 *
 *   node scripts/run-ts.mjs test/bench/access-log-growth.ts [--steps 5000000,20000000] [--calls 2000]
 *     [--pg]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { firstAdmin, staffSession } from './cases';
import { seededSqlite, workingCopy } from './data';
import { percentile } from './stats';
import { benchBackend, option, runTool, toolDatabase } from './tool';
import { isSqlite } from '../../main/db/connect';

const STAFF = 50;
const DAYS = 400;
const FILL_CHUNK = 1_000_000;

async function main(): Promise<void> {
  const steps = (option('--steps') ?? '5000000,20000000').split(',').map(Number);
  const calls = Number(option('--calls') ?? 2000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-log-growth-'));
  const copy = workingCopy((await seededSqlite(100_000)).file, dir);
  const { database, stop } = await toolDatabase(copy, 'log_growth');
  const backend = await benchBackend(database, dir);
  try {
    const db = backend.services.db;
    await firstAdmin(backend, 'growth.admin');
    const support = await staffSession(backend, 'growth.support', 'support_agent');
    const ids = (await db('accounts').orderByRaw('random()').limit(calls).pluck('id')) as string[];
    const names = (await db('accounts').limit(calls).pluck('last_name')) as string[];

    const round = async () => {
      const timed = async (call: (i: number) => Promise<unknown>) => {
        const ms: number[] = [];
        for (let i = 0; i < calls; i++) {
          const started = performance.now();
          await call(i);
          ms.push(performance.now() - started);
        }
        return `p50 ${percentile(ms, 0.5).toFixed(2)} ms, p95 ${percentile(ms, 0.95).toFixed(2)} ms`;
      };
      const detail = await timed(async (i) => {
        const r = await backend.invoke(support, 'accounts.get', { id: ids[i]! });
        if (!r.ok) throw new Error(r.error.message);
      });
      const search = await timed(async (i) => {
        const r = await backend.invoke(support, 'accounts.list', { search: names[i]! });
        if (!r.ok) throw new Error(r.error.message);
      });
      const started = performance.now();
      const indexed = await backend.services.accessLog.indexPending();
      const indexMs = performance.now() - started;
      const entries = await count(db, 'access_log');
      process.stdout.write(
        `log of ${entries.toLocaleString('en-US')} entries: detail ${detail}; search ${search}; ` +
          `indexing the ${indexed.toLocaleString('en-US')} entries the round left queued: ${indexMs.toFixed(0)} ms\n`,
      );
    };

    await round();
    for (const target of steps) {
      const started = performance.now();
      await (isSqlite(db) ? fillTo(db, target) : fillToPg(db, target));
      // As a database in use would be by now: its WAL written back (the fill's, not the reads'),
      // and on PostgreSQL the new rows' statistics taken, as autovacuum would have.
      let bytes: number;
      if (isSqlite(db)) {
        await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
        bytes = [copy, `${copy}-wal`]
          .map((f) => fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0)
          .reduce((a, b) => a + b);
      } else {
        await db.raw('vacuum analyze access_log, access_log_accounts');
        await db.raw('checkpoint');
        const r = await db.raw('select pg_database_size(current_database()) as n');
        bytes = Number((r as { rows: { n: string }[] }).rows[0]!.n);
      }
      process.stdout.write(
        `filled to ${target.toLocaleString('en-US')} entries in ${((performance.now() - started) / 1000).toFixed(0)} s (database ${(bytes / 2 ** 30).toFixed(1)} GiB)\n`,
      );
      await round();
      await round();
    }
  } finally {
    await backend.close();
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function count(db: Knex, table: string): Promise<number> {
  const row = (await db(table).count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

/**
 * Older entries, up to `target` in all: ids below every real one (UUIDv7 ids of today start
 * higher), times spread evenly back over DAYS days, each naming one random account, with its
 * per-account index rows written in the index's own order.
 */
async function fillTo(db: Knex, target: number): Promise<void> {
  const accounts = await count(db, 'accounts');
  for (let have = await count(db, 'access_log'); have < target;) {
    const n = Math.min(FILL_CHUNK, target - have);
    await db.transaction(async (trx) => {
      await trx.raw(
        `create temp table fill as
         with recursive s(k) as (select ? union all select k + 1 from s where k < ?)
         select printf('00000000-%04x-7000-8000-%012x', k / 281474976710656, k % 281474976710656) as id,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', ? - k * ? / ?)) as at,
                printf('00000000-0000-7000-8000-%012d', k % ?) as staff_id,
                (select id from accounts where rowid = 1 + abs(random()) % ?) as account_id
         from s`,
        [have + 1, have + n, DAYS * 86_400, DAYS * 86_400, target, STAFF, accounts],
      );
      await trx.raw(
        `insert into access_log (id, at, staff_id, hostname, ip, os, app_version, action, screen,
                                 query_kind, record_ids, result_count)
         select id, at, staff_id, 'ws-' || substr(staff_id, -2), '10.0.0.' || substr(staff_id, -2),
                'Windows 11', '1.0.0', 'view', 'accounts.detail', null, json_array(account_id), 1
         from temp.fill order by id`,
      );
      await trx.raw(
        `insert into access_log_accounts (access_id, account_id)
         select id, account_id from temp.fill order by account_id, id`,
      );
      // Already indexed above: not queued for the indexer (SQLite's trigger queued each one).
      await trx.raw('delete from access_log_pending where access_id in (select id from temp.fill)');
      await trx.raw('drop table temp.fill');
    });
    have += n;
  }
}

/**
 * fillTo on PostgreSQL: the same entries, made by generate_series. Each names the account whose
 * place in id order a multiplicative hash of the entry's number picks (random() per row would be
 * a subquery per row).
 */
async function fillToPg(db: Knex, target: number): Promise<void> {
  const accounts = await count(db, 'accounts');
  await db.raw('create temp table if not exists fill_accounts (n bigint primary key, id uuid)');
  await db.raw('truncate fill_accounts');
  await db.raw(
    'insert into fill_accounts select row_number() over (order by id) - 1, id from accounts',
  );
  const uuidOf = (k: string) =>
    `(lpad(to_hex(${k} / 281474976710656), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(${k} % 281474976710656), 12, '0'))::uuid`;
  for (let have = await count(db, 'access_log'); have < target;) {
    const n = Math.min(FILL_CHUNK, target - have);
    await db.transaction(async (trx) => {
      await trx.raw(
        `create temp table fill on commit drop as
         select ${uuidOf('k')} as id,
                to_char((now() - make_interval(secs => (? - k * ?::float8 / ?))) at time zone 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
                ('00000000-0000-7000-8000-' || lpad((k % ?)::text, 12, '0'))::uuid as staff_id,
                a.id as account_id
         from generate_series(?::bigint, ?::bigint) as k
         join fill_accounts a on a.n = (k * 2654435761) % ?`,
        [DAYS * 86_400, DAYS * 86_400, target, STAFF, have + 1, have + n, accounts],
      );
      await trx.raw(
        `insert into access_log (id, at, staff_id, hostname, ip, os, app_version, action, screen,
                                 query_kind, record_ids, result_count)
         select id, at, staff_id, 'ws-' || right(staff_id::text, 2), '10.0.0.' || right(staff_id::text, 2),
                'Windows 11', '1.0.0', 'view', 'accounts.detail', null, json_build_array(account_id)::text, 1
         from fill order by id`,
      );
      // Already indexed: PostgreSQL queues an entry only where the service writes the queue.
      await trx.raw(
        `insert into access_log_accounts (access_id, account_id)
         select id, account_id from fill order by account_id, id`,
      );
    });
    have += n;
  }
}

runTool(main);
