/**
 * Full card numbers never get into the database (issue 12 §1, DESIGN.md section 3): every
 * free-text field of every channel and of the import refuses a card number written as people
 * paste it, nothing is written, and the refusal never echoes it. Card numbers already stored
 * (before the check read text as a payment-data scanner does) are reported by migration 0010
 * as findings (table, column, row), never with the value or its digits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CARD_SCAN_TARGETS,
  countOpenFindings,
  listFindings,
  recheckFindings,
} from '../../main/db/card-data';
import { migrationSource } from '../../main/db/migrations';
import { ImportFileError, validateImportFile } from '../../main/services/import/service';
import type { Session } from '../../main/services/session';
import { seedAccounts } from '../../main/services/seed';
import { SYNC_SEQ_COUNTER, up as makeFeed } from '../../main/db/migrations/0019_sync_feed';
import { FIELDS } from '../../shared/catalogue';
import { CARD_NUMBER_MESSAGE } from '../../shared/rules';
import type { Channel, Input } from '../../shared/contract';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { databaseBefore } from '../support/migrate-before';
import { signedInAs } from '../support/staff';

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const arabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** Card numbers as people paste them, one per brand and form. */
const PASTED = [
  '4111 1111 1111 1111 12/27',
  'Card 5555.5555.5555.4444 exp 08/29 cvv 123',
  fullWidth('3782 822463 10005'),
  arabicIndic('6011111111111117'),
  '2223\u200b0031\u200c2200\u200d3222',
  '3530\u20601113\ufeff3330\u00ad0000',
  '3056_9309_0259_04',
  '4111\t1111  1111/1111 123',
  'Customer read out 6200\u00a00000\u00a00000\u00a00005 on the phone',
];
/** The digits of every pasted card: none may appear in a refusal, a finding or a log. */
const DIGITS = [
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '2223003122003222',
  '3530111333300000',
  '30569309025904',
  '6200000000000005',
];
/** Card numbers in file names, which allow only ASCII letters, digits and . _ ( ) - and spaces. */
const FILE_NAMES = [
  '4111 1111 1111 1111.csv',
  '5555.5555.5555.4444.csv',
  '4111_1111_1111_1111 12-27.csv',
  '3782 822463 10005 (123).csv',
];
const NOT_A_CARD = 'Order 112-3456789-0123456, invoice INV-2024-000123456789, +49 151 2345 6787';

const prov = { source: 'phone', date: '2026-01-02' } as const;

let t: TestBackend;
const s = {} as Record<
  'admin' | 'support' | 'billing' | 'collections' | 'compliance' | 'compliance2',
  Session
>;
let fx: ReturnType<typeof fixtureWriter>;
let agency: string;
let court: string;

beforeAll(async () => {
  t = await openTestBackend();
  s.admin = t.backend.openSession();
  await t.call(s.admin, 'setup.createFirstAdmin', ADMIN);
  s.support = await signedInAs(t, 'support_agent', 'sam');
  s.billing = await signedInAs(t, 'billing_specialist', 'bill');
  s.collections = await signedInAs(t, 'collections_agent', 'carl');
  s.compliance = await signedInAs(t, 'compliance_officer', 'cora');
  s.compliance2 = await signedInAs(t, 'compliance_officer', 'cole');
  fx = fixtureWriter(t, (await t.call(s.admin, 'staff.list', {}))[0]!.id);
  agency = (
    await t.call(s.compliance, 'recipients.create', {
      name: 'Acme Collections',
      type: 'collection_agency',
      contact: '9 Debt Lane, Springfield',
    })
  ).id;
  court = (
    await t.call(s.compliance, 'recipients.create', {
      name: 'District Court',
      type: 'court_or_person',
      contact: '1 Court Square, Springfield',
    })
  ).id;
});
afterAll(async () => t?.close());

const db = () => t.backend.services.db;

/** Every table a refused call could have written to, with its row count. */
const WRITTEN = [
  'accounts',
  'account_provenance',
  'account_changes',
  'account_holds',
  'hold_events',
  'standing_events',
  'recipients',
  'recipient_events',
  'disclosure_requests',
  'disclosure_approvals',
  'disclosure_log',
  'collection_batches',
  'field_access_overrides',
  'field_access_changes',
  'staff',
  'staff_events',
];
async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of WRITTEN) {
    out[table] = Number(((await db()(table).count({ n: '*' }).first()) as { n: unknown }).n);
  }
  out.notes = await db()('accounts').orderBy('id').select('support_notes', 'version');
  out.batches = await db()('collection_batches').orderBy('id').select('status', 'recall_reason');
  out.recipients = await db()('recipients').orderBy('id').select('contact', 'version');
  return out;
}

/**
 * Calls the channel once per pasted card (`input` builds the call around it) and expects each
 * call refused as VALIDATION with the card message, nothing written, and no digit of the card
 * in the answer.
 */
async function expectRefused<C extends Channel>(
  session: Session,
  channel: C,
  input: (card: string) => Input<C>,
  forms: readonly string[] = PASTED,
): Promise<void> {
  const before = await snapshot();
  for (const card of forms) {
    const r = await t.backend.invoke(session, channel, input(card));
    expect(r.ok, `${channel} admitted ${JSON.stringify(card)}`).toBe(false);
    if (r.ok) continue;
    expect(r.error.code, channel).toBe('VALIDATION');
    const said = JSON.stringify(r.error);
    expect(said, channel).toContain(CARD_NUMBER_MESSAGE);
    for (const digits of DIGITS) expect(said).not.toContain(digits.slice(4, 12));
  }
  expect(await snapshot(), `${channel} wrote something`).toEqual(before);
}

describe('every channel refuses a pasted card number and writes nothing', () => {
  it('accounts.create: support notes, names, address, email, fraud notes', async () => {
    const fields = { firstName: 'Ann', lastName: 'Lee' };
    await expectRefused(s.support, 'accounts.create', (card) => ({
      fields: { ...fields, supportNotes: card },
      provenance: prov,
    }));
    await expectRefused(s.support, 'accounts.create', (card) => ({
      fields: { ...fields, lastName: card },
      provenance: prov,
    }));
    await expectRefused(s.support, 'accounts.create', (card) => ({
      fields: { ...fields, addressLine1: card },
      provenance: prov,
    }));
    await expectRefused(s.support, 'accounts.create', (card) => ({
      fields: { ...fields, email: `${card.trim().replace(/\s+/g, '.')}@example.com` },
      provenance: prov,
    }));
    // What is not a card is written, so the refusals above are the card check's.
    const ok = await t.call(s.support, 'accounts.create', {
      fields: { ...fields, supportNotes: NOT_A_CARD },
      provenance: prov,
    });
    expect(ok.fields.supportNotes).toBe(NOT_A_CARD);
  });

  it('accounts.update: support notes', async () => {
    const a = await t.call(s.support, 'accounts.create', {
      fields: { firstName: 'Bo', lastName: 'Ng' },
      provenance: prov,
    });
    await expectRefused(s.support, 'accounts.update', (card) => ({
      id: a.id,
      version: a.version,
      changes: { supportNotes: card },
      provenance: prov,
    }));
    const ok = await t.call(s.support, 'accounts.update', {
      id: a.id,
      version: a.version,
      changes: { supportNotes: NOT_A_CARD },
      provenance: prov,
    });
    expect(ok.fields.supportNotes).toBe(NOT_A_CARD);
  });

  it('holds.set and holds.clear: the note', async () => {
    const a = await fx.create({ lastName: 'Held', standing: 'bad_standing', balanceCents: 500 });
    await expectRefused(s.billing, 'holds.set', (card) => ({
      accountId: a.id,
      kind: 'bankruptcy',
      since: '2026-01-05',
      note: card,
    }));
    await t.call(s.billing, 'holds.set', {
      accountId: a.id,
      kind: 'bankruptcy',
      since: '2026-01-05',
      note: NOT_A_CARD,
    });
    await expectRefused(s.billing, 'holds.clear', (card) => ({
      accountId: a.id,
      kind: 'bankruptcy',
      note: card,
    }));
  });

  it('recipients.create and recipients.update: name, contact, reference', async () => {
    const base = {
      name: 'First Bank',
      type: 'financial_institution',
      contact: '1 Bank St',
    } as const;
    await expectRefused(s.compliance, 'recipients.create', (card) => ({ ...base, contact: card }));
    await expectRefused(s.compliance, 'recipients.create', (card) => ({ ...base, name: card }));
    await expectRefused(s.compliance, 'recipients.create', (card) => ({
      ...base,
      reference: card,
    }));
    const r = await t.call(s.compliance, 'recipients.create', { ...base, reference: NOT_A_CARD });
    await expectRefused(s.compliance, 'recipients.update', (card) => ({
      id: r.id,
      version: r.version,
      contact: `Call ${card}`,
    }));
  });

  it('disclosures.request: the justification and the legal instrument never reach the log', async () => {
    const a = await fx.create({ lastName: 'Named' });
    const request = {
      accountIds: [a.id],
      fields: ['lastName' as const],
      format: 'csv' as const,
      fileName: 'disclosure.csv',
    };
    const legal = {
      instrumentType: 'subpoena',
      reference: 'SUB-2026-0042',
      authority: 'District Court of Springfield',
      date: '2026-11-01',
    } as const;
    await expectRefused(s.compliance, 'disclosures.request', (card) => ({
      ...request,
      recipientId: court,
      purpose: 'exigent_circumstances',
      justification: `Imminent danger; the caller gave ${card}`,
    }));
    await expectRefused(s.compliance, 'disclosures.request', (card) => ({
      ...request,
      recipientId: court,
      purpose: 'legal_process',
      legal: { ...legal, reference: card },
    }));
    await expectRefused(s.compliance, 'disclosures.request', (card) => ({
      ...request,
      recipientId: court,
      purpose: 'legal_process',
      legal: { ...legal, authority: `Court ${card}` },
    }));
    await expectRefused(
      s.compliance,
      'disclosures.request',
      (fileName) => ({
        ...request,
        recipientId: court,
        purpose: 'legal_process',
        legal,
        fileName,
      }),
      FILE_NAMES,
    );
    // A long reference that is not a card is admitted, and recorded.
    const out = await t.call(s.compliance, 'disclosures.request', {
      ...request,
      recipientId: court,
      purpose: 'legal_process',
      legal: { ...legal, reference: 'SUB-2026-000123456789-0001' },
    });
    expect(out.status).toBe('completed');
  });

  it('standing.transition and standing.bulkMark: the note', async () => {
    const a = await fx.create({ lastName: 'Owes', standing: 'good', balanceCents: 5_000 });
    await expectRefused(s.billing, 'standing.transition', (card) => ({
      accountId: a.id,
      to: 'past_due',
      reason: 'missed_payment',
      note: card,
    }));
    await expectRefused(s.billing, 'standing.bulkMark', (card) => ({
      selection: { accountIds: [a.id] },
      to: 'past_due',
      reason: 'missed_payment',
      note: card,
    }));
    await t.call(s.billing, 'standing.transition', {
      accountId: a.id,
      to: 'past_due',
      reason: 'missed_payment',
      note: NOT_A_CARD,
    });
  });

  it('batches.recall: the reason; batches.send: the file name', async () => {
    await fx.create({
      lastName: 'Placed',
      standing: 'bad_standing',
      balanceCents: 9_000,
      currency: 'CHF',
    });
    await expectRefused(
      s.collections,
      'batches.send',
      (fileName) => ({ agencyId: agency, currency: 'CHF', format: 'csv', fileName }),
      FILE_NAMES,
    );
    const sent = await t.call(s.collections, 'batches.send', {
      agencyId: agency,
      currency: 'CHF',
      format: 'csv',
      fileName: 'batch-chf.csv',
    });
    await expectRefused(s.collections, 'batches.recall', (card) => ({
      batchId: sent.batch!.id,
      reason: card,
    }));
  });

  it('visibility.update: the reason; staff: display name and username', async () => {
    await expectRefused(s.admin, 'visibility.update', (card) => ({
      changes: [{ role: 'support_agent', field: 'taxId', access: 'hidden' }],
      reason: `Ticket ${card}`,
    }));
    await expectRefused(s.admin, 'staff.create', (card) => ({
      username: 'newbie',
      displayName: card,
      role: 'support_agent',
      temporaryPassword: 'temporary password 1',
    }));
    await expectRefused(s.admin, 'staff.create', () => ({
      username: '4111.1111.1111.1111',
      displayName: 'New Bie',
      role: 'support_agent',
      temporaryPassword: 'temporary password 1',
    }));
  });
});

describe('import refuses a file with a card number in any text cell', () => {
  it('names line, field and reason, never the value', async () => {
    const rows = PASTED.map((card, i) => {
      const cells = ['Ann', `Lee${i}`, '', ''];
      cells[i % 2 === 0 ? 2 : 3] = card;
      return cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    });
    const file = path.join(t.dir, 'cards.csv');
    fs.writeFileSync(
      file,
      ['firstName,lastName,supportNotes,addressLine1', ...rows, `Bo,Ng,"${NOT_A_CARD}",`].join(
        '\n',
      ),
    );
    const report = await validateImportFile(file);
    expect(report).toMatchObject({ rowsTotal: PASTED.length + 1, rowsValid: 1 });
    expect(report.problems).toEqual(
      PASTED.map((_card, i) => ({
        line: i + 2,
        field: i % 2 === 0 ? 'supportNotes' : 'addressLine1',
        reason: CARD_NUMBER_MESSAGE,
      })),
    );
    const said = JSON.stringify(report);
    for (const digits of DIGITS) expect(said).not.toContain(digits.slice(4, 12));
  });

  it('refuses a file whose name holds a card number, without repeating it', async () => {
    const file = path.join(t.dir, '4111 1111 1111 1111.csv');
    fs.writeFileSync(file, 'firstName,lastName\nAnn,Lee\n');
    const err = await validateImportFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as Error).message).toMatch(/file's name looks like it holds a full payment card/);
    expect((err as Error).message).not.toMatch(/1111/);
  });
});

describe('app.status tells administrators how many card numbers wait to be redacted', () => {
  it('counts open findings for an administrator only', async () => {
    await db()('card_data_findings').insert({
      table_name: 'accounts',
      column_name: 'support_notes',
      row_id: '00000000-0000-7000-8000-000000000001',
      append_only: false,
      found_at: '2026-01-01T00:00:00.000Z',
    });
    try {
      const forAdmin = await t.call(s.admin, 'app.status', {});
      expect(forAdmin.cardDataFindings).toBe(1);
      for (const who of [s.support, s.compliance, t.backend.openSession()]) {
        expect(await t.call(who, 'app.status', {})).not.toHaveProperty('cardDataFindings');
      }
      // Nor a locked console, until the administrator unlocks it.
      await t.call(s.admin, 'auth.lock', {});
      expect(await t.call(s.admin, 'app.status', {})).not.toHaveProperty('cardDataFindings');
      await t.call(s.admin, 'auth.unlock', { password: ADMIN.password });
      expect((await t.call(s.admin, 'app.status', {})).cardDataFindings).toBe(1);
    } finally {
      await db()('card_data_findings').del();
    }
  });
});

describe('migration 0010 reports card numbers already stored', () => {
  it('covers every text column of the account catalogue', () => {
    const accounts = CARD_SCAN_TARGETS.find((x) => x.table === 'accounts')!;
    const text = FIELDS.filter((f) => f.type === 'text' || f.type === 'longtext').map(
      (f) => f.column,
    );
    expect([...accounts.columns].sort()).toEqual([...text].sort());
  });

  it('records table, column and row of each, never the value, and resolves redacted ones', async () => {
    const before = await databaseBefore('0010', t.dir);
    const d = before.db;
    try {
      // This release's seeder also writes the change feed (migration 0019), which a database from
      // before 0011 does not have: it is lent for the seeding and taken away again, so that the
      // migrations below make it as they would on such a database.
      await makeFeed(d);
      await seedAccounts(d, { count: 2_500, seed: 10 });
      await d.schema.dropTable('sync_feed');
      await d('counters').where({ name: SYNC_SEQ_COUNTER }).del();
      const ids = (await d('accounts').orderBy('id').select('id')).map((r) => String(r.id));
      const [a1, a2, a3, a4] = [ids[0]!, ids[1]!, ids[2_222]!, ids[2_499]!];
      const now = '2026-01-01T00:00:00.000Z';
      // Planted raw, as if typed before the check read cards this way.
      await d('accounts').where({ id: a1 }).update({ support_notes: PASTED[0] });
      await d('accounts').where({ id: a2 }).update({ fraud_notes: PASTED[2], city: PASTED[3] });
      await d('accounts').where({ id: a3 }).update({ address_line1: PASTED[4] });
      // A phone written with + is a phone; without it, a card.
      await d('accounts').where({ id: a4 }).update({ phone: '+3782 822463 10005' });
      await d('accounts').where({ id: ids[5]! }).update({ phone: '3782 822463 10005' });
      // Long references that are not cards are not findings.
      await d('accounts').where({ id: ids[6]! }).update({ support_notes: NOT_A_CARD });
      const staffId = '01900000-0000-7000-8000-000000000001';
      await d('staff').insert({
        id: staffId,
        username: 'old',
        display_name: PASTED[7],
        role: 'support_agent',
        password_hash: 'x',
        created_at: now,
        updated_at: now,
      });
      await d('account_holds').insert({
        account_id: a1,
        kind: 'deceased',
        since: '2025-01-01',
        note: PASTED[1],
        set_by: staffId,
        set_at: now,
      });
      const recipientId = '01900000-0000-7000-8000-000000000002';
      await d('recipients').insert({
        id: recipientId,
        name: 'Old Bank',
        type: 'financial_institution',
        contact: PASTED[5],
        reference: PASTED[6],
        created_at: now,
        updated_at: now,
      });
      const requestId = '01900000-0000-7000-8000-000000000003';
      await d('disclosure_requests').insert({
        id: requestId,
        requester_id: staffId,
        recipient_id: recipientId,
        purpose: 'exigent_circumstances',
        account_ids: JSON.stringify([a1]),
        fields: JSON.stringify(['lastName']),
        format: 'csv',
        justification: PASTED[8],
        status: 'pending',
        created_at: now,
        updated_at: now,
      });
      const eventId = '01900000-0000-7000-8000-000000000004';
      await d('standing_events').insert({
        id: eventId,
        account_id: a2,
        from_standing: 'good',
        to_standing: 'past_due',
        reason: 'other',
        note: PASTED[0],
        balance_cents: 5_000,
        days_past_due: 31,
        staff_id: staffId,
        at: now,
      });

      const output: string[] = [];
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => {
        const orig = console[m];
        console[m] = (...args: unknown[]) => void output.push(args.map(String).join(' '));
        return () => (console[m] = orig);
      });
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        await d.migrate.up({ migrationSource }); // 0010
      } finally {
        process.stdout.write = write;
        for (const restore of spies) restore();
      }
      const [done] = (await d.migrate.list({ migrationSource })) as [{ name: string }[] | string[]];
      expect(done.map((m) => (typeof m === 'string' ? m : m.name))).toContain(
        '0010_card_data_findings',
      );

      const findings = await listFindings(d);
      const named = findings.map((f) => `${f.table}.${f.column} ${f.rowId}`).sort();
      expect(named).toEqual(
        [
          `accounts.support_notes ${a1}`,
          `accounts.fraud_notes ${a2}`,
          `accounts.city ${a2}`,
          `accounts.address_line1 ${a3}`,
          `accounts.phone ${ids[5]}`,
          `staff.display_name ${staffId}`,
          `account_holds.note ${a1}/deceased`,
          `recipients.contact ${recipientId}`,
          `recipients.reference ${recipientId}`,
          `disclosure_requests.justification ${requestId}`,
          `standing_events.note ${eventId}`,
        ].sort(),
      );
      expect(findings.find((f) => f.table === 'standing_events')!.appendOnly).toBe(true);
      expect(findings.find((f) => f.table === 'accounts')!.appendOnly).toBe(false);

      // Nothing of any card in the findings table, in any column, nor in the output.
      const stored = JSON.stringify(await d('card_data_findings').select('*'));
      const printed = output.join('\n');
      for (const digits of DIGITS) {
        expect(stored).not.toContain(digits.slice(0, 8));
        expect(printed).not.toContain(digits.slice(0, 8));
      }
      expect(Object.keys((await d('card_data_findings').first())!).sort()).toEqual([
        'append_only',
        'column_name',
        'found_at',
        'id',
        'resolved_at',
        'row_id',
        'table_name',
      ]);

      // An administrator redacts two; the re-check resolves exactly those.
      expect(await countOpenFindings(d)).toBe(11);
      await d('accounts')
        .where({ id: a1 })
        .update({ support_notes: 'Card on file: Visa ending 1111' });
      await d('recipients').where({ id: recipientId }).update({ contact: '1 Bank St' });
      expect(await recheckFindings(d)).toEqual({ resolved: 2, open: 9 });
      expect(await countOpenFindings(d)).toBe(9);
      const resolved = (await listFindings(d, { includeResolved: true })).filter(
        (f) => f.resolvedAt,
      );
      expect(resolved.map((f) => `${f.table}.${f.column}`).sort()).toEqual([
        'accounts.support_notes',
        'recipients.contact',
      ]);
    } finally {
      await before.close();
    }
  }, 120_000);
});
