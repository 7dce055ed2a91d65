import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../main/db/connect';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';
import { fixtureWriter } from '../support/fixtures';
import { seedAccounts } from '../../main/services/seed';
import type { Session } from '../../main/services/session';
import { TRANSITIONS } from '../../shared/standing';
import { ROLES, type Role } from '../../shared/roles';
import { STANDINGS, type Standing } from '../../shared/catalogue';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestBackend;
const s = {} as Record<Role, Session>;
let fx: ReturnType<typeof fixtureWriter>;
let agency: string;
let bank: string;
let n = 0;

beforeAll(async () => {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  s.administrator = admin;
  for (const role of ROLES.filter((r) => r !== 'administrator'))
    s[role] = await signedInAs(t, role);
  fx = fixtureWriter(t, (await t.call(admin, 'staff.list', {}))[0]!.id);
  agency = (
    await t.call(s.compliance_officer, 'recipients.create', {
      name: 'Acme Collections',
      type: 'collection_agency',
      contact: '9 Debt Lane, Springfield',
    })
  ).id;
  bank = (
    await t.call(s.compliance_officer, 'recipients.create', {
      name: 'First Bank',
      type: 'financial_institution',
      contact: '1 Bank St',
    })
  ).id;
});
afterAll(async () => t?.close());

const account = (standing: Standing, balanceCents = 10_000, extra: Record<string, unknown> = {}) =>
  fx.create({ lastName: `Acct${++n}`, standing, balanceCents, currency: 'USD', ...extra });
const standingOf = async (id: string) =>
  (await t.backend.services.db('accounts').where({ id }).first('standing')).standing as Standing;

describe('standing transitions, per role', () => {
  it('every pair of standings, by every role: allowed exactly as the workflow table says', async () => {
    let checked = 0;
    for (const from of STANDINGS) {
      for (const to of STANDINGS) {
        if (from === to) continue;
        for (const role of ROLES) {
          const a = await account(from, 5_000);
          const rule = TRANSITIONS.find((r) => r.from === from && r.to === to);
          const allowed = !!rule && !rule.viaBatch && rule.roles.includes(role);
          const r = await t.backend.invoke(s[role], 'standing.transition', {
            accountId: a.id,
            to,
            reason: 'missed_payment',
            daysPastDue: 45,
          });
          expect(r.ok, `${role}: ${from} -> ${to}`).toBe(allowed);
          expect(await standingOf(a.id)).toBe(allowed ? to : from);
          if (!r.ok) {
            expect(r.error.code).toBe('FORBIDDEN');
            expect(r.error.message).toMatch(/^Nothing was changed: /);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(STANDINGS.length * (STANDINGS.length - 1) * ROLES.length);
  });

  it('names the rule it refuses by', async () => {
    const a = await account('good');
    const skip = await t.fail(s.billing_specialist, 'standing.transition', {
      accountId: a.id,
      to: 'bad_standing',
      reason: 'missed_payment',
    });
    expect(skip.message).toBe(
      `Nothing was changed: account ${a.accountNumber} is good; the workflow does not go from good to bad standing.`,
    );
    const b = await account('bad_standing');
    const byHand = await t.fail(s.collections_agent, 'standing.transition', {
      accountId: b.id,
      to: 'in_collection',
      reason: 'other',
      note: 'trying',
    });
    expect(byHand.message).toMatch(/only by sending a collection batch/);
    const zero = await account('past_due', 0);
    expect(
      (
        await t.fail(s.collections_agent, 'standing.transition', {
          accountId: zero.id,
          to: 'bad_standing',
          reason: 'missed_payment',
        })
      ).message,
    ).toMatch(/owes nothing/);
    const other = await t.fail(s.billing_specialist, 'standing.transition', {
      accountId: zero.id,
      to: 'good',
      reason: 'other',
    });
    expect(other.fieldErrors?.note).toMatch(/Required/);
  });

  it('records who, when, from, to, reason, balance and days, shown as a timeline', async () => {
    const a = await account('good', 0);
    await t.call(s.billing_specialist, 'standing.transition', {
      accountId: a.id,
      to: 'past_due',
      reason: 'missed_payment',
      balanceCents: 12_300,
      daysPastDue: 31,
    });
    await t.call(s.collections_agent, 'standing.transition', {
      accountId: a.id,
      to: 'bad_standing',
      reason: 'broken_promise_to_pay',
      note: 'Promised on the 3rd',
      daysPastDue: 95,
    });
    const line = await t.call(s.support_agent, 'standing.timeline', { accountId: a.id });
    expect(line.map((e) => [e.from, e.to, e.reason, e.balanceCents, e.daysPastDue, e.by])).toEqual([
      ['good', 'past_due', 'missed_payment', 12_300, 31, 'billing_specialist user'],
      ['past_due', 'bad_standing', 'broken_promise_to_pay', 12_300, 95, 'collections_agent user'],
    ]);
    expect(line[1]!.note).toBe('Promised on the 3rd');
    // A collections agent may not change the balance with the transition (no edit on balances).
    const b = await account('good', 100);
    expect(
      (
        await t.fail(s.collections_agent, 'standing.transition', {
          accountId: b.id,
          to: 'past_due',
          reason: 'missed_payment',
          balanceCents: 999,
        })
      ).message,
    ).toMatch(/may not change the balance/);
  });
});

describe('bulk marking', () => {
  it('previews how many change, then changes all of them', async () => {
    const ids = [
      (await account('past_due')).id,
      (await account('past_due')).id,
      (await account('past_due')).id,
    ];
    const preview = await t.call(s.collections_agent, 'standing.bulkPreview', {
      selection: { accountIds: ids },
      to: 'bad_standing',
    });
    expect(preview).toMatchObject({ selected: 3, changing: 3, refused: 0 });
    const jobId = '0193a6d2-0000-7000-8000-0000000000aa';
    const done = await t.call(s.collections_agent, 'standing.bulkMark', {
      selection: { accountIds: ids },
      to: 'bad_standing',
      reason: 'missed_payment',
      jobId,
    });
    expect(done.changed).toBe(3);
    expect(await t.call(s.collections_agent, 'jobs.progress', { jobId })).toEqual({
      done: 3,
      total: 3,
      finished: true,
    });
    expect(await t.call(s.billing_specialist, 'jobs.progress', { jobId })).toBeNull();
    for (const id of ids) expect(await standingOf(id)).toBe('bad_standing');
  });

  it('is all-or-nothing when one account fails a rule', async () => {
    const ok1 = await account('past_due');
    const ok2 = await account('past_due');
    const broke = await account('past_due', 0);
    const ids = [ok1.id, broke.id, ok2.id];
    const preview = await t.call(s.billing_specialist, 'standing.bulkPreview', {
      selection: { accountIds: ids },
      to: 'bad_standing',
    });
    expect(preview).toMatchObject({ changing: 2, refused: 1 });
    const err = await t.fail(s.billing_specialist, 'standing.bulkMark', {
      selection: { accountIds: ids },
      to: 'bad_standing',
      reason: 'missed_payment',
    });
    expect(err.message).toContain(`account ${broke.accountNumber} owes nothing`);
    for (const id of ids) expect(await standingOf(id)).toBe('past_due');
    const events = await t.backend.services.db('standing_events').whereIn('account_id', ids);
    expect(events).toEqual([]);
  });

  it('selects by filter: past due more than 90 days', async () => {
    const old = await account('past_due', 100, { daysPastDue: 120 });
    const recent = await account('past_due', 100, { daysPastDue: 10 });
    const preview = await t.call(s.billing_specialist, 'standing.bulkPreview', {
      selection: { standing: 'past_due', minDaysPastDue: 91 },
      to: 'bad_standing',
    });
    expect(preview.selected).toBeGreaterThanOrEqual(1);
    await t.call(s.billing_specialist, 'standing.bulkMark', {
      selection: { standing: 'past_due', minDaysPastDue: 91 },
      to: 'bad_standing',
      reason: 'missed_payment',
    });
    expect(await standingOf(old.id)).toBe('bad_standing');
    expect(await standingOf(recent.id)).toBe('past_due');
  });
});

describe('holds and collection batches', () => {
  const exportDir = () => path.join(t.dir, 'exports');
  let placed: { id: string; accountNumber: string }[] = [];

  it('holds are set with a date and a note by the roles that may, and block placement by name', async () => {
    const held = await account('bad_standing', 7_000, { currency: 'EUR' });
    expect(
      (
        await t.fail(s.support_agent, 'holds.set', {
          accountId: held.id,
          kind: 'bankruptcy',
          since: '2026-10-01',
          note: 'Chapter 7 filing',
        })
      ).code,
    ).toBe('FORBIDDEN');
    const holds = await t.call(s.collections_agent, 'holds.set', {
      accountId: held.id,
      kind: 'bankruptcy',
      since: '2026-10-01',
      note: 'Chapter 7 filing',
    });
    expect(holds).toMatchObject([
      {
        kind: 'bankruptcy',
        since: '2026-10-01',
        note: 'Chapter 7 filing',
        setBy: 'collections_agent user',
      },
    ]);
    // A direct disclosure naming it is refused by name...
    const out = await t.call(s.collections_agent, 'disclosures.request', {
      recipientId: agency,
      purpose: 'debt_collection',
      accountIds: [held.id],
      fields: ['lastName'],
      format: 'csv',
      fileName: 'held.csv',
    });
    expect(out.reasons).toContain(
      `account ${held.accountNumber} has a bankruptcy hold; accounts with a collection hold are never placed with an agency`,
    );
    // ...and a batch leaves it out.
    const preview = await t.call(s.collections_agent, 'batches.preview', {
      agencyId: agency,
      currency: 'EUR',
    });
    expect(preview).toMatchObject({ count: 0, excludedByHolds: 1 });
    await t.call(s.compliance_officer, 'holds.clear', {
      accountId: held.id,
      kind: 'bankruptcy',
      note: 'Case dismissed',
    });
    expect(
      (await t.call(s.collections_agent, 'batches.preview', { agencyId: agency, currency: 'EUR' }))
        .count,
    ).toBe(1);
    const events = await t.backend.services
      .db('hold_events')
      .where({ account_id: held.id })
      .orderBy('id');
    expect(events.map((e) => e.event)).toEqual(['set', 'cleared']);
  });

  it('previews and sends a batch: file, record and in-collection standing together', async () => {
    placed = [
      await account('bad_standing', 20_000, {
        currency: 'GBP',
        region: 'Kent',
        daysPastDue: 100,
        lastPaymentDate: '2026-06-30',
        supportNotes: 'never in a placement file',
      }),
      await account('bad_standing', 30_000, { currency: 'GBP', region: 'Kent', daysPastDue: 200 }),
    ];
    await account('bad_standing', 50, { currency: 'GBP', region: 'Kent', daysPastDue: 200 }); // below the minimum
    await account('good', 9_999, { currency: 'GBP', region: 'Kent' });
    const filters = { agencyId: agency, currency: 'GBP', region: 'Kent', minBalanceCents: 1_000 };
    const preview = await t.call(s.collections_agent, 'batches.preview', filters);
    expect(preview).toMatchObject({ count: 2, totalCents: 50_000, currency: 'GBP' });
    expect(preview.sample.map((r) => r.id).sort()).toEqual(placed.map((p) => p.id).sort());
    // The preview shows customer rows, so it is in the access log (policy P3), by id only.
    const entry = await t.backend.services
      .db('access_log')
      .where({ screen: 'collections.preview' })
      .orderBy('at', 'desc')
      .first();
    expect(entry).toMatchObject({ action: 'list', result_count: 2 });
    expect((JSON.parse(String(entry.record_ids)) as string[]).sort()).toEqual(
      placed.map((p) => p.id).sort(),
    );
    expect((await t.fail(s.billing_specialist, 'batches.preview', filters)).code).toBe('FORBIDDEN');
    const sent = await t.call(s.collections_agent, 'batches.send', {
      ...filters,
      format: 'csv',
      fileName: 'batch-gbp.csv',
    });
    expect(sent.batch).toMatchObject({
      status: 'sent',
      accountCount: 2,
      totalCents: 50_000,
      agencyName: 'Acme Collections',
    });
    expect(sent.outcome.record).toMatchObject({
      purpose: 'debt_collection',
      rowCount: 2,
      recipientName: 'Acme Collections',
    });
    for (const p of placed) expect(await standingOf(p.id)).toBe('in_collection');
    const rows = parse(fs.readFileSync(path.join(exportDir(), 'batch-gbp.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'accountNumber',
      'firstName',
      'lastName',
      'dateOfBirth',
      'addressLine1',
      'addressLine2',
      'city',
      'region',
      'postalCode',
      'country',
      'phone',
      'email',
      'balanceCents',
      'currency',
      'lastPaymentDate',
      'balancePlacedCents',
      'itemisationDate',
    ]);
    const first = rows.find((r) => r.accountNumber === placed[0]!.accountNumber)!;
    expect(first).toMatchObject({ balancePlacedCents: '20000', itemisationDate: '2026-06-30' });
    expect(JSON.stringify(rows)).not.toContain('never in a placement file');
    // Placed accounts are not placed again, and they appear in each customer's accounting.
    expect((await t.call(s.collections_agent, 'batches.preview', filters)).count).toBe(0);
    for (const p of placed) {
      const acc = await t.call(s.compliance_officer, 'disclosures.accounting', { accountId: p.id });
      expect(acc.some((r) => r.seq === sent.outcome.record!.seq)).toBe(true);
    }
    const list = await t.call(s.billing_specialist, 'batches.list', {});
    expect(list.find((b) => b.id === sent.batch!.id)?.disclosureSeq).toBe(sent.outcome.record!.seq);
    expect((await t.call(s.compliance_officer, 'disclosures.verify', {})).ok).toBe(true);
  });

  it('recall returns the accounts to bad standing, recorded', async () => {
    const batch = (await t.call(s.collections_agent, 'batches.list', {})).find(
      (b) => b.status === 'sent',
    )!;
    const recalled = await t.call(s.collections_agent, 'batches.recall', {
      batchId: batch.id,
      reason: 'Agency contract ended',
    });
    expect(recalled).toMatchObject({ status: 'recalled', recallReason: 'Agency contract ended' });
    for (const p of placed) {
      expect(await standingOf(p.id)).toBe('bad_standing');
      const line = await t.call(s.collections_agent, 'standing.timeline', { accountId: p.id });
      expect(line.at(-1)).toMatchObject({
        from: 'in_collection',
        to: 'bad_standing',
        reason: 'recalled_from_agency',
        note: 'Agency contract ended',
      });
    }
    expect(
      (await t.fail(s.collections_agent, 'batches.recall', { batchId: batch.id, reason: 'again' }))
        .code,
    ).toBe('CONFLICT');
  });

  it('sends and recalls a batch of several thousand accounts, every one placed and recorded once', async () => {
    const db = t.backend.services.db;
    // More accounts than one chunk of the batch's reads and writes (2,000), and not a multiple.
    const count = 4_321;
    await seedAccounts(db, { count, seed: 4321 });
    const ids = (await db('accounts').orderBy('id', 'desc').limit(count).select('id')).map(
      (r: { id: string }) => r.id,
    );
    await db('accounts').whereIn('id', ids.slice(0, 2_000)).update({ last_payment_date: null });
    for (let i = 0; i < ids.length; i += 500) {
      await db('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .update({
          standing: 'bad_standing',
          currency: 'SEK',
          days_past_due: 95,
          balance_cents: db.raw('case when balance_cents < 1000 then 1000 else balance_cents end'),
        });
    }
    const before = new Map(
      (await db('accounts').where({ currency: 'SEK' }).select('*')).map(
        (r: Record<string, unknown>) => [String(r.id), r],
      ),
    );
    expect(before.size).toBe(count);
    const sent = await t.call(s.collections_agent, 'batches.send', {
      agencyId: agency,
      currency: 'SEK',
      format: 'csv',
      fileName: 'batch-sek.csv',
    });
    const batch = sent.batch!;
    const total = [...before.values()].reduce((sum, r) => sum + Number(r.balance_cents), 0);
    expect(batch).toMatchObject({ accountCount: count, totalCents: total });
    const agent = (await db('staff').where({ username: 'collectionsagent' }).first('id'))!.id;

    const after = await db('accounts')
      .where({ currency: 'SEK' })
      .select('id', 'standing', 'version', 'updated_at');
    for (const a of after) {
      expect(a.standing).toBe('in_collection');
      expect(Number(a.version)).toBe(Number(before.get(a.id)!.version) + 1);
    }
    const events = await db('standing_events').where({ batch_id: batch.id });
    // Every move and its event carry the one time of the batch.
    expect(new Set(after.map((a: { updated_at: unknown }) => String(a.updated_at)))).toEqual(
      new Set([String(events[0].at)]),
    );
    expect(events).toHaveLength(count);
    expect(new Set(events.map((e: { id: string }) => e.id)).size).toBe(count);
    // Made by the database (a new UUIDv7's first part, the row's number): UUIDv7s all the same.
    for (const e of events) expect(String(e.id)).toMatch(UUID_V7);
    expect(new Set(events.map((e: { account_id: string }) => e.account_id))).toEqual(
      new Set(before.keys()),
    );
    for (const e of events) {
      const a = before.get(e.account_id)!;
      expect(e).toMatchObject({
        from_standing: 'bad_standing',
        to_standing: 'in_collection',
        reason: 'placed_with_agency',
        note: null,
        days_past_due: 95,
        staff_id: agent,
      });
      expect(Number(e.balance_cents)).toBe(Number(a.balance_cents));
      expect(e.at).toBe(events[0].at);
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const placements = await db('collection_placements').where({ batch_id: batch.id });
    expect(placements).toHaveLength(count);
    const today = t.backend.services.clock.now().toISOString().slice(0, 10);
    for (const p of placements) {
      const a = before.get(p.account_id)!;
      expect(Number(p.balance_placed_cents)).toBe(Number(a.balance_cents));
      expect(p.itemisation_date).toBe(a.last_payment_date ?? today);
      expect(Boolean(p.active)).toBe(true);
    }
    // The file: every account once, in id order, as the record counts them.
    const rows = parse(fs.readFileSync(path.join(exportDir(), 'batch-sek.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    expect(sent.outcome.record!.rowCount).toBe(count);
    expect(rows.map((r) => r.accountNumber)).toEqual(
      [...before.values()]
        .sort((x, y) => (String(x.id) < String(y.id) ? -1 : 1))
        .map((r) => r.account_number),
    );

    // Two accounts settled while placed: the recall leaves them as they are, unrecorded.
    const settled = [ids[7]!, ids[3_000]!];
    await db('accounts').whereIn('id', settled).update({ standing: 'settled' });
    const versionOf = async () =>
      new Map(
        (await db('accounts').where({ currency: 'SEK' }).select('id', 'version')).map(
          (a: { id: string; version: number }) => [a.id, Number(a.version)],
        ),
      );
    const beforeRecall = await versionOf();
    await t.call(s.collections_agent, 'batches.recall', { batchId: batch.id, reason: 'Too many' });
    const back = await db('accounts').where({ currency: 'SEK' }).select('id', 'standing');
    for (const a of back as { id: string; standing: string }[]) {
      expect(a.standing).toBe(settled.includes(a.id) ? 'settled' : 'bad_standing');
    }
    const afterRecall = await versionOf();
    for (const [id, version] of beforeRecall) {
      expect(afterRecall.get(id)).toBe(settled.includes(id) ? version : version + 1);
    }
    const recallEvents = await db('standing_events')
      .where({ batch_id: batch.id, reason: 'recalled_from_agency' })
      .select('id', 'account_id', 'note', 'from_standing', 'to_standing');
    expect(recallEvents).toHaveLength(count - settled.length);
    for (const e of recallEvents) expect(String(e.id)).toMatch(UUID_V7);
    expect(new Set(recallEvents.map((e: { id: string }) => e.id)).size).toBe(recallEvents.length);
    expect(new Set(recallEvents.map((e: { account_id: string }) => e.account_id))).toEqual(
      new Set(ids.filter((id) => !settled.includes(id))),
    );
    expect(recallEvents[0]).toMatchObject({
      note: 'Too many',
      from_standing: 'in_collection',
      to_standing: 'bad_standing',
    });
    const active = await db('collection_placements')
      .where({ batch_id: batch.id, active: true })
      .count({ n: '*' })
      .first();
    expect(Number(active!.n)).toBe(0);
    expect((await t.call(s.compliance_officer, 'disclosures.verify', {})).ok).toBe(true);
  });

  it('a write refused partway through a batch (a moved or a placed account) leaves no file, record, batch or move', async () => {
    const db = t.backend.services.db;
    // Two chunks of the batch's reads and writes (2,000 each): the refusal comes in the second,
    // after the first chunk's accounts have been moved and placed in the transaction.
    const count = 2_345;
    await seedAccounts(db, { count, seed: 2345 });
    const ids = (await db('accounts').orderBy('id', 'desc').limit(count).select('id'))
      .map((r: { id: string }) => r.id)
      .sort();
    for (let i = 0; i < ids.length; i += 500) {
      await db('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .update({ standing: 'bad_standing', currency: 'NOK', balance_cents: 5_000 });
    }
    const victim = ids[2_100]!;
    const versions = async () =>
      (await db('accounts').where({ currency: 'NOK' }).orderBy('id').select('standing', 'version'))
        .map((a: { standing: string; version: number }) => `${a.standing}:${Number(a.version)}`)
        .join(',');
    const versionsBefore = await versions();
    const records = async () => Number((await db('disclosure_log').count({ n: '*' }).first())!.n);
    const recordsBefore = await records();
    // The accounts' update skips the victim (as if it had changed meanwhile), or the placement
    // insert refuses it.
    for (const [kind, expected] of [
      ['skip-update', 'CONFLICT'],
      ['refuse-placement', 'INTERNAL'],
    ] as const) {
      const fileName = `nok-${kind}.csv`;
      const drop = await refuseInDatabase(t, kind, victim);
      try {
        const err = await t.fail(s.collections_agent, 'batches.send', {
          agencyId: agency,
          currency: 'NOK',
          format: 'csv',
          fileName,
        });
        expect(err.code, kind).toBe(expected);
      } finally {
        await drop();
      }
      expect(await versions(), kind).toBe(versionsBefore);
      expect(await db('collection_batches').where({ currency: 'NOK' }), kind).toEqual([]);
      expect(await whereIdsIn(db('standing_events'), ids), kind).toEqual([]);
      expect(await whereIdsIn(db('collection_placements'), ids), kind).toEqual([]);
      expect(await records(), kind).toBe(recordsBefore);
      const left = fs.existsSync(exportDir()) ? fs.readdirSync(exportDir()) : [];
      expect(
        left.filter((f) => f.includes(fileName)),
        kind,
      ).toEqual([]);
    }
    // With nothing refused, the same batch goes out whole.
    const sent = await t.call(s.collections_agent, 'batches.send', {
      agencyId: agency,
      currency: 'NOK',
      format: 'csv',
      fileName: 'nok.csv',
    });
    expect(sent.batch?.accountCount).toBe(count);
    expect((await t.call(s.compliance_officer, 'disclosures.verify', {})).ok).toBe(true);
  });

  it('never places an account whose standing changed between preview and send', async () => {
    const a = await account('bad_standing', 4_000, { currency: 'JPY' });
    const b = await account('bad_standing', 4_000, { currency: 'JPY' });
    expect(
      (await t.call(s.collections_agent, 'batches.preview', { agencyId: agency, currency: 'JPY' }))
        .count,
    ).toBe(2);
    await t.call(s.billing_specialist, 'standing.transition', {
      accountId: b.id,
      to: 'good',
      reason: 'payment_received',
    });
    const sent = await t.call(s.collections_agent, 'batches.send', {
      agencyId: agency,
      currency: 'JPY',
      format: 'json',
      fileName: 'jpy.json',
    });
    expect(sent.batch?.accountCount).toBe(1);
    const json = JSON.parse(fs.readFileSync(path.join(exportDir(), 'jpy.json'), 'utf8')) as {
      accountNumber: string;
    }[];
    expect(json.map((r) => r.accountNumber)).toEqual([a.accountNumber]);
    expect(await standingOf(b.id)).toBe('good');
  });

  it('the export and the standing change commit together or not at all', async () => {
    const a = await account('bad_standing', 4_000, { currency: 'CHF' });
    const before = await t.backend.services.db('disclosure_log').count({ n: '*' }).first();
    // The placement file name is taken: the export fails, and nothing else may have happened.
    fs.mkdirSync(exportDir(), { recursive: true });
    fs.writeFileSync(path.join(exportDir(), 'taken.csv'), 'x');
    const err = await t.fail(s.collections_agent, 'batches.send', {
      agencyId: agency,
      currency: 'CHF',
      format: 'csv',
      fileName: 'taken.csv',
    });
    expect(err.fieldErrors?.fileName).toMatch(/Already exists/);
    expect(await standingOf(a.id)).toBe('bad_standing');
    expect(await t.backend.services.db('collection_batches').where({ currency: 'CHF' })).toEqual(
      [],
    );
    const after = await t.backend.services.db('disclosure_log').count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(Number(before!.n));
    // A failure inside the transaction, after the record: simulated by a batch to a non-agency.
    expect(
      (
        await t.fail(s.collections_agent, 'batches.send', {
          agencyId: bank,
          currency: 'CHF',
          format: 'csv',
          fileName: 'bank.csv',
        })
      ).code,
    ).toBe('VALIDATION');
    expect(fs.existsSync(path.join(exportDir(), 'bank.csv'))).toBe(false);
  });

  it('dashboard: counts and totals by standing, batches this month by agency, for roles that see balances', async () => {
    const d = await t.call(s.billing_specialist, 'dashboard.summary', {});
    const usdBad = d.byStanding.find((r) => r.standing === 'bad_standing' && r.currency === 'USD');
    const [row] = await t.backend.services
      .db('accounts')
      .where({ standing: 'bad_standing', currency: 'USD' })
      .select(t.backend.services.db.raw('count(*) as n, sum(balance_cents) as total'));
    expect(usdBad).toMatchObject({ count: Number(row.n), totalCents: Number(row.total) });
    expect(d.batchesThisMonth.find((b) => b.currency === 'GBP')).toMatchObject({
      agency: 'Acme Collections',
      batches: 1,
      accounts: 2,
      totalCents: 50_000,
    });
    await t.call(s.administrator, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'balanceCents', access: 'hidden' }],
      reason: 'Support no longer needs balances.',
    });
    expect((await t.fail(s.support_agent, 'dashboard.summary', {})).code).toBe('FORBIDDEN');
  });
});

describe('details a screen relies on', () => {
  it('a transition answers with who made it and when; bulk progress counts each account; missing accounts are named', async () => {
    const a = await account('good', 100);
    const ev = await t.call(s.billing_specialist, 'standing.transition', {
      accountId: a.id,
      to: 'past_due',
      reason: 'missed_payment',
    });
    expect(ev.by).toBe('billing_specialist user');
    expect(ev.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const gone = '0193a6d2-0000-7000-8000-00000000dead';
    const preview = await t.call(s.billing_specialist, 'standing.bulkPreview', {
      selection: { accountIds: [a.id, gone] },
      to: 'bad_standing',
    });
    expect(preview).toMatchObject({ selected: 2, changing: 1, refused: 1 });
    expect(preview.reasons[0]).toBe('1 of the selected accounts no longer exist');
  });

  it('the held count in a batch preview follows the same filters', async () => {
    const held = await account('bad_standing', 100, { currency: 'SEK', region: 'Skane' });
    await account('bad_standing', 100, { currency: 'SEK', region: 'Norrland' });
    await t.call(s.collections_agent, 'holds.set', {
      accountId: held.id,
      kind: 'attorney_represented',
      since: '2026-01-01',
      note: 'Letter from counsel',
    });
    const other = await t.call(s.collections_agent, 'batches.preview', {
      agencyId: agency,
      currency: 'SEK',
      region: 'Norrland',
    });
    expect(other).toMatchObject({ count: 1, excludedByHolds: 0 });
    const same = await t.call(s.collections_agent, 'batches.preview', {
      agencyId: agency,
      currency: 'SEK',
      region: 'Skane',
    });
    expect(same).toMatchObject({ count: 0, excludedByHolds: 1 });
  });
});

/** Rows of a table that name one of these accounts (in slices: SQLite's bound-value limit). */
async function whereIdsIn(query: Knex.QueryBuilder, ids: readonly string[]) {
  const rows: unknown[] = [];
  for (let i = 0; i < ids.length; i += 500)
    rows.push(...(await query.clone().whereIn('account_id', ids.slice(i, i + 500))));
  return rows;
}

/**
 * Makes the database refuse one account's part of a batch, by a trigger on either engine:
 * `skip-update` leaves the account's standing as it was (its update changes no row), and
 * `refuse-placement` fails the insert of its placement. Answers what drops the trigger again.
 */
async function refuseInDatabase(
  t: TestBackend,
  kind: 'skip-update' | 'refuse-placement',
  accountId: string,
): Promise<() => Promise<void>> {
  const id = accountId.replace(/'/g, "''");
  const [table, when] =
    kind === 'skip-update'
      ? ['accounts', 'BEFORE UPDATE OF standing']
      : ['collection_placements', 'BEFORE INSERT'];
  const column = kind === 'skip-update' ? 'OLD.id' : 'NEW.account_id';
  if (t.engine === 'sqlite') {
    const db = t.backend.services.db;
    const action = kind === 'skip-update' ? 'RAISE(IGNORE)' : "RAISE(ABORT, 'test: refused')";
    await db.raw(
      `CREATE TRIGGER test_refuse ${when} ON ${table} WHEN ${column} = '${id}' BEGIN SELECT ${action}; END`,
    );
    return async () => void (await db.raw('DROP TRIGGER test_refuse'));
  }
  // As the tables' owner: through a team server the backend's own role may not add triggers.
  const owner = connect(t.database);
  const action = kind === 'skip-update' ? 'RETURN NULL' : "RAISE EXCEPTION 'test: refused'";
  try {
    await owner.raw(
      `CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${column} = '${id}' THEN ${action}; END IF; RETURN NEW; END $$`,
    );
    await owner.raw(
      `CREATE TRIGGER test_refuse ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION test_refuse()`,
    );
  } catch (err) {
    await owner.destroy();
    throw err;
  }
  return async () => {
    try {
      await owner.raw(`DROP TRIGGER test_refuse ON ${table}`);
      await owner.raw('DROP FUNCTION test_refuse()');
    } finally {
      await owner.destroy();
    }
  };
}
