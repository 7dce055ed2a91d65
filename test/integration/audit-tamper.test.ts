/**
 * The tamper suite (issue 12, sections 3 and 4): with raw access to the database, someone edits,
 * deletes, reorders and inserts rows in every table a report derives from the disclosure log,
 * recomputes every hash after their change, or rolls the whole database back; verification must
 * name what changed. Raw access here is the test's own knex connection with the append-only
 * triggers dropped (test/support/tamper.ts), as someone holding the file or the server would.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import { hashRecord, GENESIS_HASH } from '../../main/services/audit/chain';
import type { Session } from '../../main/services/session';
import type { ChainVerification } from '../../shared/types';
import {
  ADMIN,
  ManualClock,
  itSqliteOnly,
  openTestBackend,
  sqliteFilename,
  type TestBackend,
} from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { STAFF_PASSWORD } from '../support/staff';
import { tamper } from '../support/tamper';

const STAFF = [
  ['cora', 'compliance_officer'],
  ['colin', 'collections_agent'],
  ['abe', 'administrator'],
] as const;

let t: TestBackend;
afterEach(async () => t?.close());

interface Scene {
  db: Knex;
  comp: Session;
  /** Seqs of the admitted debt-collection disclosures, each naming `named` accounts. */
  disclosures: number[];
  named: string[][];
  transferSeq: number;
}

/**
 * A log with what every report reads: internal exports, two debt-collection disclosures naming
 * accounts (the accounting table), a refusal, and a business transfer of all accounts.
 */
async function scene(): Promise<Scene> {
  const clock = new ManualClock();
  t = await openTestBackend({ clock });
  const first = t.backend.openSession();
  await t.call(first, 'setup.createFirstAdmin', ADMIN);
  const me = (await t.call(first, 'staff.list', {}))[0]!;
  const write = fixtureWriter(t, me.id);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const a = await write.create({
      lastName: `Tamper${i}`,
      standing: 'bad_standing',
      daysPastDue: 120,
      balanceCents: 1000 + i,
      currency: 'USD',
    });
    ids.push(a.id);
  }
  // Staff made at once are not independent approvers for a while (four eyes count people), so
  // the clock moves on before anyone signs in.
  for (const [username, role] of STAFF) {
    await t.backend.services.auth.createStaff({
      username,
      displayName: `${username} (${role})`,
      role,
      password: STAFF_PASSWORD,
      mustChangePassword: false,
    });
  }
  clock.advance(40 * 24 * 3600 * 1000);
  const sessions = await Promise.all(
    [...STAFF.map(([u]) => u), ADMIN.username].map(async (username) => {
      const session = t.backend.openSession();
      const password = username === ADMIN.username ? ADMIN.password : STAFF_PASSWORD;
      await t.call(session, 'auth.login', { username, password });
      return session;
    }),
  );
  const [comp, collector, secondAdmin, admin] = sessions as [Session, Session, Session, Session];
  const agency = await t.call(comp, 'recipients.create', {
    name: 'Tamper Agency',
    type: 'collection_agency',
    contact: '1 Agency Road',
  });
  const acquirer = await t.call(comp, 'recipients.create', {
    name: 'Acquiring Co',
    type: 'acquirer',
    contact: '2 Merger Street',
  });
  await t.call(comp, 'exports.accounts', {
    fields: ['lastName'],
    format: 'csv',
    fileName: 'i.csv',
  });
  const named = [ids.slice(0, 3), ids.slice(2, 5)];
  const disclosures: number[] = [];
  for (const [i, group] of named.entries()) {
    const out = await t.call(collector, 'disclosures.request', {
      recipientId: agency.id,
      purpose: 'debt_collection',
      accountIds: group,
      fields: ['accountNumber', 'lastName'],
      format: 'csv',
      fileName: `placement-${i}.csv`,
    });
    expect(out.status).toBe('completed');
    disclosures.push(out.record!.seq);
  }
  // A refused request: its record names accounts, but it puts nobody in an accounting.
  await t.call(collector, 'disclosures.request', {
    recipientId: acquirer.id,
    purpose: 'debt_collection',
    accountIds: ids.slice(0, 1),
    fields: ['accountNumber'],
    format: 'csv',
    fileName: 'refused.csv',
  });
  const pending = await t.call(admin, 'disclosures.request', {
    recipientId: acquirer.id,
    purpose: 'business_transfer',
    allAccounts: true,
    fields: ['accountNumber', 'lastName'],
    format: 'csv',
  });
  await t.call(secondAdmin, 'disclosures.decide', {
    requestId: pending.requestId!,
    decision: 'approved',
  });
  await t.call(comp, 'disclosures.decide', { requestId: pending.requestId!, decision: 'approved' });
  const done = await t.call(admin, 'disclosures.execute', {
    requestId: pending.requestId!,
    fileName: 'transfer.csv',
  });
  expect(done.status).toBe('completed');
  const v = await verify(comp);
  expect(v).toMatchObject({ ok: true, problem: null });
  return {
    db: t.backend.services.db,
    comp,
    disclosures,
    named,
    transferSeq: done.record!.seq,
  };
}

const verify = (s: Session): Promise<ChainVerification> => t.call(s, 'disclosures.verify', {});

/** Recomputes every hash from `fromSeq` on and the head, as a careful forger would. */
async function rechain(db: Knex): Promise<void> {
  await tamper(db, 'disclosure_log', async (d) => {
    const rows = await d('disclosure_log').orderBy('seq');
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const row = { ...r, prev_hash: prev };
      const hash = hashRecord(row);
      if (hash !== r.hash || prev !== r.prev_hash) {
        await d('disclosure_log').where({ seq: r.seq }).update({ prev_hash: prev, hash });
      }
      prev = hash;
    }
    await d('audit_heads').where({ chain: 'disclosures' }).update({ seq: rows.length, hash: prev });
  });
}

function witnessNames(v: ChainVerification): string {
  return v.witnesses.map((w) => w.message).join('\n');
}

describe('the accounting table is checked against the chain', () => {
  it('a customer removed from the accounting of a disclosure is named', async () => {
    const s = await scene();
    const victim = s.named[0]![1]!;
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').where({ account_id: victim, seq: s.disclosures[0] }).del(),
    );
    const v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(v.problem?.seq).toBe(s.disclosures[0]);
    expect(v.problem?.message).toMatch(/lacks 1 of the 3 accounts/);
    expect(v.problem?.message).toContain(victim);
    // The accounting itself no longer shows it: exactly what verification exists to catch.
    const acc = await t.call(s.comp, 'disclosures.accounting', { accountId: victim });
    expect(acc.map((r) => r.seq)).not.toContain(s.disclosures[0]);
  });

  it('every row of a customer deleted, across all their disclosures', async () => {
    const s = await scene();
    const victim = s.named[0]![2]!; // named by both disclosures
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').where({ account_id: victim }).del(),
    );
    const v = await verify(s.comp);
    expect(v.problem?.seq).toBe(s.disclosures[0]);
    expect(v.problem?.message).toMatch(/lacks 1 of the 3/);
  });

  it('all rows of one record deleted', async () => {
    const s = await scene();
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').where({ seq: s.disclosures[1] }).del(),
    );
    const v = await verify(s.comp);
    expect(v.problem?.seq).toBe(s.disclosures[1]);
    expect(v.problem?.message).toMatch(/lacks 3 of the 3/);
  });

  it('a customer added to a disclosure that did not name them', async () => {
    const s = await scene();
    const outsider = s.named[1]![2]!; // not in the first disclosure
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').insert({ seq: s.disclosures[0], account_id: outsider }),
    );
    const v = await verify(s.comp);
    expect(v.problem?.seq).toBe(s.disclosures[0]);
    expect(v.problem?.message).toMatch(
      /lists 1 account under record \d+ that the record does not name/,
    );
  });

  it('rows under a refused or internal record, or past the end of the chain', async () => {
    const s = await scene();
    const heads = await s.db('disclosure_log').orderBy('seq').select('seq', 'kind', 'purpose');
    const refused = heads.find((r) => r.kind === 'refused')!;
    const internal = heads.find((r) => r.purpose === 'internal')!;
    const someone = s.named[0]![0]!;
    for (const seq of [Number(refused.seq), Number(internal.seq)]) {
      await tamper(s.db, 'disclosure_accounts', (d) =>
        d('disclosure_accounts').insert({ seq, account_id: someone }),
      );
      const v = await verify(s.comp);
      expect(v.problem?.seq).toBe(seq);
      expect(v.problem?.message).toMatch(/does not name/);
      await tamper(s.db, 'disclosure_accounts', (d) =>
        d('disclosure_accounts').where({ seq, account_id: someone }).del(),
      );
    }
    expect((await verify(s.comp)).ok).toBe(true);
  });

  it('an account swapped for another in the accounting', async () => {
    const s = await scene();
    const [a, b] = [s.named[0]![0]!, s.named[1]![2]!];
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts')
        .where({ seq: s.disclosures[0], account_id: a })
        .update({ account_id: b }),
    );
    const v = await verify(s.comp);
    expect(v.problem?.seq).toBe(s.disclosures[0]);
    expect(v.problem?.message).toContain(a);
  });

  it("a business transfer hidden from customers by moving their accounts' creation times", async () => {
    const s = await scene();
    const victim = s.named[0]![0]!;
    await s.db('accounts').where({ id: victim }).update({ created_at: '2099-01-01T00:00:00.000Z' });
    const acc = await t.call(s.comp, 'disclosures.accounting', { accountId: victim });
    expect(acc.map((r) => r.seq)).not.toContain(s.transferSeq);
    const v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(v.problem?.seq).toBe(s.transferSeq);
    expect(v.problem?.message).toMatch(/transferred all 5 accounts, but only 4/);
  });
});

describe('a recomputed chain is caught by the witness outside the database', () => {
  it('a record edited and every later hash and the head recomputed', async () => {
    const s = await scene();
    await tamper(s.db, 'disclosure_log', (d) =>
      d('disclosure_log').where({ seq: s.disclosures[0] }).update({ recipient_name: 'Nobody' }),
    );
    await rechain(s.db);
    const v = await verify(s.comp);
    expect(v.problem).toBeNull(); // the chain alone is consistent again
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(
      /differs from the one the witness of .* saw: the chain was rewritten/,
    );
  });

  it('a record deleted, the later ones renumbered and rechained', async () => {
    const s = await scene();
    const gone = s.disclosures[1]!;
    await tamper(s.db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').where('seq', '>=', gone).del(),
    );
    await tamper(s.db, 'disclosure_log', async (d) => {
      await d('disclosure_log').where({ seq: gone }).del();
      const later = await d('disclosure_log').where('seq', '>', gone).orderBy('seq');
      for (const r of later) {
        await d('disclosure_log')
          .where({ seq: r.seq })
          .update({
            seq: Number(r.seq) - 1,
            ref_seq: r.ref_seq && Number(r.ref_seq) > gone ? Number(r.ref_seq) - 1 : r.ref_seq,
          });
      }
    });
    await rechain(s.db);
    const v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(/no longer reaches record|chain was rewritten/);
  });

  it('a forged record inserted and the chain recomputed', async () => {
    const s = await scene();
    // The accounting rows refer to the records by seq; the forger clears them out of the way.
    await tamper(s.db, 'disclosure_accounts', (d) => d('disclosure_accounts').del());
    await tamper(s.db, 'disclosure_log', async (d) => {
      const rows = await d('disclosure_log').where('seq', '>=', 2).orderBy('seq', 'desc');
      for (const r of rows)
        await d('disclosure_log')
          .where({ seq: r.seq })
          .update({ seq: Number(r.seq) + 1 });
      const first = await d('disclosure_log').where({ seq: 1 }).first();
      await d('disclosure_log').insert({
        ...first,
        seq: 2,
        id: '0193a6d2-0000-7000-8000-00000000abcd',
        staff_name: 'Mallory',
      });
    });
    await rechain(s.db);
    const v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(/chain was rewritten/);
  });

  it('records cut from the end with the head rewound (a rollback)', async () => {
    const s = await scene();
    await tamper(s.db, 'disclosure_accounts', (d) => d('disclosure_accounts').del());
    await tamper(s.db, 'disclosure_log', (d) => d('disclosure_log').where('seq', '>', 2).del());
    await rechain(s.db);
    const v = await verify(s.comp);
    expect(v.problem).toBeNull();
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(/no longer reaches record \d+, which the witness of .* saw/);
  });

  it('the witness itself altered, or deleted, is named', async () => {
    const s = await scene();
    const dir = path.join(t.dir, 'witness');
    const [file] = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const w = JSON.parse(fs.readFileSync(file!, 'utf8'));
    fs.writeFileSync(file!, JSON.stringify({ ...w, seq: 2 }));
    let v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(/signature does not verify/);
    fs.rmSync(file!);
    v = await verify(s.comp);
    expect(v.ok).toBe(false);
    expect(witnessNames(v)).toMatch(/no witness here nor in any other witness folder/);
  });

  it('records taken away by a deliberate restore are named, signed, not hidden; an altered note fails', async () => {
    const s = await scene();
    await tamper(s.db, 'disclosure_accounts', (d) => d('disclosure_accounts').del());
    await tamper(s.db, 'disclosure_log', (d) => d('disclosure_log').where('seq', '>', 2).del());
    await rechain(s.db);
    await t.backend.services.witnesses.acknowledgeRestore('@ada');
    const v = await verify(s.comp);
    expect(v.ok).toBe(true);
    expect(witnessNames(v)).toMatch(
      /A backup was restored on .* by @ada: records 3 to \d+, witnessed before, are not in this database/,
    );
    // The note is signed: changing who restored, or which records, fails verification.
    const dir = path.join(t.dir, 'witness');
    const notes = fs.readdirSync(dir).filter((f) => f.endsWith('.restores.json'));
    expect(notes).toHaveLength(1);
    const file = path.join(dir, notes[0]!);
    const [note] = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify([{ ...note, by: '@nobody' }]));
    const altered = await verify(s.comp);
    expect(altered.ok).toBe(false);
    expect(witnessNames(altered)).toMatch(/restore note's signature does not verify/);
    fs.rmSync(file);
  });

  it('a witness never moves back, and every record moves it forward', async () => {
    const s = await scene();
    const dir = path.join(t.dir, 'witness');
    const read = () => JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]!), 'utf8'));
    const head = await s.db('audit_heads').first('seq');
    expect(read().seq).toBe(Number(head.seq));
    await t.call(s.comp, 'exports.accounts', {
      fields: ['lastName'],
      format: 'csv',
      fileName: 'more.csv',
    });
    await verify(s.comp); // waits for the witness
    expect(read().seq).toBe(Number(head.seq) + 2);
  });

  itSqliteOnly(
    'the whole SQLite file rolled back to an older copy (a file copy; on PostgreSQL the rollback is the case above)',
    async () => {
      const s = await scene();
      const file = sqliteFilename(t);
      const copy = path.join(t.dir, 'older.sqlite');
      await s.db.raw('VACUUM INTO ?', [copy]);
      await t.call(s.comp, 'exports.accounts', {
        fields: ['lastName'],
        format: 'csv',
        fileName: 'later.csv',
      });
      await t.backend.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      fs.copyFileSync(copy, file);
      const reopened = await openBackend({
        database: t.database,
        exportDir: path.join(t.dir, 'exports'),
        keyDir: t.dir,
        witnessDirs: [path.join(t.dir, 'witness')],
        logger: silentLogger,
      });
      try {
        const v = await reopened.services.audit.verify(null);
        expect(v.problem).toBeNull();
        expect(v.ok).toBe(false);
        expect(v.witnesses[0]!.message).toMatch(/no longer reaches record/);
      } finally {
        await reopened.close();
      }
    },
  );
});
