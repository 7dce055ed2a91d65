import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, appendOnlyRefusal, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';
import { fixtureWriter } from '../support/fixtures';
import type { Session } from '../../main/services/session';
import {
  COLLECTION_FIELDS,
  PURPOSES,
  type Purpose,
  type RecipientType,
} from '../../shared/disclosure';
import type { Input } from '../../shared/contract';

let t: TestBackend;
let admin: Session;
const s = {} as Record<
  'admin' | 'admin2' | 'comp' | 'comp2' | 'coll' | 'fraud' | 'support',
  Session
>;
const acct = {} as Record<
  'good' | 'bad' | 'inColl' | 'pastDue' | 'fraud',
  { id: string; accountNumber: string }
>;
const rcp: Record<RecipientType | 'inactive', string> = {} as never;
let exportDir: string;
let fileNo = 0;
const nextFile = (ext = 'csv') => `out-${++fileNo}.${ext}`;

beforeAll(async () => {
  t = await openTestBackend();
  exportDir = path.join(t.dir, 'exports');
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  s.admin = admin;
  s.admin2 = await signedInAs(t, 'administrator', 'root2');
  s.comp = await signedInAs(t, 'compliance_officer', 'cora');
  s.comp2 = await signedInAs(t, 'compliance_officer', 'cole');
  s.coll = await signedInAs(t, 'collections_agent', 'carl');
  s.fraud = await signedInAs(t, 'fraud_analyst', 'fran');
  s.support = await signedInAs(t, 'support_agent', 'sam');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  acct.good = await fx.create({ lastName: 'Good', email: 'good@example.com' });
  acct.bad = await fx.create({
    lastName: 'Bad',
    standing: 'bad_standing',
    balanceCents: 12_345,
    email: '=HYPERLINK("http://evil")',
    supportNotes: 'secret support note',
  });
  acct.inColl = await fx.create({
    lastName: 'Collected',
    standing: 'in_collection',
    balanceCents: 500,
  });
  acct.pastDue = await fx.create({ lastName: 'Late', standing: 'past_due', balanceCents: 900 });
  acct.fraud = await fx.create({
    lastName: 'Fraudy',
    fraudFlag: 'suspected',
    taxId: '987-65-4321',
  });
  const types: RecipientType[] = [
    'collection_agency',
    'financial_institution',
    'government_agency',
    'court_or_person',
    'acquirer',
  ];
  for (const type of types) {
    rcp[type] = (
      await t.call(s.comp, 'recipients.create', {
        name: `The ${type}`,
        type,
        contact: `1 ${type} Street, Springfield`,
      })
    ).id;
  }
  const inactive = await t.call(s.comp, 'recipients.create', {
    name: 'Gone Agency',
    type: 'collection_agency',
    contact: 'Nowhere',
  });
  rcp.inactive = (
    await t.call(s.comp, 'recipients.update', {
      id: inactive.id,
      version: inactive.version,
      active: false,
    })
  ).id;
});
afterAll(async () => t?.close());

type Req = Input<'disclosures.request'>;
const base = (over: Partial<Req>): Req => ({
  recipientId: rcp.collection_agency,
  purpose: 'debt_collection',
  accountIds: [acct.bad!.id],
  fields: [...COLLECTION_FIELDS],
  format: 'csv',
  fileName: nextFile(),
  ...over,
});
const legal = {
  instrumentType: 'subpoena',
  reference: 'SUB-2026-0042',
  authority: 'District Court of Springfield',
  date: '2026-11-01',
} as const;
const filesIn = () => (fs.existsSync(exportDir) ? fs.readdirSync(exportDir).sort() : []);

describe('the gate, row by row', () => {
  it('debt collection: admitted for bad standing and in collection, to an agency, within the collection set', async () => {
    const out = await t.call(
      s.coll,
      'disclosures.request',
      base({ accountIds: [acct.bad!.id, acct.inColl!.id] }),
    );
    expect(out.status).toBe('completed');
    expect(out.record).toMatchObject({
      purpose: 'debt_collection',
      rowCount: 2,
      recipientName: 'The collection_agency',
      recipientContact: '1 collection_agency Street, Springfield',
    });
    expect(filesIn()).toContain(out.record!.fileName);
  });

  it.each([
    [
      'a good-standing account',
      { accountIds: [acct.good?.id ?? ''] },
      /is in good standing; debt collection disclosures need bad standing/,
    ],
    ['a past-due account', {}, /past due standing/],
    [
      'a field outside the collection set',
      { fields: ['lastName', 'supportNotes'] },
      /limited to the collection field set; remove Support notes/,
    ],
    [
      'a bank as recipient',
      { recipientId: 'financial_institution' },
      /debt collection disclosures go only to a collection agency/,
    ],
    ['a deactivated agency', { recipientId: 'inactive' }, /deactivated/],
  ])('debt collection: refused for %s', async (_name, over, message) => {
    const before = filesIn();
    const o = { ...over } as Partial<Req>;
    if (_name === 'a past-due account') o.accountIds = [acct.pastDue!.id];
    if (_name === 'a good-standing account') o.accountIds = [acct.good!.id];
    if (o.recipientId) o.recipientId = rcp[o.recipientId as RecipientType | 'inactive'];
    const out = await t.call(s.coll, 'disclosures.request', base(o));
    expect(out.status).toBe('refused');
    expect(out.reasons.join(' | ')).toMatch(message);
    expect(out.record?.kind).toBe('refused');
    expect(filesIn()).toEqual(before);
  });

  it('names the account in the refusal', async () => {
    const out = await t.call(s.coll, 'disclosures.request', base({ accountIds: [acct.good!.id] }));
    expect(out.reasons[0]).toBe(
      `account ${acct.good!.accountNumber} is in good standing; debt collection disclosures need bad standing`,
    );
  });

  it('fields the requester may not read are refused', async () => {
    const out = await t.call(
      s.coll,
      'disclosures.request',
      base({
        purpose: 'fraud_prevention',
        recipientId: rcp.financial_institution,
        accountIds: [acct.fraud!.id],
        fields: ['lastName', 'taxId'],
      }),
    );
    expect(out.status).toBe('refused');
    expect(out.reasons.join()).toMatch(/may not read Tax id/);
  });

  it('fraud prevention: admitted to a bank or a government agency when fraud is suspected, refused otherwise', async () => {
    for (const r of [rcp.financial_institution, rcp.government_agency]) {
      const ok = await t.call(
        s.fraud,
        'disclosures.request',
        base({
          purpose: 'fraud_prevention',
          recipientId: r,
          accountIds: [acct.fraud!.id],
          fields: ['lastName', 'taxId', 'fraudFlag'],
        }),
      );
      expect(ok.status).toBe('completed');
    }
    const clean = await t.call(
      s.fraud,
      'disclosures.request',
      base({
        purpose: 'fraud_prevention',
        recipientId: rcp.financial_institution,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
      }),
    );
    expect(clean.reasons.join()).toMatch(
      new RegExp(`${acct.good!.accountNumber} has no suspected or reported fraud`),
    );
    const agency = await t.call(
      s.fraud,
      'disclosures.request',
      base({
        purpose: 'fraud_prevention',
        recipientId: rcp.collection_agency,
        accountIds: [acct.fraud!.id],
        fields: ['lastName'],
      }),
    );
    expect(agency.status).toBe('refused');
  });

  it('legal process: needs the instrument, goes to an agency, court or person, for the named accounts', async () => {
    const ok = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'legal_process',
        recipientId: rcp.court_or_person,
        accountIds: [acct.good!.id],
        fields: ['lastName', 'email'],
        legal,
        format: 'json',
        fileName: nextFile('json'),
      }),
    );
    expect(ok.status).toBe('completed');
    expect(ok.record!.legalBasis).toMatch(
      /Subpoena SUB-2026-0042, issued by District Court of Springfield on 2026-11-01/,
    );
    const json = JSON.parse(fs.readFileSync(path.join(exportDir, ok.record!.fileName!), 'utf8'));
    expect(json).toEqual([{ lastName: 'Good', email: 'good@example.com' }]);
    const none = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'legal_process',
        recipientId: rcp.court_or_person,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
      }),
    );
    expect(none.reasons.join()).toMatch(
      /need the instrument type, reference, issuing authority and date/,
    );
    const future = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'legal_process',
        recipientId: rcp.government_agency,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
        legal: { ...legal, date: '2099-01-01' },
      }),
    );
    expect(future.reasons.join()).toMatch(/cannot be dated in the future/);
    const all = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'legal_process',
        recipientId: rcp.government_agency,
        accountIds: [],
        allAccounts: true,
        fields: ['lastName'],
        legal,
      }),
    );
    expect(all.reasons.join()).toMatch(/limited to named accounts/);
    const acq = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'legal_process',
        recipientId: rcp.acquirer,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
        legal,
      }),
    );
    expect(acq.status).toBe('refused');
  });

  it('exigent circumstances: justification, then a second person with the compliance role, before any file', async () => {
    const noWhy = await t.call(
      s.fraud,
      'disclosures.request',
      base({
        purpose: 'exigent_circumstances',
        recipientId: rcp.government_agency,
        accountIds: [acct.good!.id],
        fields: ['lastName', 'phone'],
      }),
    );
    expect(noWhy.reasons.join()).toMatch(/written justification/);
    const before = filesIn();
    const pending = await t.call(
      s.comp,
      'disclosures.request',
      base({
        purpose: 'exigent_circumstances',
        recipientId: rcp.government_agency,
        accountIds: [acct.good!.id],
        fields: ['lastName', 'phone'],
        justification: 'Credible threat to the customer reported by police, case 77-1.',
      }),
    );
    expect(pending).toMatchObject({ status: 'pending', waitingFor: ['Compliance officer'] });
    expect(filesIn()).toEqual(before);
    const id = pending.requestId!;
    expect(
      (await t.fail(s.comp, 'disclosures.decide', { requestId: id, decision: 'approved' })).message,
    ).toMatch(/your own request/);
    expect(
      (await t.fail(s.fraud, 'disclosures.decide', { requestId: id, decision: 'approved' })).code,
    ).toBe('FORBIDDEN');
    const inbox = await t.call(s.comp2, 'disclosures.inbox', {});
    expect(inbox.find((r) => r.id === id)).toMatchObject({ canDecide: true, status: 'pending' });
    expect(
      (await t.call(s.comp2, 'disclosures.decide', { requestId: id, decision: 'approved' })).status,
    ).toBe('approved');
    expect(
      (await t.fail(s.comp2, 'disclosures.execute', { requestId: id, fileName: nextFile() })).code,
    ).toBe('FORBIDDEN');
    const done = await t.call(s.comp, 'disclosures.execute', {
      requestId: id,
      fileName: nextFile(),
    });
    expect(done.status).toBe('completed');
    expect(done.record!.approvers.map((a) => a.role)).toEqual(['compliance_officer']);
    expect(done.record!.legalBasis).toMatch(/Justification: Credible threat/);
  });

  it('business transfer: all accounts to an acquirer, approved by an administrator and a compliance officer, neither the requester', async () => {
    const p = await t.call(
      s.admin,
      'disclosures.request',
      base({
        purpose: 'business_transfer',
        recipientId: rcp.acquirer,
        accountIds: [],
        allAccounts: true,
        fields: ['accountNumber', 'lastName'],
      }),
    );
    expect(p.status).toBe('pending');
    expect(p.waitingFor.sort()).toEqual(['Administrator', 'Compliance officer']);
    const id = p.requestId!;
    expect(
      (await t.fail(s.admin, 'disclosures.decide', { requestId: id, decision: 'approved' }))
        .message,
    ).toMatch(/own request/);
    expect(
      (await t.call(s.comp, 'disclosures.decide', { requestId: id, decision: 'approved' })).status,
    ).toBe('pending');
    expect(
      (await t.fail(s.comp2, 'disclosures.decide', { requestId: id, decision: 'approved' }))
        .message,
    ).toMatch(/different role/);
    expect(
      (await t.fail(s.admin, 'disclosures.execute', { requestId: id, fileName: nextFile() })).code,
    ).toBe('CONFLICT');
    expect(
      (await t.call(s.admin2, 'disclosures.decide', { requestId: id, decision: 'approved' }))
        .status,
    ).toBe('approved');
    const done = await t.call(s.admin, 'disclosures.execute', {
      requestId: id,
      fileName: nextFile(),
    });
    expect(done.record!.rowCount).toBe(5);
    expect(done.record!.approvers.map((a) => a.name).sort()).toEqual([
      'administrator user',
      'compliance_officer user',
    ]);
    const named = await t.call(
      s.admin,
      'disclosures.request',
      base({
        purpose: 'business_transfer',
        recipientId: rcp.acquirer,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
      }),
    );
    expect(named.reasons.join()).toMatch(/covers all accounts/);
  });

  it('a rejection refuses the request and records it', async () => {
    const p = await t.call(
      s.fraud,
      'disclosures.request',
      base({
        purpose: 'exigent_circumstances',
        recipientId: rcp.government_agency,
        accountIds: [acct.good!.id],
        fields: ['lastName'],
        justification: 'Someone says there is an emergency here.',
      }),
    );
    const r = await t.call(s.comp, 'disclosures.decide', {
      requestId: p.requestId!,
      decision: 'rejected',
      note: 'Not credible.',
    });
    expect(r.status).toBe('rejected');
    const log = await t.call(s.comp, 'disclosures.log', { limit: 1 });
    expect(log.records[0]).toMatchObject({ kind: 'refused', purpose: 'exigent_circumstances' });
  });

  it('every purpose is covered above', () => {
    expect([...PURPOSES].sort()).toEqual(
      (
        [
          'business_transfer',
          'debt_collection',
          'exigent_circumstances',
          'fraud_prevention',
          'legal_process',
        ] as Purpose[]
      ).sort(),
    );
  });
});

describe('the files', () => {
  it('CSV is RFC 4180, neutralises formulas, and parses back to the same (neutralised) values', async () => {
    const payloads = [
      '=1+2',
      '+SUM(A1)',
      '-3+4',
      '@cmd',
      '\tTab',
      '\rCR',
      'a "quoted", text',
      'line\nbreak',
      'plain',
    ];
    const fx = fixtureWriter(t, (await t.call(admin, 'staff.list', {}))[0]!.id);
    const ids: string[] = [];
    for (const p of payloads)
      ids.push(
        (
          await fx.create({
            lastName: 'Inj',
            supportNotes: p,
            standing: 'bad_standing',
            balanceCents: 1,
          })
        ).id,
      );
    const out = await t.call(s.comp, 'exports.accounts', {
      search: 'Inj',
      fields: ['supportNotes'],
      format: 'csv',
      fileName: nextFile(),
    });
    const text = fs.readFileSync(path.join(exportDir, out.fileName!), 'utf8');
    expect(text.split('\r\n')[0]).toBe('supportNotes');
    const rows = parse(text, { columns: true }) as { supportNotes: string }[];
    const expected = payloads.map((p) => (/^[=+\-@\t\r]/.test(p) ? `'${p}` : p));
    expect(rows.map((r) => r.supportNotes).sort()).toEqual(expected.sort());
  });

  it('the record holds the SHA-256 of the file as written', async () => {
    const out = await t.call(s.coll, 'disclosures.request', base({ accountIds: [acct.bad!.id] }));
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(exportDir, out.record!.fileName!)))
      .digest('hex');
    expect(out.record!.sha256).toBe(sha);
    const csv = fs.readFileSync(path.join(exportDir, out.record!.fileName!), 'utf8');
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toContain('secret support note');
  });

  it('never overwrites and never writes outside the export folder', async () => {
    const name = nextFile();
    await t.call(s.coll, 'disclosures.request', base({ fileName: name }));
    const again = await t.fail(s.coll, 'disclosures.request', base({ fileName: name }));
    expect(again.fieldErrors?.fileName).toMatch(/Already exists/);
    for (const bad of ['../escape.csv', '/etc/x.csv', 'sub/dir.csv', 'noext', '..csv']) {
      expect((await t.fail(s.coll, 'disclosures.request', base({ fileName: bad }))).code).toBe(
        'VALIDATION',
      );
    }
  });

  it('internal exports apply field visibility and are logged as internal', async () => {
    const hidden = await t.fail(s.support, 'exports.accounts', {
      fields: ['taxId'],
      format: 'csv',
      fileName: nextFile(),
    });
    expect(hidden.code).toBe('FORBIDDEN');
    const out = await t.call(s.support, 'exports.accounts', {
      search: 'Fraudy',
      fields: ['lastName', 'dateOfBirth', 'paymentLast4'],
      format: 'json',
      fileName: nextFile('json'),
    });
    expect(out.purpose).toBe('internal');
    expect(out.recipientName).toBeNull();
  });
});

describe('accounting of disclosures and the access log', () => {
  it('lists exactly the disclosures that included a customer', async () => {
    const bad = await t.call(s.comp, 'disclosures.accounting', { accountId: acct.bad!.id });
    expect(bad.length).toBeGreaterThan(0);
    expect(
      bad.every((r) => r.purpose === 'debt_collection' || r.purpose === 'business_transfer'),
    ).toBe(true);
    const fraud = await t.call(s.comp, 'disclosures.accounting', { accountId: acct.fraud!.id });
    expect(fraud.map((r) => r.purpose).sort()).toEqual([
      'business_transfer',
      'fraud_prevention',
      'fraud_prevention',
    ]);
    expect(
      (await t.fail(s.support, 'disclosures.accounting', { accountId: acct.bad!.id })).code,
    ).toBe('FORBIDDEN');
    const report = await t.call(s.comp, 'disclosures.accountingReport', {
      accountId: acct.fraud!.id,
      format: 'csv',
      fileName: nextFile(),
    });
    expect(report.rowCount).toBe(3);
  });

  it('records views, searches and exports with workstation facts and never the PII values', async () => {
    await t.call(s.support, 'accounts.list', { search: 'good@exa' });
    await t.call(s.support, 'accounts.get', { id: acct.good!.id });
    const page = await t.call(s.comp, 'accessLog.list', { accountId: acct.good!.id });
    expect(page.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['view_account', 'search']),
    );
    const search = page.entries.find((e) => e.action === 'search')!;
    expect(search).toMatchObject({
      queryKind: 'email',
      screen: 'accounts',
      staff: 'support_agent user (sam)',
    });
    expect(search.hostname).toBeTruthy();
    expect(search.os).toBeTruthy();
    const everything = JSON.stringify(await t.backend.services.db('access_log').select('*'));
    for (const canary of [
      'good@exa',
      'good@example.com',
      '987-65-4321',
      'secret support note',
      'Fraudy',
      'HYPERLINK',
    ]) {
      expect(everything).not.toContain(canary);
    }
    expect((await t.fail(s.support, 'accessLog.list', {})).code).toBe('FORBIDDEN');
    const exported = await t.call(s.comp, 'accessLog.export', {
      format: 'csv',
      fileName: nextFile(),
    });
    expect(exported.rowCount).toBeGreaterThan(3);
  });
});

describe('the tamper-evident log', () => {
  it('every attempt is a record, and the chain verifies', async () => {
    const v = await t.call(s.comp, 'disclosures.verify', {});
    expect(v).toMatchObject({ ok: true, problem: null });
    expect(v.records).toBeGreaterThan(20);
    const refused = await t.backend.services
      .db('disclosure_log')
      .where({ kind: 'refused' })
      .count({ n: '*' });
    expect(Number(refused[0]!.n)).toBeGreaterThanOrEqual(10);
  });

  it('the database refuses UPDATE and DELETE on records', async () => {
    const db = t.backend.services.db;
    await expect(db('disclosure_log').where({ seq: 1 }).update({ purpose: 'x' })).rejects.toThrow(
      appendOnlyRefusal,
    );
    await expect(db('disclosure_log').where({ seq: 1 }).del()).rejects.toThrow(appendOnlyRefusal);
  });
});

describe('access log filters for compliance', () => {
  it('filters by username and by account number, and an unknown one finds nothing', async () => {
    await t.call(s.support, 'accounts.get', { id: acct.bad.id });
    const byUser = await t.call(s.comp, 'accessLog.list', { username: 'SAM' });
    expect(byUser.entries.length).toBeGreaterThan(0);
    expect(byUser.entries.every((e) => e.username === 'sam')).toBe(true);
    const byNumber = await t.call(s.comp, 'accessLog.list', {
      accountNumber: acct.bad.accountNumber.toLowerCase(),
    });
    expect(
      byNumber.entries.some(
        (e) => e.action === 'view_account' && e.recordIds.includes(acct.bad.id),
      ),
    ).toBe(true);
    expect((await t.call(s.comp, 'accessLog.list', { username: 'nobody' })).entries).toEqual([]);
    expect((await t.call(s.comp, 'accessLog.list', { accountNumber: 'C-9' })).entries).toEqual([]);
  });

  it('keeps every refusal reason on its own line in the record', async () => {
    const out = await t.call(
      s.coll,
      'disclosures.request',
      base({ accountIds: [acct.good.id, acct.pastDue.id] }),
    );
    expect(out.record?.refusal?.split('\n')).toEqual(out.reasons);
    expect(out.reasons).toHaveLength(2);
  });
});
