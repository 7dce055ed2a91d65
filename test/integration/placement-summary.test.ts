/**
 * A collection batch's placement summary as a PDF (issue 17): the agency by name and address,
 * every account the batch placed with the balance placed, each account as the caller's role sees
 * it; written through the export writer and recorded. Read back with pdf.js, on both engines.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../main/services/session';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { pdfPages } from '../support/pdf-text';
import { signedInAs } from '../support/staff';

let t: TestBackend;
let admin: Session;
let agent: Session;
let comp: Session;
let support: Session;
let batchId: string;
const placed: { id: string; accountNumber: string }[] = [];
let outside: { id: string; accountNumber: string };

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  agent = await signedInAs(t, 'collections_agent', 'carl');
  comp = await signedInAs(t, 'compliance_officer', 'cora');
  support = await signedInAs(t, 'support_agent', 'sam');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  for (const [lastName, cents] of [
    ['Placedone', 123_456],
    ['Placedtwo', 500],
  ] as const) {
    placed.push(
      await fx.create({
        firstName: 'Qzfirst',
        lastName,
        standing: 'bad_standing',
        balanceCents: cents,
        currency: 'EUR',
        supportNotes: 'Qzsupportcanary',
        taxId: '987-65-4321',
      }),
    );
  }
  // In good standing, or in another currency: not in the batch.
  outside = await fx.create({ lastName: 'Notplaced', standing: 'good', currency: 'EUR' });
  await fx.create({ lastName: 'Otherccy', standing: 'bad_standing', currency: 'USD' });
  const agency = await t.call(comp, 'recipients.create', {
    name: 'Northwind Recovery LLC',
    type: 'collection_agency',
    contact: '400 Agency Plaza, Omaha, NE 68102',
  });
  const sent = await t.call(agent, 'batches.send', {
    agencyId: agency.id,
    currency: 'EUR',
    format: 'csv',
    fileName: 'batch-eur.csv',
  });
  batchId = sent.batch!.id;
});
afterAll(async () => t?.close());

const read = async (fileName: string) =>
  (await pdfPages(path.join(t.dir, 'exports', fileName))).join(' ');

describe('the placement summary as a PDF', () => {
  it('names the agency and every account placed with its balance, and nothing else', async () => {
    const record = await t.call(agent, 'batches.summaryPdf', {
      batchId,
      fileName: 'summary.pdf',
    });
    expect(record).toMatchObject({ purpose: 'internal', format: 'pdf', rowCount: 2 });
    expect(record.accountIds.sort()).toEqual(placed.map((p) => p.id).sort());
    const text = await read('summary.pdf');
    expect(text).toContain('Placement summary, batch');
    expect(text).toContain('Agency: Northwind Recovery LLC');
    expect(text).toContain('Agency address: 400 Agency Plaza, Omaha, NE 68102');
    expect(text).toContain('Status: Sent');
    expect(text).toContain('Accounts: 2');
    expect(text).toContain('Total placed: €1,239.56');
    expect(text).toContain(`${placed[0]!.accountNumber} - Qzfirst Placedone - €1,234.56`);
    expect(text).toContain(`${placed[1]!.accountNumber} - Qzfirst Placedtwo - €5.00`);
    for (const absent of ['Notplaced', 'Otherccy', 'Qzsupportcanary', '4321']) {
      expect(text).not.toContain(absent);
    }
    const entries = await t.call(comp, 'accessLog.list', { accountId: placed[0]!.id });
    expect(entries.entries.map((e) => [e.action, e.screen])).toContainEqual([
      'export',
      'collections.summary',
    ]);
    expect(outside.id).not.toBe(placed[0]!.id);
  });

  it('shows each account as the role sees it', async () => {
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'compliance_officer', field: 'firstName', access: 'hidden' }],
      reason: 'Compliance needs no given names here.',
    });
    await t.call(comp, 'batches.summaryPdf', { batchId, fileName: 'summary-comp.pdf' });
    const text = await read('summary-comp.pdf');
    expect(text).not.toContain('Qzfirst');
    expect(text).toContain(`${placed[0]!.accountNumber} - Placedone - €1,234.56`);
  });

  it('is refused to roles that may not read balances or save summaries', async () => {
    const refused = await t.fail(support, 'batches.summaryPdf', { batchId, fileName: 's.pdf' });
    expect(refused.code).toBe('FORBIDDEN');
  });
});
