/**
 * Where a collection batch's time goes (issue 18): the bench's batch of 100,000 accounts, sent
 * and recalled once on a working copy of the bench's seeded SQLite database, each under the CPU
 * profiler when asked. Not part of `npm run bench`; a tool for finding what to cut next.
 *
 *   node scripts/run-ts.mjs test/bench/profile-batch.ts [--size 100000] [--profile-dir DIR]
 *     [--sql-times] [--engine-times] [--reads N] [--records N] [--pg]
 *
 * --pg runs it on PostgreSQL (a throwaway cluster, the copy moved there by migrate-data);
 * --records N first fills the disclosure log to N records, as the bench's verify case leaves it.
 *
 * --sql-times sums each statement knex runs from its call to its answer (waits included);
 * --engine-times (SQLite) sums each statement's time inside SQLite itself, the bulk writer's
 * included, and prints it after the send and after the recall.
 *
 * With --profile-dir, `batches.send` and `batches.recall` are written as send.cpuprofile and
 * recall.cpuprofile (the timings then include the profiler's cost).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Knex } from 'knex';
import path from 'node:path';
import type { Session } from '../../main/services/session';
import type { Channel, Input, Output } from '../../shared/contract';
import { batchCase, firstAdmin, staffSession } from './cases';
import { profiled } from './cpu-profile';
import { seededSqlite, workingCopy } from './data';
import { benchBackend, option, runTool, toolDatabase } from './tool';
import { appendDisclosureRecords } from './verify';
import { cpuSince, threadCpu } from './stats';
import { connect } from '../../main/db/connect';

/** Time summed by statement (the start of its text), printed costliest first. */
class StatementTimes {
  private readonly totals = new Map<string, { ms: number; count: number }>();

  add(sql: string, ms: number): void {
    const t = this.totals.get(sql) ?? { ms: 0, count: 0 };
    t.ms += ms;
    t.count += 1;
    this.totals.set(sql, t);
  }

  /** Prints the `top` costliest, after the sum when `label` is given, and starts again. */
  print(top: number, label?: string): void {
    const rows = [...this.totals].sort((a, b) => b[1].ms - a[1].ms);
    if (label) {
      const sum = rows.reduce((n, [, t]) => n + t.ms, 0);
      process.stdout.write(`  ${label}: ${sum.toFixed(0)} ms in all\n`);
    }
    for (const [sql, t] of rows.slice(0, top)) {
      process.stdout.write(
        `${t.ms.toFixed(0).padStart(7)} ms ${String(t.count).padStart(6)}x  ${sql}\n`,
      );
    }
    this.clear();
  }

  clear(): void {
    this.totals.clear();
  }
}

/**
 * Times each statement knex runs, summed by its SQL; `report` prints the costliest. Statements
 * the engine runs itself (hot statements, bulk writes) are not seen.
 */
function timeStatements(db: Knex): () => void {
  const started = new Map<string, number>();
  const times = new StatementTimes();
  db.on('query', (q: { __knexQueryUid: string }) =>
    started.set(q.__knexQueryUid, performance.now()),
  );
  db.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const at = started.get(q.__knexQueryUid);
    if (at === undefined) return;
    times.add(q.sql.replace(/\?(, \?)+/g, '?, ...').slice(0, 140), performance.now() - at);
  });
  return () => times.print(25);
}

/**
 * Sums the time SQLite itself spends in each statement (node-sqlite3's profile event, from
 * sqlite3_profile), by the start of its text; `report` prints the costliest and starts again.
 */
async function engineTimes(db: Knex): Promise<{ print(): void; clear(): void }> {
  const conn = (await db.client.acquireConnection()) as {
    on(event: 'profile', cb: (sql: string, ms: number) => void): void;
  };
  db.client.releaseConnection(conn);
  const times = new StatementTimes();
  conn.on('profile', (sql, ms) => {
    const key = sql
      .replace(/\s+/g, ' ')
      .replace(/\(\?\)(, \(\?\))+/g, '(?), ...')
      .slice(0, 120);
    times.add(key, ms);
  });
  return { print: () => times.print(15, 'inside SQLite'), clear: () => times.clear() };
}

async function main(): Promise<void> {
  const size = Number(option('--size') ?? 100_000);
  const profileDir = option('--profile-dir');
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-batch-'));
  const copy = workingCopy((await seededSqlite(size)).file, dir);
  const { database, stop } = await toolDatabase(copy, 'profile_batch');
  const records = Number(option('--records') ?? 0);
  if (records > 0) {
    const db = connect(database);
    await appendDisclosureRecords(db, records).finally(() => db.destroy());
    process.stdout.write(`disclosure log filled to ${records} records\n`);
  }
  const backend = await benchBackend(database, dir);
  const sqlTimes = process.argv.includes('--sql-times')
    ? timeStatements(backend.services.db)
    : null;
  const engineReport =
    process.argv.includes('--engine-times') && database.client === 'sqlite'
      ? await engineTimes(backend.services.db)
      : null;
  try {
    const call = async <C extends Channel>(s: Session, channel: C, input: Input<C>) => {
      // Only the send and the recall are profiled (the bench's batchCase makes both calls).
      const name =
        channel === 'batches.send' ? 'send' : channel === 'batches.recall' ? 'recall' : null;
      const file = profileDir && name ? path.join(profileDir, `${name}.cpuprofile`) : null;
      // Only the call's own statements: the set-up's and the preview's are left out.
      if (name) engineReport?.clear();
      const cpu = name ? threadCpu() : null;
      const r = await profiled(file, () => backend.invoke(s, channel, input));
      if (name) process.stdout.write(`${name}: ${cpuSince(cpu)}\n`);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      if (engineReport && name) {
        process.stdout.write(`${name}:\n`);
        engineReport.print();
      }
      return r.value as Output<C>;
    };
    await firstAdmin(backend, 'profile.admin');
    const compliance = await staffSession(backend, 'profile.compliance', 'compliance_officer');
    // --reads N: as in the bench, N reads (each with its access-log entry) come before the batch.
    const reads = Number(option('--reads') ?? 0);
    if (reads > 0) {
      const support = await staffSession(backend, 'profile.support', 'support_agent');
      const ids = (await backend.services.db('accounts').limit(1000).pluck('id')) as string[];
      for (let i = 0; i < reads; i++)
        await call(support, 'accounts.get', { id: ids[i % ids.length]! });
      process.stdout.write(`${reads} reads made\n`);
    }
    // --no-replay: the calls without the trace the bare baseline needs (to see what it costs them).
    const replayed = !process.argv.includes('--no-replay');
    await batchCase(
      { size, database, replay: replayed },
      backend.services.db,
      backend,
      compliance,
      call,
      (r) =>
        process.stdout.write(
          `${r.work}: ${r.p50_ms?.toFixed(0)} ms, bare ${r.baseline_p50_ms?.toFixed(0) ?? '-'} ms (${r.note})\n`,
        ),
    );
    if (sqlTimes) sqlTimes();
  } finally {
    await backend.close();
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runTool(main);
