/**
 * Standing and collections end to end: a billing specialist marks three past-due accounts bad
 * standing from the accounts list (bulk dialog with its progress) and moves one more through its
 * Standing tab; a collections agent puts a hold on an account, previews and sends a collection
 * batch and finds it in the batch list; compliance finds the batch in the disclosure log and in
 * each customer's accounting of disclosures, and reads the dashboard; the administrator tries to
 * join a team server that cannot be reached, and nothing changes. Screenshots go to test/artifacts/.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Standing } from '../../shared/catalogue';
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

async function go(page: Page, section: string): Promise<void> {
  await nav(page).getByRole('button', { name: section }).click();
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function openAccount(page: Page, accountNumber: string): Promise<void> {
  await go(page, 'Accounts');
  await page.getByLabel('Search accounts').fill(accountNumber);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await table.getByRole('row', { name: new RegExp(accountNumber) }).click();
  await expect(page.getByTestId('account-title')).toBeVisible();
}

/** Closes the toasts, so that a screenshot shows what they would cover. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notification-closeButton');
  for (let n = await close.count(); n > 0; n--) await close.first().click();
  await expect(close).toHaveCount(0);
}

const usd = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

test('standing, bulk marking, a collection batch, its disclosure, the dashboard and a team server out of reach', async () => {
  test.setTimeout(420_000);
  const c = await launchConsole({ viewport: { width: 1440, height: 1100 } });
  open = c;
  const { backend } = c;
  const created = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  const adminId = (created.value as { user: { id: string } }).user.id;
  const staff = (username: string, displayName: string, role: Role) =>
    backend.services.auth.createStaff({
      username,
      displayName,
      role,
      password: PASSWORD,
      mustChangePassword: false,
    });
  const coraId = await staff('cora', 'Cora Compliance', 'compliance_officer');
  await staff('bill', 'Bill Byrne', 'billing_specialist');
  await staff('carl', 'Carl Collins', 'collections_agent');
  await backend.services.recipients.create(coraId, {
    name: 'Northwind Recovery LLC',
    type: 'collection_agency',
    contact: '400 Commerce Plaza, Suite 12\nOmaha, NE 68102\nplacements@northwind.example',
  });

  /** A customer with a full postal address; standing, balance and days set on the row. */
  const customer = async (
    firstName: string,
    lastName: string,
    standing: Standing,
    balanceCents: number,
    daysPastDue: number,
  ): Promise<{ id: string; number: string }> => {
    const a: AccountDetail = await backend.services.accounts.create(
      { staffId: adminId, role: 'administrator' },
      {
        firstName,
        lastName,
        email: `${firstName.toLowerCase()}@example.com`,
        phone: '+1 312 555 0100',
        addressLine1: '20 W Kinzie St',
        city: 'Chicago',
        region: 'IL',
        postalCode: '60654',
        country: 'US',
      },
      { source: 'web_signup', date: '2025-06-01' },
    );
    await backend.services.db('accounts').where({ id: a.id }).update({
      standing,
      balance_cents: balanceCents,
      days_past_due: daysPastDue,
      currency: 'USD',
      last_payment_date: '2026-07-15',
    });
    return { id: a.id, number: String(a.fields.accountNumber) };
  };
  const overdue = [
    await customer('Hollis', 'Marsh', 'past_due', 48_210, 95),
    await customer('Imani', 'Castellanos', 'past_due', 129_900, 120),
    await customer('Tobias', 'Lindqvist', 'past_due', 7_525, 101),
  ];
  const priya = await customer('Priya', 'Raman', 'good', 0, 0);
  const walter = await customer('Walter', 'Okafor', 'bad_standing', 88_000, 180);
  await customer('Greta', 'Paidup', 'good', 0, 0);
  const placed = [...overdue, priya];
  const total = 48_210 + 129_900 + 7_525 + 64_210;

  // --- A billing specialist ticks three past-due accounts and marks them bad standing -------
  const { page: bill } = c;
  await signIn(bill, 'bill');
  const list = bill.getByRole('table', { name: 'Accounts' });
  await expect(list.getByRole('row')).toHaveCount(7);
  for (const a of overdue) await bill.getByRole('checkbox', { name: `Select ${a.number}` }).check();
  await expect(bill.getByTestId('selected-count')).toHaveText('3 selected');
  await bill.getByRole('button', { name: 'Mark selected…' }).click();
  const bulk = bill.getByRole('dialog', { name: 'Mark the selected accounts' });
  await expect(bulk).toContainText('3 accounts selected in the list.');
  await choose(bill, 'New standing', 'Bad standing');
  await choose(bill, 'Reason', 'Missed payment');
  await expect(bulk.getByTestId('bulk-preview')).toContainText(
    '3 selected · 3 would change to bad standing · 0 refused',
  );
  await bulk.getByRole('button', { name: 'Mark 3 accounts bad standing' }).click();
  await expect(bulk.getByTestId('bulk-result')).toContainText('3 accounts are now bad standing');
  await c.screenshot('bulk-mark');
  await bulk.getByRole('button', { name: 'Done' }).click();
  await expect(bulk).toBeHidden();
  for (const a of overdue) {
    await expect(list.getByRole('row', { name: new RegExp(a.number) })).toContainText(
      'Bad standing',
    );
  }
  await expect(bill.getByTestId('selected-count')).toHaveCount(0);
  // By filter: bad standing for more than 90 days (the three just marked and Walter, 180 days).
  await bill.getByRole('button', { name: 'Bulk by filter…' }).click();
  const byFilter = bill.getByRole('dialog', {
    name: 'Mark accounts by standing and days past due',
  });
  await choose(bill, 'Accounts now in', 'Bad standing');
  await choose(bill, 'New standing', 'Written off');
  await expect(byFilter.getByTestId('bulk-preview')).toContainText(
    '4 selected · 4 would change to written off · 0 refused',
  );
  await byFilter.getByRole('button', { name: 'Cancel' }).click();
  await expect(byFilter).toBeHidden();

  // --- ...and moves one account twice through its Standing tab ------------------------------
  await openAccount(bill, priya.number);
  await bill.getByRole('tab', { name: 'Standing' }).click();
  const form = bill.getByRole('form', { name: 'Change standing' });
  await expect(form.getByRole('combobox', { name: 'New standing' })).toHaveValue('Past due');
  await choose(bill, 'Reason', 'Missed payment');
  await form.getByLabel('Balance owed (USD)').fill('642.10');
  await form.getByLabel('Days past due').fill('35');
  await form.getByRole('button', { name: 'Change standing' }).click();
  const events = bill.getByTestId('standing-event');
  await expect(events).toHaveCount(1);
  await expect(bill.getByTestId('current-standing')).toHaveText('Past due');
  await expect(bill.getByTestId('current-balance')).toHaveText('$642.10');
  // "Other" needs a note: the backend's rule comes back on the field.
  await choose(bill, 'New standing', 'Bad standing');
  await choose(bill, 'Reason', 'Other (explain)');
  await form.getByRole('button', { name: 'Change standing' }).click();
  await expect(form.getByText('Required when the reason is "Other".')).toBeVisible();
  await choose(bill, 'Reason', 'Broken promise to pay');
  await form.getByLabel('Note (optional)').fill('Promised payment on the 3rd; nothing arrived.');
  await form.getByLabel('Days past due').fill('97');
  await form.getByRole('button', { name: 'Change standing' }).click();
  await expect(events).toHaveCount(2);
  await expect(bill.getByTestId('current-standing')).toHaveText('Bad standing');
  await expect(events.first()).toContainText('Broken promise to pay');
  await expect(events.first()).toContainText('Promised payment on the 3rd');
  await expect(events.first()).toContainText('Bill Byrne');
  await expect(events.last()).toContainText('$642.10');
  await dismissToasts(bill);
  await c.screenshot('standing-timeline');
  // Billing sees the batches, read-only.
  await go(bill, 'Collections');
  await expect(bill.getByRole('table', { name: 'Collection batches' })).toContainText(
    'No batch has been sent yet.',
  );
  await expect(bill.getByRole('heading', { name: 'New batch' })).toHaveCount(0);

  // --- A collections agent puts a hold on one account, then previews and sends a batch ------
  const carl = await c.newPage();
  await signIn(carl, 'carl');
  await openAccount(carl, walter.number);
  await carl.getByRole('tab', { name: 'Standing' }).click();
  await expect(carl.getByTestId('no-transitions')).toContainText(
    'placed in collection by sending a collection batch',
  );
  await carl.getByRole('button', { name: 'Set a hold…' }).click();
  const holdDialog = carl.getByRole('dialog', { name: 'Set a collection hold' });
  await choose(carl, 'Hold', 'Deceased');
  await holdDialog
    .getByLabel('What the hold rests on')
    .fill('Death certificate received 2026-11-02.');
  await holdDialog.getByRole('button', { name: 'Set hold' }).click();
  await expect(holdDialog).toBeHidden();
  await expect(carl.getByRole('list', { name: 'Collection holds' })).toContainText('Deceased');

  await go(carl, 'Collections');
  await expect(carl.getByRole('combobox', { name: 'Agency' })).toHaveValue(
    'Northwind Recovery LLC',
  );
  await carl.getByRole('button', { name: 'Preview' }).click();
  await expect(carl.getByTestId('preview-count')).toHaveText('4');
  await expect(carl.getByTestId('preview-total')).toHaveText(usd(total));
  await expect(carl.getByTestId('preview-held')).toHaveText('1');
  const sample = carl.getByRole('table', { name: 'Batch sample' });
  await expect(sample.getByRole('row')).toHaveCount(5);
  await expect(sample.getByRole('row').nth(1)).toContainText('Imani Castellanos');
  await expect(sample).not.toContainText('Walter');
  await c.screenshot('batch-preview', carl);
  const fileName = 'northwind-placement-2026-11.csv';
  await carl.getByLabel('File name').fill(fileName);
  await carl.getByRole('button', { name: 'Send 4 accounts to Northwind Recovery LLC' }).click();
  const result = carl.getByTestId('batch-result');
  await expect(result).toContainText('Batch B-00001 sent to Northwind Recovery LLC');
  const written = fs.readFileSync(path.join(c.exportDir, fileName));
  const sha = createHash('sha256').update(written).digest('hex');
  await expect(result.getByTestId('sha256')).toHaveText(sha);
  await expect(result.getByTestId('row-count')).toHaveText('4');
  await c.screenshot('batch-sent', carl);
  const batch = await backend.services.db('collection_batches').first('disclosure_seq');
  const seq = Number(batch.disclosure_seq);
  await carl.getByRole('button', { name: 'Start another batch' }).click();
  const batches = carl.getByRole('table', { name: 'Collection batches' });
  const row = batches.locator('tr[data-batch="B-00001"]');
  await expect(row).toContainText('Northwind Recovery LLC');
  await expect(row).toContainText('Sent');
  await expect(row).toContainText(usd(total));
  await expect(row).toContainText(`#${seq}`);
  await expect(row.getByRole('button', { name: 'Recall batch B-00001' })).toBeVisible();
  await c.screenshot('batches', carl);
  // The batch's placement summary as a PDF made in main, read back with pdf.js.
  await row.getByRole('button', { name: 'Summary PDF of batch B-00001' }).click();
  const summary = carl.getByRole('dialog', { name: 'Placement summary of batch B-00001' });
  const summaryName = await summary.getByLabel('File name').inputValue();
  await c.screenshot('placement-summary-dialog', carl);
  await summary.getByRole('button', { name: 'Save PDF' }).click();
  await expect(summary.getByTestId('row-count')).toHaveText('4');
  const pages = await pdfPages(path.join(c.exportDir, summaryName));
  const printed = pages.join(' ');
  const drawn = pdfPageImages(path.join(c.exportDir, summaryName), ARTIFACTS_DIR, 'placement-pdf');
  if (drawn.length > 0) expect(drawn).toHaveLength(pages.length);
  expect(printed).toContain('Placement summary, batch B-00001');
  expect(printed).toContain('Agency: Northwind Recovery LLC');
  expect(printed).toContain('Accounts: 4');
  await summary.getByRole('button', { name: 'Done' }).click();

  // --- Compliance: the disclosure log and each customer's accounting of disclosures ---------
  const cora = await c.newPage();
  await signIn(cora, 'cora');
  await go(cora, 'Disclosure log');
  const log = cora.getByRole('table', { name: 'Disclosure log' });
  const record = log.locator(`tr[data-seq="${seq}"]`);
  await expect(record).toContainText('Carl Collins');
  await expect(record).toContainText('Northwind Recovery LLC');
  await expect(record).toContainText('Debt collection');
  await expect(record).toContainText('Completed');
  await expect(record).toContainText(sha.slice(0, 10));
  await c.screenshot('batch-in-disclosure-log', cora);
  for (const a of placed) {
    await openAccount(cora, a.number);
    await cora.getByRole('tab', { name: 'Disclosures' }).click();
    const accounting = cora.getByRole('table', { name: 'Accounting of disclosures' });
    await expect(accounting.getByRole('row')).toHaveCount(2);
    await expect(accounting).toContainText('Northwind Recovery LLC');
    await expect(accounting).toContainText('Debt collection');
    if (a === priya) await c.screenshot('batch-accounting', cora);
    await cora.getByRole('button', { name: 'Back to accounts' }).click();
  }
  // The held account was not placed and so not disclosed.
  await openAccount(cora, walter.number);
  await cora.getByRole('tab', { name: 'Disclosures' }).click();
  await expect(cora.getByText('has not been disclosed to anyone')).toBeVisible();
  await cora.getByRole('button', { name: 'Back to accounts' }).click();
  // The placement is in the account's standing timeline.
  await openAccount(cora, priya.number);
  await cora.getByRole('tab', { name: 'Standing' }).click();
  await expect(cora.getByTestId('standing-event')).toHaveCount(3);
  await expect(cora.getByTestId('standing-event').first()).toContainText(
    'Placed with a collection agency',
  );

  // --- The dashboard ------------------------------------------------------------------------
  await go(cora, 'Dashboard');
  const byStanding = cora.getByRole('table', { name: 'Accounts by standing' });
  await expect(byStanding.locator('tr[data-standing="in_collection"]')).toContainText(usd(total));
  await expect(byStanding.locator('tr[data-standing="bad_standing"]')).toContainText(usd(88_000));
  await expect(cora.getByRole('table', { name: 'Batches this month' })).toContainText(
    'Northwind Recovery LLC',
  );
  await expect(cora.locator('.recharts-bar-rectangle').nth(3)).toBeVisible();
  await c.screenshot('dashboard', cora);

  // --- The administrator: joining a team server that cannot be reached changes nothing ------
  const ada = await c.newPage();
  await signIn(ada, 'ada', ADMIN.password);
  await go(ada, 'Settings');
  const team = ada.getByRole('region', { name: 'Team server' });
  await expect(team).toContainText('its own encrypted database');
  await team.getByRole('button', { name: 'Join a team server…' }).click();
  const join = ada.getByRole('dialog', { name: 'Join a team server' });
  await join.getByLabel('Team server address').fill('https://127.0.0.1:9');
  await join.getByLabel(/Certificate fingerprint/).fill('ab'.repeat(32));
  await join.getByLabel(/Enrolment code/).fill('CODE-FROM-ADMIN-1');
  await join.getByLabel('Workstation name').fill('Back office');
  await join.getByRole('button', { name: 'Enrol and switch' }).click();
  await expect(join.getByRole('alert')).toContainText('cannot be reached');
  await c.screenshot('dialog-join-team-server', ada);
  await join.getByRole('button', { name: 'Cancel' }).click();
  await expect(team).toContainText('its own encrypted database');

  // --- The collections agent recalls the batch ---------------------------------------------
  await carl.bringToFront();
  await row.getByRole('button', { name: 'Recall batch B-00001' }).click();
  const recall = carl.getByRole('dialog', { name: 'Recall batch B-00001' });
  await recall.getByLabel('Reason').fill('Agency asked for updated balances; to be re-sent.');
  await recall.getByRole('button', { name: 'Recall batch' }).click();
  await expect(recall).toBeHidden();
  await expect(row).toContainText('Recalled');
  await expect(row.getByRole('button', { name: 'Recall batch B-00001' })).toHaveCount(0);
});
