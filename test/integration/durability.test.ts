/**
 * An export's record is on disk before its file gets its final name (issue 12 section 6): after
 * a power cut a file may be missing its completion, never its record. Proven on SQLite from the
 * system calls of a real export (strace), and on both engines from the transaction's settings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { durableTransaction } from '../../main/db/durable';
import type { Session } from '../../main/services/session';
import { engine, itPgOnly, type TestBackend } from '../support/backend';
import { buildCrashChild, placementScene } from '../support/placement-scene';
import { STAFF_PASSWORD } from '../support/staff';

let t: TestBackend;
let db: Knex;
let comp: Session;
let agent: Session;
let agency: string;
afterEach(async () => t?.close());

async function setUp(): Promise<void> {
  ({ t, comp, agent, agency } = await placementScene(5, (i) => ({
    lastName: `Due${i}`,
    balanceCents: 5_000 + i,
  })));
  db = t.backend.services.db;
}

/** Why strace cannot run here, or null when it can trace a child process. */
function straceProblem(): string | null {
  if (engine !== 'sqlite') return null;
  const probe = spawnSync('strace', ['-f', '-qq', '-e', 'trace=fsync', 'true'], {
    encoding: 'utf8',
  });
  if (probe.error)
    return `strace is not installed (${(probe.error as NodeJS.ErrnoException).code})`;
  if (probe.status !== 0)
    return `strace cannot trace here (ptrace not permitted?): ${probe.stderr.trim()}`;
  return null;
}
const noStrace = straceProblem();
if (noStrace) console.warn(`durability.test.ts: the strace proof is skipped: ${noStrace}`);

interface Call {
  line: number;
  name: string;
  /** The file the call's first descriptor names (strace -y), or the link's target name. */
  target: string;
}

/**
 * The calls of a trace (strace -f -y), in the order they finished: a call another thread
 * interrupted is counted where it resumed, since only then had it done its work.
 */
export function parseTrace(text: string): Call[] {
  const calls: Call[] = [];
  const pending = new Map<string, string>();
  text.split('\n').forEach((raw, line) => {
    const m = /^(\d+)\s+(.*)$/.exec(raw);
    if (!m) return;
    const [, pid, rest] = m as unknown as [string, string, string];
    let body = rest;
    if (body.endsWith('<unfinished ...>')) {
      pending.set(pid, body);
      return;
    }
    const resumed = /^<\.\.\. (\w+) resumed>/.exec(body);
    if (resumed) {
      body = (pending.get(pid) ?? `${resumed[1]}(`) + body;
      pending.delete(pid);
    }
    const call = /^(\w+)\((.*)$/.exec(body);
    if (!call) return;
    const [, name, args] = call as unknown as [string, string, string];
    const target =
      name === 'link' || name === 'linkat' || name.startsWith('rename')
        ? ([...args.matchAll(/"([^"]*)"/g)].at(-1)?.[1] ?? '')
        : (/^\d+<([^>]*)>/.exec(args)?.[1] ?? '');
    calls.push({ line, name, target });
  });
  return calls;
}

const isWrite = (c: Call) => /^(p?write(v|64)?|pwritev2?)$/.test(c.name);
const isSync = (c: Call) => c.name === 'fsync' || c.name === 'fdatasync';

/**
 * The order a published file's trace must show: the temporary file synced, the record's last
 * write to the WAL, then a sync of the WAL, and only then the link under the final name.
 */
function expectRecordSyncedBeforeLink(calls: Call[], finalPath: string): void {
  const link = calls.findIndex((c) => /^link/.test(c.name) && c.target === finalPath);
  expect(link, `a link to ${finalPath}`).toBeGreaterThan(0);
  const before = calls.slice(0, link);
  const wal = (c: Call) => c.target.endsWith('-wal');
  const lastWalWrite = before.findLastIndex((c) => wal(c) && isWrite(c));
  expect(lastWalWrite, 'the record written to the WAL before the link').toBeGreaterThanOrEqual(0);
  const walSync = before.findIndex((c, i) => i > lastWalWrite && wal(c) && isSync(c));
  expect(walSync, 'a sync of the WAL after its last write and before the link').toBeGreaterThan(
    lastWalWrite,
  );
  const tempSync = before.findLastIndex((c) => c.target.endsWith('.partial') && isSync(c));
  expect(tempSync, 'the temporary file synced before the link').toBeGreaterThanOrEqual(0);
}

describe('the record is durable before the file gets its name', { timeout: 240_000 }, () => {
  let child: string;
  beforeAll(async () => {
    child = await buildCrashChild('durability-child');
  });

  function traced(action: 'export' | 'batch', fileName: string): Call[] {
    const trace = path.join(t.dir, `${fileName}.trace`);
    const r = spawnSync(
      'strace',
      [
        '-f',
        '-y',
        '-qq',
        '-o',
        trace,
        '-e',
        'trace=fsync,fdatasync,link,linkat,rename,renameat,renameat2,write,pwrite64,writev,pwritev,pwritev2',
        process.execPath,
        child,
      ],
      {
        env: {
          ...process.env,
          CUSTODIAN_TEST_FAULT: 'none',
          CUSTODIAN_CHILD_CONFIG: JSON.stringify({
            database: t.database,
            exportDir: path.join(t.dir, 'exports'),
            keyDir: t.dir,
            action,
            username: action === 'batch' ? 'colin' : 'cora',
            password: STAFF_PASSWORD,
            fileName,
            agencyId: agency,
            currency: 'USD',
          }),
        },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    return parseTrace(fs.readFileSync(trace, 'utf8'));
  }

  it.runIf(engine === 'sqlite' && noStrace === null)(
    'strace of real exports and a batch send: WAL synced after the record, before the link',
    async () => {
      await setUp();
      for (const [action, fileName] of [
        ['export', 'first.csv'],
        ['export', 'second.csv'],
        ['batch', 'placement.csv'],
      ] as const) {
        const calls = traced(action, fileName);
        expectRecordSyncedBeforeLink(calls, path.join(t.dir, 'exports', fileName));
      }
    },
  );

  it('the parser reads interrupted calls where they resumed, and a trace without the sync fails', () => {
    const trace = [
      '10 pwrite64(7</d/db.sqlite-wal>, "x", 1, 0) = 1',
      '11 fsync(9</d/.a.csv.0123456789ab.partial> <unfinished ...>',
      '10 pwrite64(7</d/db.sqlite-wal>, "y", 1, 1) = 1',
      '11 <... fsync resumed>) = 0',
      '10 fdatasync(7</d/db.sqlite-wal>) = 0',
      '10 linkat(AT_FDCWD</d>, "/d/.a.csv.0123456789ab.partial", AT_FDCWD</d>, "/d/a.csv", 0) = 0',
    ].join('\n');
    const calls = parseTrace(trace);
    expect(calls.map((c) => c.name)).toEqual([
      'pwrite64',
      'pwrite64',
      'fsync',
      'fdatasync',
      'linkat',
    ]);
    expect(calls[4]!.target).toBe('/d/a.csv');
    expectRecordSyncedBeforeLink(calls, '/d/a.csv');
    // As under synchronous=NORMAL: the WAL is written, never synced, and the file is linked.
    const unsynced = parseTrace(trace.replace(/^10 fdatasync.*$/m, ''));
    expect(() => expectRecordSyncedBeforeLink(unsynced, '/d/a.csv')).toThrow(/a sync of the WAL/);
    // A sync that came before the record's last write does not count.
    const early = parseTrace(
      trace
        .replace(/^10 fdatasync.*$/m, '')
        .replace('11 fsync', '10 fdatasync(7</d/db.sqlite-wal>) = 0\n11 fsync'),
    );
    expect(() => expectRecordSyncedBeforeLink(early, '/d/a.csv')).toThrow(/a sync of the WAL/);
  });
});

describe('durable transactions', () => {
  /** The engine's commit setting as the given connection sees it. */
  async function setting(q: Knex | Knex.Transaction): Promise<string> {
    if (engine === 'sqlite') {
      const [row] = await q.raw('PRAGMA synchronous');
      return ['off', 'normal', 'full', 'extra'][Number(row.synchronous)]!;
    }
    return String((await q.raw('SHOW synchronous_commit')).rows[0].synchronous_commit);
  }

  it('commit with the sync on inside, and leave the cheaper setting everywhere else', async () => {
    await setUp();
    const normal = engine === 'sqlite' ? 'normal' : 'off'; // the test cluster runs without it
    expect(await setting(db)).toBe(normal);
    const seen = await durableTransaction(db, (trx) => setting(trx));
    expect(seen).toBe(engine === 'sqlite' ? 'full' : 'on');
    expect(await setting(db)).toBe(normal);
    // Overlapping durable transactions and ordinary reads: each durable one commits with the
    // sync on, and the setting returns once the last has ended.
    const inside = await Promise.all([
      durableTransaction(db, (trx) => setting(trx)),
      db('staff').count({ n: '*' }),
      durableTransaction(db, (trx) => setting(trx)),
      durableTransaction(db, async (trx) => {
        await trx('counters').where({ name: 'collection_batch' }).first();
        return setting(trx);
      }),
    ]);
    expect([inside[0], inside[2], inside[3]]).toEqual(Array(3).fill(seen));
    expect(await setting(db)).toBe(normal);
    // A failed one rolls back and restores the setting too.
    await expect(
      durableTransaction(db, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await setting(db)).toBe(normal);
  });

  itPgOnly(
    'an export and a batch send commit their record with synchronous_commit on, before the file exists',
    async () => {
      await setUp();
      const operations = [
        [
          'seen.csv',
          () =>
            t.call(comp, 'exports.accounts', {
              fields: ['lastName'],
              format: 'csv',
              fileName: 'seen.csv',
            }),
        ],
        [
          'placed.csv',
          () =>
            t.call(agent, 'batches.send', {
              agencyId: agency,
              currency: 'USD',
              format: 'csv',
              fileName: 'placed.csv',
            }),
        ],
      ] as const;
      for (const [fileName, run] of operations) {
        const finalPath = path.join(t.dir, 'exports', fileName);
        const byTrx = new Map<string, string[]>();
        const existsAtCommit: boolean[] = [];
        const listener = (q: { sql: string; __knexTxId?: string }) => {
          if (!q.__knexTxId) return;
          const list = byTrx.get(q.__knexTxId) ?? [];
          list.push(q.sql);
          byTrx.set(q.__knexTxId, list);
          if (
            /^commit/i.test(q.sql) &&
            list.some((sql) => /insert into "disclosure_log"/.test(sql))
          )
            existsAtCommit.push(fs.existsSync(finalPath));
        };
        db.on('query', listener);
        try {
          await run();
        } finally {
          db.off('query', listener);
        }
        const recordTrx = [...byTrx.values()].filter((l) =>
          l.some((sql) => /insert into "disclosure_log"/.test(sql)),
        );
        expect(recordTrx, fileName).toHaveLength(2); // the record, then its completion
        const [first] = recordTrx[0]!.filter((sql) => !/^begin/i.test(sql));
        expect(first, fileName).toMatch(/SET LOCAL synchronous_commit = on/);
        // The completion needs no sync: a lost one is completed again at the next start.
        expect(recordTrx[1]!.some((sql) => /synchronous_commit/.test(sql))).toBe(false);
        expect(existsAtCommit, fileName).toEqual([false, true]);
      }
    },
  );
});
