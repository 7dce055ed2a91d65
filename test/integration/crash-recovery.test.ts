/**
 * Crashes at every step of an export and a batch send, and of start-up recovery itself: a child
 * process is killed there (SIGKILL, as a power cut), the app starts again, and afterwards no
 * temporary file holds customer data, no file lacks its record, every interrupted record is
 * resolved exactly once and a batch whose file never appeared is recorded as never sent.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import type { Session } from '../../main/services/session';
import { ADMIN, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { buildCrashChild, placementScene } from '../support/placement-scene';
import { STAFF_PASSWORD } from '../support/staff';

let t: TestBackend;
let db: Knex;
let comp: Session;
let agent: Session;
let agency: string;
let child: string;
afterEach(async () => t?.close());

beforeAll(async () => {
  child = await buildCrashChild('crash-recovery-child');
});

const exportDir = () => path.join(t.dir, 'exports');

/** Another backend on the test's database and folders (its audit witness too), as the app opens it. */
function sameFolders() {
  const folders = {
    exportDir: exportDir(),
    keyDir: t.dir,
    witnessDirs: [path.join(t.dir, 'witness')],
  };
  return { database: t.database, logger: silentLogger, ...folders };
}

/** A backend with a compliance officer, a collections agent, an agency and `bad` accounts to place. */
async function setUp(bad = 7): Promise<void> {
  ({ t, comp, agent, agency } = await placementScene(bad, (i) => ({
    lastName: `Placed${i}`,
    balanceCents: 10_000 + i,
  })));
  db = t.backend.services.db;
  const fx = fixtureWriter(
    t,
    (await db('staff').where({ username: ADMIN.username }).first('id')).id,
  );
  // More than one chunk of the writer (500 rows), so a kill mid-rows leaves a part-written file.
  for (let i = 0; i < 3; i++) await fx.create({ lastName: `Other${i}` });
}

type Action = 'export' | 'batch' | 'open';

function runChild(fault: string, action: Action, fileName = 'unused.csv', recover = true) {
  const r = spawnSync(process.execPath, [child], {
    env: {
      ...process.env,
      CUSTODIAN_TEST_FAULT: fault,
      CUSTODIAN_CHILD_CONFIG: JSON.stringify({
        database: t.database,
        exportDir: exportDir(),
        keyDir: t.dir,
        action,
        username: action === 'batch' ? 'colin' : 'cora',
        password: STAFF_PASSWORD,
        fileName,
        agencyId: agency,
        currency: 'USD',
        recover,
      }),
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r;
}

/** Runs a child that must be killed at its fault point. */
function killedAt(fault: string, action: Action, fileName?: string, recover = true): void {
  const r = runChild(fault, action, fileName, recover);
  expect(r.signal, `${action} at ${fault}: ${r.stderr}`).toBe('SIGKILL');
}

/** The app starting again, as a user would open it after the crash. */
async function restart(): Promise<void> {
  const again = await openBackend(sameFolders());
  await again.close();
}

const tempFiles = () =>
  fs.existsSync(exportDir())
    ? fs.readdirSync(exportDir()).filter((f) => f.endsWith('.partial'))
    : [];
const logCount = async () =>
  Number((await db('disclosure_log').count<{ n: number }[]>({ n: '*' }))[0]!.n);

/** What must hold after any crash and a restart. */
async function expectConsistent(): Promise<void> {
  expect(tempFiles()).toEqual([]);
  const log = await db('disclosure_log').orderBy('seq');
  const admitted = log.filter((r) => r.kind === 'admitted');
  for (const a of admitted) {
    const followUps = log.filter((r) => Number(r.ref_seq) === Number(a.seq));
    expect(followUps, `record ${a.seq}`).toHaveLength(1);
  }
  // Every file in the folder has its record, completed, with its hash.
  const files = fs.existsSync(exportDir())
    ? fs.readdirSync(exportDir()).filter((f) => !f.startsWith('.'))
    : [];
  for (const f of files) {
    const rec = admitted.find((a) => a.file_path === path.join(exportDir(), f));
    expect(rec, `a record for ${f}`).toBeDefined();
    const follow = log.find((r) => Number(r.ref_seq) === Number(rec.seq));
    expect(follow.kind, f).toBe('completed');
  }
  // A batch is sent only if its file exists; one whose record was abandoned was never sent.
  for (const b of await db('collection_batches')) {
    const follow = log.find((r) => Number(r.ref_seq) === Number(b.disclosure_seq));
    if (follow?.kind === 'abandoned') expect(b.status).toBe('never_sent');
    if (b.status === 'never_sent') await expectNeverSent(b.id);
  }
  const verified = await t.call(comp, 'disclosures.verify', {});
  expect(verified.ok, JSON.stringify(verified)).toBe(true);
}

/** Each account of a never-sent batch: placed once, returned once as never sent, never recalled. */
async function expectNeverSent(batchId: string): Promise<void> {
  const events = await db('standing_events').where({ batch_id: batchId });
  const placements = await db('collection_placements').where({ batch_id: batchId });
  expect(placements.length).toBeGreaterThan(0);
  for (const p of placements) {
    expect(Boolean(p.active)).toBe(false);
    const mine = events.filter((e) => e.account_id === p.account_id).map((e) => e.reason);
    expect(mine.sort()).toEqual(['placed_with_agency', 'placement_never_sent']);
    // Back in bad standing, unless a later batch placed it again.
    const later = await db('collection_placements').where({
      account_id: p.account_id,
      active: true,
    });
    const account = await db('accounts').where({ id: p.account_id }).first('standing');
    expect(account.standing).toBe(later.length > 0 ? 'in_collection' : 'bad_standing');
  }
}

describe('a crash before an export has its record', { timeout: 240_000 }, () => {
  it('killed with the temporary file just created, part-written or complete: no file left at the next start', async () => {
    await setUp();
    const before = await logCount();
    const points = ['after-temp-created', 'mid-rows', 'before-record'];
    // Several crashes in a row (as repeated power cuts) before one start cleans up.
    for (const [i, fault] of points.entries()) {
      killedAt(fault, 'export', `crash-${i}.csv`);
      expect(tempFiles().filter((f) => f.startsWith(`.crash-${i}.csv.`))).toHaveLength(1);
    }
    expect(await logCount()).toBe(before); // no record: this data left no trace in the log
    const complete = tempFiles().find((f) => f.startsWith('.crash-2.csv.'))!;
    expect(fs.readFileSync(path.join(exportDir(), complete), 'utf8')).toContain('Other2');
    await restart();
    expect(tempFiles()).toEqual([]);
    expect(fs.readdirSync(exportDir())).toEqual([]);
    expect(await logCount()).toBe(before);
    await expectConsistent();
  });

  it('each start removes what the crash before it left, also beside completed exports', async () => {
    await setUp();
    await t.call(comp, 'exports.accounts', {
      fields: ['lastName'],
      format: 'csv',
      fileName: 'kept.csv',
    });
    for (const [i, fault] of ['before-record', 'after-temp-created', 'mid-rows'].entries()) {
      killedAt(fault, 'export', `again-${i}.csv`);
      expect(tempFiles()).toHaveLength(1);
      await restart();
      expect(tempFiles()).toEqual([]);
    }
    expect(fs.readdirSync(exportDir())).toEqual(['kept.csv']);
    await expectConsistent();
  });

  it('killed after its record, and another before its record: one start resolves both', async () => {
    await setUp();
    killedAt('after-record', 'export', 'claimed.csv');
    killedAt('before-record', 'export', 'stray.csv', false);
    expect(tempFiles()).toHaveLength(2);
    await restart();
    expect(tempFiles()).toEqual([]);
    const last = await db('disclosure_log').orderBy('seq', 'desc').first();
    expect(last).toMatchObject({ kind: 'abandoned' });
    await expectConsistent();
  });
});

describe('a crash during a batch send', { timeout: 240_000 }, () => {
  it('before the commit (file complete, record and placements not committed): nothing stays, the accounts can be placed', async () => {
    await setUp();
    const before = await logCount();
    for (const [i, fault] of ['before-record', 'batch-before-commit', 'mid-rows'].entries()) {
      killedAt(fault, 'batch', `placement-${i}.csv`);
      const temps = tempFiles();
      expect(temps).toHaveLength(1);
      if (fault !== 'mid-rows') {
        // The whole placement file was on disk, with every account's name.
        const text = fs.readFileSync(path.join(exportDir(), temps[0]!), 'utf8');
        for (let a = 0; a < 7; a++) expect(text).toContain(`Placed${a}`);
      }
      await restart();
      expect(tempFiles()).toEqual([]);
      expect(await db('collection_batches')).toEqual([]);
      expect(await logCount()).toBe(before);
      const standings = await db('accounts').where({ currency: 'USD' }).pluck('standing');
      expect(standings.filter((s) => s === 'bad_standing')).toHaveLength(7);
    }
    const sent = await t.call(agent, 'batches.send', {
      agencyId: agency,
      currency: 'USD',
      format: 'csv',
      fileName: 'placement.csv',
    });
    expect(sent.batch).toMatchObject({ status: 'sent', accountCount: 7 });
    await expectConsistent();
  });

  it('after the commit, before the file has its name: recorded as never sent, not as recalled', async () => {
    await setUp();
    killedAt('after-record', 'batch', 'never.csv');
    const [stuck] = await db('collection_batches');
    expect(stuck.status).toBe('sent');
    await restart();
    expect(fs.existsSync(path.join(exportDir(), 'never.csv'))).toBe(false);
    const [batch] = await t.call(agent, 'batches.list', {});
    expect(batch).toMatchObject({ status: 'never_sent', recalledAt: null, recallReason: null });
    await expectNeverSent(batch!.id);
    const recalled = await db('standing_events').where({ reason: 'recalled_from_agency' });
    expect(recalled).toEqual([]);
    // The account's timeline says it plainly.
    const accountId = (await db('collection_placements').where({ batch_id: batch!.id }).first())
      .account_id;
    const line = await t.call(agent, 'standing.timeline', { accountId });
    expect(line.map((e) => [e.reason, e.batchNeverSent ?? false])).toEqual([
      ['placed_with_agency', true],
      ['placement_never_sent', true],
    ]);
    expect(line[1]).toMatchObject({ from: 'in_collection', to: 'bad_standing', by: null });
    expect(line[1]!.note).toMatch(/placement file was written: nothing reached the agency/);
    // A batch never sent cannot be recalled, and its accounts can be placed again.
    const again = await t.fail(agent, 'batches.recall', { batchId: batch!.id, reason: 'x' });
    expect(again).toMatchObject({ code: 'CONFLICT' });
    expect(again.message).toMatch(/already never sent/);
    const sent = await t.call(agent, 'batches.send', {
      agencyId: agency,
      currency: 'USD',
      format: 'csv',
      fileName: 'second.csv',
    });
    expect(sent.batch).toMatchObject({ status: 'sent', accountCount: 7 });
    await restart(); // a later start changes nothing
    expect((await t.call(agent, 'batches.list', {})).map((b) => b.status).sort()).toEqual([
      'never_sent',
      'sent',
    ]);
    await expectConsistent();
  });
});

describe('recovery killed mid-way', { timeout: 300_000 }, () => {
  /** Three interrupted records (a batch among exports) and a stray temporary file. */
  async function interrupted(order: Action[]): Promise<void> {
    await setUp();
    for (const [i, action] of order.entries()) killedAt('after-record', action, `r${i}.csv`, false);
    killedAt('after-temp-created', 'export', 'stray.csv', false);
    const open = await db('disclosure_log as a')
      .where('a.kind', 'admitted')
      .whereNotExists(db('disclosure_log as f').whereRaw('f.ref_seq = a.seq'));
    expect(open).toHaveLength(order.length);
  }

  for (const order of [
    ['batch', 'export', 'export'],
    ['export', 'batch', 'export'],
  ] as Action[][]) {
    it(`killed between temp cleanup and record, then after each first record (${order.join(', ')}): each resolved once`, async () => {
      await interrupted(order);
      killedAt('recovery-after-temp-cleanup', 'open');
      // The first record's temporary file is gone, its abandonment not yet written.
      expect(tempFiles()).toHaveLength(order.length - 1 + 1);
      for (let k = 0; k < order.length; k++) killedAt('recovery-after-first', 'open');
      await restart();
      await restart();
      await expectConsistent();
      const kinds = (await db('disclosure_log').pluck('kind')) as string[];
      expect(kinds.filter((k) => k === 'abandoned')).toHaveLength(order.length);
      const [batch] = await db('collection_batches');
      expect(batch.status).toBe('never_sent');
    });
  }

  it('two starts at the same moment resolve each record once', async () => {
    await interrupted(['export', 'batch', 'export']);
    const opened = await Promise.all([0, 1].map(() => openBackend(sameFolders())));
    await Promise.all(opened.map((b) => b.close()));
    await expectConsistent();
  });
});
