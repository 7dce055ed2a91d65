/**
 * A customer's accounting of disclosures as a PDF (issue 17): written through the export
 * writer's rules (a file in the export folder with its record in the disclosure log and an
 * access-log entry), holding exactly the records the accounting shows and no field the role
 * may not see. The PDF is read back with pdf.js.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../main/services/session';
import { COLLECTION_FIELDS } from '../../shared/disclosure';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { pdfPages } from '../support/pdf-text';
import { signedInAs } from '../support/staff';

let t: TestBackend;
let admin: Session;
let comp: Session;
let fraud: Session;
let coll: Session;
let customer: { id: string; accountNumber: string };
let other: { id: string; accountNumber: string };
const agencies: string[] = [];

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  comp = await signedInAs(t, 'compliance_officer', 'cora');
  fraud = await signedInAs(t, 'fraud_analyst', 'fran');
  coll = await signedInAs(t, 'collections_agent', 'carl');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  customer = await fx.create({
    firstName: 'Zoë',
    lastName: 'Quarrington',
    addressLine1: '12 Qzcanary Lane',
    city: 'Qzhiddencity',
    postalCode: '02139',
    country: 'US',
    taxId: '987-65-4321',
    fraudFlag: 'suspected',
    standing: 'bad_standing',
    balanceCents: 4200,
  });
  other = await fx.create({ lastName: 'Otherperson', standing: 'bad_standing' });
  for (const [name, type] of [
    ['First Savings Bank', 'financial_institution'],
    ['Acme Collections', 'collection_agency'],
  ] as const) {
    const r = await t.call(comp, 'recipients.create', {
      name,
      type,
      contact: `${name}, 1 Main Street, Springfield`,
    });
    agencies.push(r.id);
  }
  // Numbered, not random: a random fraction's digits can pass for a card number and be refused.
  let files = 0;
  const request = (s: Session, body: object) =>
    t.call(s, 'disclosures.request', {
      format: 'csv',
      fileName: `d-${++files}.csv`,
      ...body,
    } as never);
  await request(fraud, {
    recipientId: agencies[0],
    purpose: 'fraud_prevention',
    accountIds: [customer.id],
    fields: ['lastName', 'taxId', 'fraudFlag'],
  });
  await request(coll, {
    recipientId: agencies[1],
    purpose: 'debt_collection',
    accountIds: [customer.id],
    fields: [...COLLECTION_FIELDS],
  });
  // Not this customer's: never in their accounting.
  await request(coll, {
    recipientId: agencies[1],
    purpose: 'debt_collection',
    accountIds: [other.id],
    fields: ['lastName'],
  });
});
afterAll(async () => t?.close());

const exportDir = () => path.join(t.dir, 'exports');

describe('the accounting of disclosures as a PDF', () => {
  it('holds exactly the records the accounting shows, and is recorded and logged', async () => {
    const accounting = await t.call(comp, 'disclosures.accounting', { accountId: customer.id });
    expect(accounting).toHaveLength(2);
    const record = await t.call(comp, 'disclosures.accountingPdf', {
      accountId: customer.id,
      fileName: 'accounting-quarrington.pdf',
    });
    expect(record).toMatchObject({ purpose: 'internal', format: 'pdf', rowCount: 2 });
    const file = path.join(exportDir(), 'accounting-quarrington.pdf');
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfPages(file)).join(' ');

    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain(`Account: ${customer.accountNumber}`);
    // The standard fonts print Latin-1: the diaeresis survives.
    expect(text).toContain('Name: Zoë Quarrington');
    expect(text).toContain('Address: 12 Qzcanary Lane, Qzhiddencity, 02139, US');
    for (const r of accounting) {
      expect(text).toContain(`Recipient: ${r.recipientName}`);
      expect(text).toContain(`Recipient address: ${r.recipientContact}`);
      expect(text).toContain(`Legal basis: ${r.legalBasis}`);
      expect(text).toContain(`Date and time (UTC): ${r.recordedAt.replace('T', ' ').slice(0, 19)}`);
    }
    expect(text).toContain('Purpose: Fraud prevention');
    expect(text).toContain('Purpose: Debt collection');
    expect(text).toContain('Information disclosed: Last name, Tax id, Fraud flag');
    // Exactly those: numbered 1 and 2, no third, and nothing of the other customer's.
    expect(text).toMatch(/\b2\. \d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/\b3\. \d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain('Otherperson');
    // The customer's tax id (masked for compliance) is never printed, nor their other values.
    expect(text).not.toContain('987-65-4321');
    expect(text).not.toContain('4321');
    expect(text).toMatch(/Page 1 of \d/);

    // The export writer's rules: no temporary file left, a record in the log, an access entry.
    expect(fs.readdirSync(exportDir()).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const log = await t.call(comp, 'disclosures.log', { purpose: 'internal' });
    expect(log.records.find((r) => r.fileName === 'accounting-quarrington.pdf')).toMatchObject({
      accountIds: [customer.id],
      format: 'pdf',
    });
    const entries = await t.call(comp, 'accessLog.list', { accountId: customer.id });
    expect(entries.entries.map((e) => [e.action, e.screen])).toContainEqual([
      'export',
      'accounts.disclosures.report',
    ]);
  });

  it('names the customer only with fields the role may see', async () => {
    await t.call(admin, 'visibility.update', {
      changes: [
        { role: 'compliance_officer', field: 'city', access: 'hidden' },
        { role: 'compliance_officer', field: 'firstName', access: 'masked' },
      ],
      reason: 'Compliance needs no city for this test.',
    });
    await t.call(comp, 'disclosures.accountingPdf', {
      accountId: customer.id,
      fileName: 'accounting-hidden.pdf',
    });
    const text = (await pdfPages(path.join(exportDir(), 'accounting-hidden.pdf'))).join(' ');
    expect(text).not.toContain('Qzhiddencity');
    expect(text).not.toContain('Zoë');
    expect(text).toContain('Address: 12 Qzcanary Lane, 02139, US');
    expect(text).toMatch(/Name: Z\S* Quarrington/);
  });

  it('is for compliance only, takes a .pdf name, and never overwrites a file', async () => {
    const refused = await t.fail(fraud, 'disclosures.accountingPdf', {
      accountId: customer.id,
      fileName: 'x.pdf',
    });
    expect(refused.code).toBe('FORBIDDEN');
    const csv = await t.fail(comp, 'disclosures.accountingPdf', {
      accountId: customer.id,
      fileName: 'x.csv',
    });
    expect(csv.fieldErrors?.fileName).toBe('A plain file name ending in .pdf, without folders.');
    const again = await t.fail(comp, 'disclosures.accountingPdf', {
      accountId: customer.id,
      fileName: 'accounting-quarrington.pdf',
    });
    expect(again.message).toMatch(/already exists/);
  });
});
