/**
 * Disclosures end to end: compliance registers an agency, a collections agent discloses
 * bad-standing accounts through the wizard (a refused attempt first), compliance finds both in
 * the disclosure log, verifies the chain against a checkpoint, reads each customer's accounting of
 * disclosures and the access log; an exigent request is approved by a second compliance officer
 * and carried out. Screenshots go to test/artifacts/.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Role } from '../../shared/roles';
import type { AccountDetail } from '../../shared/types';
import { nav, signIn } from '../harness/console-ui';
import { ARTIFACTS_DIR, launchConsole, type Console } from '../harness/launch-console';
import { pdfPageImages, pdfPages } from '../support/pdf-text';

const ADMIN = { displayName: 'Ada Admin', username: 'ada', password: 'correct horse battery' };
const PASSWORD = 'staff password 123';

let open: Console | undefined;
test.afterEach(async () => {
  const c = open;
  open = undefined;
  if (c) {
    const errors = [...c.pageErrors];
    await c.close();
    expect(errors).toEqual([]);
  }
});

interface World {
  c: Console;
  adminId: string;
  staff(username: string, displayName: string, role: Role): Promise<string>;
  account(fields: Record<string, string>): Promise<AccountDetail>;
}

async function start(): Promise<World> {
  const c = await launchConsole({ viewport: { width: 1440, height: 1100 } });
  open = c;
  const { backend } = c;
  const created = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  const adminId = (created.value as { user: { id: string } }).user.id;
  return {
    c,
    adminId,
    staff: (username, displayName, role) =>
      backend.services.auth.createStaff({
        username,
        displayName,
        role,
        password: PASSWORD,
        mustChangePassword: false,
      }),
    account: (fields) =>
      backend.services.accounts.create({ staffId: adminId, role: 'administrator' }, fields, {
        source: 'web_signup',
        date: '2025-06-01',
      }),
  };
}

/** Test fixture: the standing workflow has its own screens; here the row is set directly. */
async function setStanding(c: Console, id: string, balanceCents: number): Promise<void> {
  await c.backend.services
    .db('accounts')
    .where({ id })
    .update({ standing: 'bad_standing', balance_cents: balanceCents });
}

async function go(page: Page, section: string): Promise<void> {
  await nav(page).getByRole('button', { name: section }).click();
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function next(page: Page, step: string): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId(`wizard-step-${step}`)).toBeVisible();
}

async function addAccount(page: Page, accountNumber: string): Promise<void> {
  await page.getByLabel('Find accounts').fill(accountNumber);
  await page.getByRole('button', { name: `Add ${accountNumber}` }).click();
  await expect(
    page.getByRole('table', { name: 'Chosen accounts' }).getByText(accountNumber),
  ).toBeVisible();
}

async function openAccount(page: Page, accountNumber: string): Promise<void> {
  await go(page, 'Accounts');
  await page.getByLabel('Search accounts').fill(accountNumber);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await table.getByRole('row', { name: new RegExp(accountNumber) }).click();
  await expect(page.getByTestId('account-title')).toBeVisible();
}

test('debt collection through the wizard, the log, the chain, the accounting and the access log', async () => {
  test.setTimeout(240_000);
  const w = await start();
  const { c } = w;
  await w.staff('cora', 'Cora Compliance', 'compliance_officer');
  await w.staff('carl', 'Carl Collins', 'collections_agent');
  const people = [
    ['Hollis', 'Marsh', 48_210],
    ['Imani', 'Castellanos', 129_900],
    ['Tobias', 'Lindqvist', 7_525],
  ] as const;
  const owing: AccountDetail[] = [];
  for (const [firstName, lastName, balance] of people) {
    const a = await w.account({
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}@example.com`,
      phone: '+1 312 555 0100',
      addressLine1: '20 W Kinzie St',
      city: 'Chicago',
      region: 'IL',
      postalCode: '60654',
      country: 'US',
    });
    await setStanding(c, a.id, balance);
    owing.push(a);
  }
  const good = await w.account({ firstName: 'Greta', lastName: 'Paid-Up', city: 'Chicago' });
  const numbers = owing.map((a) => String(a.fields.accountNumber));
  const goodNumber = String(good.fields.accountNumber);

  // --- Compliance registers the collection agency ------------------------------------------
  const { page: cora } = c;
  await signIn(cora, 'cora');
  await go(cora, 'Recipients');
  await cora.getByRole('button', { name: 'Register recipient' }).click();
  const dialog = cora.getByRole('dialog', { name: 'Register a recipient' });
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByText('Enter the recipient name.')).toBeVisible();
  await dialog.getByLabel('Name').fill('Northwind Recovery LLC');
  await choose(cora, 'Type', 'Collection agency');
  await dialog
    .getByLabel('Postal address and contact details')
    .fill('400 Commerce Plaza, Suite 12\nOmaha, NE 68102\nplacements@northwind.example');
  await dialog.getByLabel('Reference (optional)').fill('AGY-2026-014');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog).toBeHidden();
  const recipients = cora.getByRole('table', { name: 'Recipients' });
  await expect(recipients.getByRole('row', { name: /Northwind Recovery LLC/ })).toContainText(
    'Collection agency',
  );
  await c.screenshot('recipients');

  // --- A collections agent tries four accounts, one in good standing: refused -------------
  const carl = await c.newPage();
  await signIn(carl, 'carl');
  await expect(nav(carl).getByRole('button', { name: 'Disclosure log' })).toHaveCount(0);
  await go(carl, 'Disclose');
  await expect(carl.getByTestId('wizard-step-recipient')).toBeVisible();
  await carl.getByRole('button', { name: 'Next' }).click();
  await expect(carl.getByText('Choose the recipient.')).toBeVisible();
  await choose(carl, 'Recipient', 'Northwind Recovery LLC · Collection agency');
  await expect(carl.getByText('placements@northwind.example')).toBeVisible();
  await next(carl, 'purpose');
  await carl.getByRole('radio', { name: /Debt collection/ }).click();
  await expect(carl.getByTestId('purpose-rule')).toContainText(
    'standing is bad standing or in collection; fields limited to the collection set',
  );
  // A purpose that does not fit the recipient is flagged before the gate refuses it.
  await carl.getByRole('radio', { name: /Fraud prevention/ }).click();
  await expect(carl.getByText('This recipient does not fit the purpose')).toBeVisible();
  await carl.getByRole('radio', { name: /Debt collection/ }).click();
  await next(carl, 'accounts');
  for (const n of [...numbers, goodNumber]) await addAccount(carl, n);
  await next(carl, 'fields');
  // The collection set, pre-checked; nothing outside it is offered.
  await expect(carl.getByTestId('field-count')).toHaveText('15 of 15 chosen');
  await expect(carl.getByRole('checkbox', { name: 'Balance' })).toBeChecked();
  await expect(carl.getByRole('checkbox', { name: 'Date of birth' })).toBeChecked();
  await expect(carl.getByRole('checkbox', { name: 'Support notes' })).toHaveCount(0);
  await expect(carl.getByRole('checkbox', { name: 'Tax id' })).toHaveCount(0);
  await carl.getByRole('checkbox', { name: 'Date of birth' }).uncheck();
  await expect(carl.getByTestId('field-count')).toHaveText('14 of 15 chosen');
  await c.screenshot('disclosure-wizard', carl);
  await next(carl, 'details');
  await expect(carl.getByText('needs no further details')).toBeVisible();
  await next(carl, 'file');
  const fileName = 'northwind-placement-2026-11.csv';
  await carl.getByLabel('File name').fill(fileName);
  await carl.getByRole('button', { name: 'Disclose now' }).click();
  const refused = carl.getByTestId('outcome-refused');
  await expect(refused).toContainText('Refused: nothing was disclosed');
  await expect(refused).toContainText(
    `account ${goodNumber} is in good standing; debt collection disclosures need bad standing`,
  );
  await expect(refused).toContainText('recorded in the disclosure log as record #1');
  await c.screenshot('disclosure-refused', carl);
  expect(fs.existsSync(path.join(c.exportDir, fileName))).toBe(false);

  // --- Changed: the good-standing account removed; admitted and written --------------------
  await carl.getByRole('button', { name: 'Change the request' }).click();
  await expect(carl.getByTestId('wizard-step-file')).toBeVisible();
  for (const step of ['details', 'fields', 'accounts']) {
    await carl.getByRole('button', { name: 'Back' }).click();
    await expect(carl.getByTestId(`wizard-step-${step}`)).toBeVisible();
  }
  await carl.getByRole('button', { name: `Remove ${goodNumber}` }).click();
  await next(carl, 'fields');
  await next(carl, 'details');
  await next(carl, 'file');
  await expect(carl.getByLabel('File name')).toHaveValue(fileName);
  await carl.getByRole('button', { name: 'Disclose now' }).click();
  const done = carl.getByTestId('outcome-completed');
  await expect(done).toContainText('Disclosure completed');
  await expect(done.getByTestId('row-count')).toHaveText('3');
  await expect(done).toContainText(fileName);
  const written = fs.readFileSync(path.join(c.exportDir, fileName));
  const sha = createHash('sha256').update(written).digest('hex');
  await expect(done.getByTestId('sha256')).toHaveText(sha);
  const lines = written.toString('utf8').trim().split('\r\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).not.toContain('dateOfBirth');
  await c.screenshot('disclosure-done', carl);

  // --- Compliance: the disclosure log, expanded, and the chain verified --------------------
  // A page in the background gets throttled timers and frames: bring the one in use forward.
  await cora.bringToFront();
  await go(cora, 'Disclosure log');
  const log = cora.getByRole('table', { name: 'Disclosure log' });
  const completed = log.locator('tr[data-seq="2"]');
  await expect(completed).toContainText('Carl Collins');
  await expect(completed).toContainText('Northwind Recovery LLC');
  await expect(completed).toContainText('Debt collection');
  await expect(completed).toContainText('Completed');
  await expect(completed).toContainText('e2e-workstation');
  await expect(completed).toContainText(sha.slice(0, 10));
  await expect(log.locator('tr[data-seq="1"]')).toContainText('Refused');
  await log.getByRole('button', { name: 'Expand record 1' }).click();
  await expect(log.getByTestId('record-detail')).toContainText(
    `account ${goodNumber} is in good standing; debt collection disclosures need bad standing`,
  );
  await expect(log.getByTestId('record-detail')).toContainText('not in good standing');
  // A signed checkpoint, saved, then chosen as a file and checked with the chain.
  await cora.getByRole('button', { name: 'Save checkpoint' }).click();
  const cpDialog = cora.getByRole('dialog', { name: 'Save a signed checkpoint' });
  const cpName = await cpDialog.getByLabel('File name').inputValue();
  await cpDialog.getByRole('button', { name: 'Save checkpoint' }).click();
  await expect(cpDialog.getByText('Checkpoint saved')).toBeVisible();
  await cpDialog.getByRole('button', { name: 'Done' }).click();
  await cora.locator('input[type="file"]').setInputFiles(path.join(c.exportDir, cpName));
  await cora.getByRole('button', { name: 'Verify chain' }).click();
  const verified = cora.getByTestId('verify-result');
  await expect(verified).toContainText('The chain verifies');
  await expect(verified).toContainText('3 records checked');
  await expect(verified).toContainText('Checkpoint:');
  // The witness written outside the database after the last record holds it exactly.
  await expect(verified.getByTestId('verify-witness')).toContainText('still holds record 3');
  await c.screenshot('disclosure-log');

  // --- Each customer's accounting of disclosures names the agency and its address ----------
  for (const n of numbers) {
    await openAccount(cora, n);
    await cora.getByRole('tab', { name: 'Disclosures' }).click();
    const accounting = cora.getByRole('table', { name: 'Accounting of disclosures' });
    await expect(accounting.getByRole('row')).toHaveCount(2);
    await expect(accounting).toContainText('Northwind Recovery LLC');
    await expect(accounting).toContainText('Omaha, NE 68102');
    await expect(accounting).toContainText('Debt collection');
    await expect(accounting).not.toContainText('Date of birth');
    await cora.getByRole('button', { name: 'Back to accounts' }).click();
  }
  await openAccount(cora, numbers[0]!);
  await cora.getByRole('tab', { name: 'Disclosures' }).click();
  await cora.getByRole('button', { name: 'Save report for the customer' }).click();
  const report = cora.getByRole('dialog', { name: 'Save the accounting of disclosures' });
  await report.getByRole('button', { name: 'Save report' }).click();
  await expect(report.getByTestId('row-count')).toHaveText('1');
  await report.getByRole('button', { name: 'Done' }).click();
  await c.screenshot('accounting-of-disclosures');
  // The same accounting as a PDF for the customer (made in main), read back with pdf.js.
  await cora.getByRole('button', { name: 'Print / Save as PDF' }).click();
  const pdf = cora.getByRole('dialog', { name: 'The accounting of disclosures as a PDF' });
  const pdfName = await pdf.getByLabel('File name').inputValue();
  expect(pdfName).toMatch(new RegExp(`^disclosures-${numbers[0]}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
  await c.screenshot('accounting-pdf-dialog');
  await pdf.getByRole('button', { name: 'Save PDF' }).click();
  await expect(pdf.getByTestId('pdf-saved')).toBeVisible();
  await expect(pdf.getByTestId('row-count')).toHaveText('1');
  const pages = await pdfPages(path.join(c.exportDir, pdfName));
  const printed = pages.join(' ');
  // Its pages drawn as PNG beside the screenshots, to be looked at: one image per page.
  const drawn = pdfPageImages(path.join(c.exportDir, pdfName), ARTIFACTS_DIR, 'accounting-pdf');
  if (drawn.length > 0) expect(drawn).toHaveLength(pages.length);
  expect(printed).toContain(`Account: ${numbers[0]}`);
  expect(printed).toContain('Recipient: Northwind Recovery LLC');
  // The address as it was written on three lines, its lines kept apart on the page's one.
  expect(printed).toContain('400 Commerce Plaza, Suite 12, Omaha, NE 68102, placements@');
  expect(printed).toContain('Purpose: Debt collection');
  expect(printed).not.toContain('Date of birth');
  await pdf.getByRole('button', { name: 'Done' }).click();
  await cora.getByRole('button', { name: 'Back to accounts' }).click();
  // The refused attempt disclosed nothing about the good-standing customer.
  await openAccount(cora, goodNumber);
  await cora.getByRole('tab', { name: 'Disclosures' }).click();
  await expect(cora.getByText('has not been disclosed to anyone')).toBeVisible();

  // --- The access log: who searched and viewed, from where ---------------------------------
  await go(cora, 'Access log');
  const access = cora.getByRole('table', { name: 'Access log' });
  await expect(
    access.getByRole('row').filter({ hasText: 'Carl Collins' }).filter({
      hasText: 'Searched',
    }),
  ).not.toHaveCount(0);
  await expect(
    access.getByRole('row').filter({ hasText: 'Viewed disclosures' }).first(),
  ).toContainText('Cora Compliance');
  await expect(access.getByRole('row').nth(1)).toContainText('e2e-workstation');
  await cora.getByLabel('Account number').fill(numbers[1]!);
  await cora.getByRole('button', { name: 'Apply' }).click();
  await expect(access.getByRole('row').filter({ hasText: 'Viewed account' })).toHaveCount(1);
  await expect(access.getByRole('row').filter({ hasText: 'Viewed disclosures' })).toHaveCount(1);
  await expect(access.getByRole('row').filter({ hasText: 'Viewed history' })).toHaveCount(0);
  await expect(access).not.toContainText('Castellanos');
  await c.screenshot('access-log');
  // The filtered log exported; the export is itself logged.
  await cora.getByRole('button', { name: 'Export…' }).click();
  const exportDialog = cora.getByRole('dialog', { name: 'Export the access log' });
  await exportDialog.getByRole('button', { name: 'Export' }).click();
  await expect(exportDialog.getByTestId('file-facts')).toContainText('access-log-');
  await exportDialog.getByRole('button', { name: 'Done' }).click();

  // Compliance reviews the access matrix but cannot change it.
  await go(cora, 'Access matrix');
  await expect(cora.getByText(/Read-only for your role/)).toBeVisible();
  await expect(cora.getByLabel('Support agent: Tax id: Hidden')).toBeVisible();
  await expect(cora.getByRole('combobox')).toHaveCount(0);
  await expect(cora.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
});

test('an exigent request needs a second compliance officer before it is carried out', async () => {
  test.setTimeout(60_000);
  const w = await start();
  const { c } = w;
  const coraId = await w.staff('cora', 'Cora Compliance', 'compliance_officer');
  await w.staff('cole', 'Cole Castillo', 'compliance_officer');
  await c.backend.services.recipients.create(coraId, {
    name: 'Springfield Police Department',
    type: 'government_agency',
    contact: '100 Main St, Springfield, IL 62701\nDuty sergeant: +1 217 555 0100',
  });
  const person = await w.account({
    firstName: 'Rosa',
    lastName: 'Delgado',
    phone: '+1 217 555 0177',
    addressLine1: '8 Elm Court',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62704',
    country: 'US',
  });
  const number = String(person.fields.accountNumber);

  // Cora asks: the wizard sends it for approval and writes nothing.
  // Cora starts from the customer's account: the wizard opens with it chosen.
  const { page: cora } = c;
  await signIn(cora, 'cora');
  await openAccount(cora, number);
  await cora.getByRole('button', { name: 'Disclose…' }).click();
  await expect(cora.getByTestId('wizard-step-recipient')).toBeVisible();
  await choose(cora, 'Recipient', 'Springfield Police Department · Government agency');
  await next(cora, 'purpose');
  await cora.getByRole('radio', { name: /Exigent circumstances/ }).click();
  await expect(cora.getByTestId('purpose-rule')).toContainText('Compliance officer');
  await next(cora, 'accounts');
  await expect(cora.getByRole('table', { name: 'Chosen accounts' })).toContainText(number);
  await next(cora, 'fields');
  await next(cora, 'details');
  await cora.getByRole('button', { name: 'Next' }).click();
  await expect(cora.getByText('Write the justification')).toBeVisible();
  await cora
    .getByLabel('Justification')
    .fill(
      'Police report a credible threat to the customer (case 26-4471); they need a current address and phone now.',
    );
  await next(cora, 'file');
  await cora.getByRole('button', { name: 'Request approval' }).click();
  await expect(cora.getByTestId('outcome-pending')).toContainText(
    'Waiting for approval by Compliance officer',
  );
  expect(fs.existsSync(c.exportDir) ? fs.readdirSync(c.exportDir) : []).toEqual([]);

  // Cole sees it in his inbox, with the justification, and approves it.
  const cole = await c.newPage();
  await signIn(cole, 'cole');
  await expect(nav(cole).getByTestId('inbox-badge')).toHaveText('1');
  await go(cole, 'Approvals');
  const card = cole.getByTestId('request-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Exigent circumstances');
  await expect(card).toContainText('Springfield Police Department');
  await expect(card).toContainText('Requested by Cora Compliance');
  await expect(card).toContainText('case 26-4471');
  await c.screenshot('approvals-inbox', cole);
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(cole.getByText('Nothing is waiting for you.')).toBeVisible();
  await expect(nav(cole).getByTestId('inbox-badge')).toHaveCount(0);

  // Cora carries it out.
  await cora.bringToFront();
  await go(cora, 'Approvals');
  await expect(nav(cora).getByTestId('inbox-badge')).toHaveText('1');
  const mine = cora.getByTestId('request-card');
  await expect(mine).toContainText('Approved: ready to carry out');
  await expect(mine).toContainText('approved by Cole Castillo');
  await mine.getByRole('button', { name: 'Carry out…' }).click();
  const exec = cora.getByRole('dialog', { name: 'Carry out the approved disclosure' });
  await exec.getByLabel('File name').fill('springfield-pd-exigent.csv');
  await exec.getByRole('button', { name: 'Write the file' }).click();
  await expect(exec.getByTestId('outcome-completed')).toContainText('Disclosure completed');
  await expect(exec.getByTestId('row-count')).toHaveText('1');
  await exec.getByRole('button', { name: 'Done' }).click();
  expect(fs.existsSync(path.join(c.exportDir, 'springfield-pd-exigent.csv'))).toBe(true);
  await expect(cora.getByText('You have no open requests.')).toBeVisible();

  // The record names the approver and the justification.
  await go(cora, 'Disclosure log');
  const log = cora.getByRole('table', { name: 'Disclosure log' });
  await log.getByRole('button', { name: 'Expand record 1' }).click();
  await expect(log.getByTestId('record-detail')).toContainText(
    'Cole Castillo (Compliance officer)',
  );
  await expect(log.getByTestId('record-detail')).toContainText('case 26-4471');
});
