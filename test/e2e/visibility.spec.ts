/**
 * Field visibility end to end: the same account seen by a support agent and by a fraud analyst,
 * an administrator managing staff and changing the access matrix with a reason, and the account's
 * field-level history as a role sees it. Screenshots go to test/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Role } from '../../shared/roles';
import { launchConsole, type Console } from '../harness/launch-console';

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

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Sections' });
}

async function openAccount(page: Page, accountNumber: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'Accounts' }).click();
  await page.getByLabel('Search accounts').fill(accountNumber);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await table.getByRole('row', { name: new RegExp(accountNumber) }).click();
  await expect(page.getByTestId('account-title')).toBeVisible();
}

test('need-to-know per role: staff and matrix administration, hidden and masked fields, history', async () => {
  test.setTimeout(90_000);
  // A tall window, so that the screenshots show whole screens.
  const c = await launchConsole({ viewport: { width: 1440, height: 1250 } });
  open = c;
  const { backend } = c;

  // The first administrator, a fraud analyst and a billing specialist, straight on the backend.
  const setup = backend.openSession();
  const created = await backend.invoke(setup, 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  const staff = async (username: string, displayName: string, role: Role) =>
    backend.services.auth.createStaff({
      username,
      displayName,
      role,
      password: PASSWORD,
      mustChangePassword: false,
    });
  const adminId = (created.value as { user: { id: string } }).user.id;
  const franId = await staff('fran', 'Fran Fraud', 'fraud_analyst');
  const billId = await staff('bill', 'Bill Billing', 'billing_specialist');
  const supportWriterId = await staff('sue', 'Sue Support', 'support_agent');

  // One customer with every kind of field, each written by the role that may write it.
  const prov = (source: 'phone' | 'email' | 'in_person', date: string) => ({ source, date });
  const svc = backend.services.accounts;
  let acct = await svc.create(
    { staffId: adminId, role: 'administrator' },
    {
      firstName: 'Marisol',
      lastName: 'Okonkwo-Reyes',
      email: 'marisol@example.com',
      phone: '+1 503 555 0142',
      addressLine1: '1200 NW Flanders St',
      city: 'Portland',
      region: 'OR',
      postalCode: '97209',
      country: 'US',
    },
    prov('phone', '2026-01-15'),
  );
  acct = await svc.update(
    { staffId: supportWriterId, role: 'support_agent' },
    acct.id,
    acct.version,
    { dateOfBirth: '1984-09-23', supportNotes: 'Prefers email. Hard of hearing on the phone.' },
    prov('email', '2026-02-02'),
  );
  acct = await svc.update(
    { staffId: billId, role: 'billing_specialist' },
    acct.id,
    acct.version,
    { paymentBrand: 'Visa', paymentLast4: '4242', balanceCents: 18_250 },
    prov('phone', '2026-02-20'),
  );
  acct = await svc.update(
    { staffId: franId, role: 'fraud_analyst' },
    acct.id,
    acct.version,
    { fraudFlag: 'suspected', fraudNotes: 'Two chargebacks from a new device in March.' },
    prov('in_person', '2026-03-04'),
  );
  // No default role types a tax id: a test fixture.
  await backend.services.db('accounts').where({ id: acct.id }).update({ tax_id: '123-45-6789' });
  const number = String(acct.fields.accountNumber);

  // --- The administrator adds a support agent in the Staff screen -------------------------
  const { page } = c;
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await nav(page).getByRole('button', { name: 'Staff' }).click();
  await expect(page.getByRole('heading', { name: 'Staff' })).toBeVisible();
  const staffTable = page.getByRole('table', { name: 'Staff' });
  await expect(staffTable.getByRole('row')).toHaveCount(5);

  await page.getByRole('button', { name: 'Add staff' }).click();
  const addDialog = page.getByRole('dialog', { name: 'Add staff member' });
  await addDialog.getByLabel('Display name').fill('Sam Support');
  await addDialog.getByLabel('Username').fill('fran');
  await addDialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Support agent', exact: true }).click();
  await addDialog.getByLabel(/^Temporary password/).fill('short');
  await addDialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(addDialog.getByText('At least 12 characters.')).toBeVisible();
  await addDialog.getByLabel(/^Temporary password/).fill('temporary password 1');
  await addDialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(addDialog.getByText(/Already in use/)).toBeVisible();
  await addDialog.getByLabel('Username').fill('sam');
  await addDialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(addDialog).toBeHidden();
  const samRow = staffTable.locator('tr[data-staff="sam"]');
  await expect(samRow).toContainText('Support agent');
  await expect(samRow).toContainText('Must change');

  // The backend's refusal shows inline under the row: nobody deactivates themselves.
  await staffTable.getByRole('button', { name: 'Deactivate Ada Admin' }).click();
  await expect(staffTable.getByRole('alert')).toContainText(
    'You cannot deactivate your own staff account.',
  );
  await c.screenshot('staff-admin');

  // --- The administrator masks the date of birth for support agents, with a reason ---------
  await nav(page).getByRole('button', { name: 'Access matrix' }).click();
  const cell = page.getByLabel('Support agent: Date of birth');
  await expect(cell).toHaveValue('edit');
  await cell.selectOption('masked');
  await expect(page.locator('td[data-role="support_agent"][data-changed]')).toHaveCount(1);
  await expect(page.getByTestId('pending-count')).toHaveText('1 unsaved change');
  // Edit is never offered for a system field.
  await expect(
    page.getByLabel('Administrator: Account number').locator('option[value="edit"]'),
  ).toBeDisabled();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Say why, in at least 10 characters.')).toBeVisible();
  await page
    .getByLabel('Reason for the change')
    .fill('Ticket PRIV-118: support needs the age band only, not the full date of birth.');
  await c.screenshot('access-matrix');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Access matrix saved')).toBeVisible();
  await expect(page.getByTestId('pending-count')).toHaveText('No unsaved changes');
  await expect(
    page.locator('tr[data-field="dateOfBirth"] td[data-role="support_agent"]'),
  ).toHaveAttribute('data-custom', 'true');
  await page.getByRole('tab', { name: 'Change log' }).click();
  const log = page.getByRole('table', { name: 'Access matrix changes' });
  await expect(log.getByRole('row')).toHaveCount(2);
  await expect(log.getByRole('row').nth(1)).toContainText('Ada Admin');
  await expect(log.getByRole('row').nth(1)).toContainText('Support agent');
  await expect(log.getByRole('row').nth(1)).toContainText('Date of birth');
  await expect(log.getByRole('row').nth(1)).toContainText('Edit');
  await expect(log.getByRole('row').nth(1)).toContainText('Masked');
  await expect(log.getByRole('row').nth(1)).toContainText('Ticket PRIV-118');

  // --- Sam, the new support agent: first sign-in, then the account --------------------------
  const samPage = await c.newPage();
  await signIn(samPage, 'sam', 'temporary password 1');
  await expect(samPage.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await samPage.getByLabel(/^Current password/).fill('temporary password 1');
  await samPage.getByLabel(/^New password/).fill('sams own passphrase');
  await samPage.getByLabel(/^Confirm new password/).fill('sams own passphrase');
  await samPage.getByRole('button', { name: 'Change password' }).click();
  await expect(samPage.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  // Oversight screens are not offered to a support agent.
  await expect(nav(samPage).getByRole('button', { name: 'Access matrix' })).toHaveCount(0);
  await expect(nav(samPage).getByRole('button', { name: 'Staff' })).toHaveCount(0);

  await openAccount(samPage, number);
  await expect(samPage.getByTestId('account-title')).toHaveText('Marisol Okonkwo-Reyes');
  // Hidden: no label, no value anywhere on the page.
  for (const label of ['Tax id', 'Fraud notes', 'Fraud flag']) {
    await expect(samPage.getByText(label, { exact: true })).toHaveCount(0);
  }
  await expect(samPage.getByText('123-45-6789')).toHaveCount(0);
  await expect(samPage.getByText('chargebacks')).toHaveCount(0);
  // Masked (the matrix change applies at once): the date of birth carries the lock.
  const dob = samPage.locator('dd[data-field="dateOfBirth"]');
  await expect(dob.getByLabel('Masked')).toBeVisible();
  await expect(dob).not.toContainText('1984-09-23');
  await expect(samPage.locator('dd[data-field="paymentLast4"]')).toHaveText('•••• 4242');
  await expect(samPage.locator('dd[data-field="supportNotes"]')).toContainText('Prefers email');
  await expect(samPage.getByRole('tab', { name: 'Disclosures' })).toHaveCount(0);
  await c.screenshot('visibility-support-agent', samPage);

  // The history as a support agent sees it: hidden changes left out, masked ones masked.
  await samPage.getByRole('tab', { name: 'History' }).click();
  const entries = samPage.getByTestId('history-entry');
  await expect(entries).toHaveCount(4);
  // Newest first: the fraud analyst's change shows no field to a support agent.
  await expect(entries.nth(0)).toContainText('No change to fields your role can see.');
  await expect(entries.nth(0)).toContainText('In person');
  await expect(entries.nth(0)).toContainText('supplied by the customer on 2026-03-04');
  await expect(entries.nth(1)).toContainText('Payment last 4');
  await expect(
    entries.nth(1).locator('dd[data-field="paymentLast4"]').getByLabel('Masked'),
  ).toBeVisible();
  await expect(
    entries.nth(2).locator('dd[data-field="dateOfBirth"]').getByLabel('Masked'),
  ).toBeVisible();
  await expect(entries.nth(2)).not.toContainText('1984-09-23');
  await expect(entries.nth(2)).toContainText('Prefers email');
  await expect(entries.nth(3)).toContainText('Account created');
  await expect(samPage.getByText('chargebacks')).toHaveCount(0);
  await c.screenshot('account-history', samPage);

  // An internal export by the support agent: only what the role sees, masked as on screen.
  await samPage.getByRole('button', { name: 'Back to accounts' }).click();
  await samPage.getByRole('button', { name: 'Export…' }).click();
  const exportDialog = samPage.getByRole('dialog', { name: 'Export accounts for internal use' });
  await expect(exportDialog.getByRole('checkbox', { name: 'Tax id' })).toHaveCount(0);
  await exportDialog.getByRole('checkbox', { name: 'Date of birth' }).check();
  await exportDialog.getByLabel('File name').fill('support-export.json');
  await exportDialog.getByText('JSON', { exact: true }).click();
  await exportDialog.getByRole('button', { name: 'Export' }).click();
  await expect(exportDialog.getByTestId('row-count')).toHaveText('1');
  const exported = JSON.parse(
    fs.readFileSync(path.join(c.exportDir, 'support-export.json'), 'utf8'),
  ) as Record<string, unknown>[];
  expect(exported[0]?.dateOfBirth).not.toBe('1984-09-23');
  expect(exported[0]).not.toHaveProperty('taxId');
  await exportDialog.getByRole('button', { name: 'Done' }).click();

  // --- Fran, the fraud analyst: the same account with the sensitive fields -----------------
  const franPage = await c.newPage();
  await signIn(franPage, 'fran', PASSWORD);
  await openAccount(franPage, number);
  await expect(franPage.locator('dd[data-field="taxId"]')).toHaveText('123-45-6789');
  await expect(franPage.locator('dd[data-field="fraudNotes"]')).toContainText(
    'Two chargebacks from a new device',
  );
  await expect(franPage.locator('dd[data-field="fraudFlag"]')).toHaveText('Suspected');
  await expect(franPage.locator('dd[data-field="dateOfBirth"]')).toHaveText('1984-09-23');
  await expect(franPage.getByText('Tax id', { exact: true })).toBeVisible();
  await c.screenshot('visibility-fraud-analyst', franPage);
  await franPage.getByRole('tab', { name: 'History' }).click();
  await expect(franPage.getByTestId('history-entry').nth(0)).toContainText('Fraud notes');
});
