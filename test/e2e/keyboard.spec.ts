/**
 * Keyboard first, accessible, light and dark (issue 17): the command palette, the list's keys,
 * Esc and Ctrl+S, the shortcut sheet, the colour scheme and axe on dialogs no other spec opens.
 * Screenshots (light and dark, each checked with axe) go to test/artifacts/.
 */
import { expect, test, type Page } from '@playwright/test';
import { seedAccounts } from '../../main/services/seed';
import { STAFF_PASSWORD } from '../support/staff';
import { launchConsole, type Console } from '../harness/launch-console';
import { nav, signIn } from '../harness/console-ui';

const ADMIN = { displayName: 'Ada Admin', username: 'ada', password: STAFF_PASSWORD };

let c: Console | undefined;
test.afterEach(async () => {
  const errors = [...(c?.pageErrors ?? [])];
  await c?.close();
  c = undefined;
  expect(errors).toEqual([]);
});

/** A console with `count` seeded accounts, an administrator and a support agent. */
async function start(count = 40): Promise<Console> {
  c = await launchConsole();
  const { backend } = c;
  await seedAccounts(backend.services.db, { count, seed: 11 });
  const r = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  expect(r.ok).toBe(true);
  await backend.services.auth.createStaff({
    username: 'sam',
    displayName: 'Sam Support',
    role: 'support_agent',
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
  await c.page.reload();
  return c;
}

const table = (page: Page) => page.getByRole('table', { name: 'Accounts' });

async function firstAccountNumber(con: Console): Promise<string> {
  const row = await con.backend.services
    .db('accounts')
    .orderBy('account_number', 'asc')
    .first('account_number');
  return String(row.account_number);
}

test('Ctrl+K finds screens, actions and accounts; the role decides what it offers', async () => {
  const con = await start();
  const { page } = con;
  await signIn(page, ADMIN.username);
  const number = await firstAccountNumber(con);

  await page.keyboard.press('Control+K');
  const search = page.getByRole('textbox', { name: /Find a screen/ });
  await expect(search).toBeFocused();
  await search.fill('staff');
  const results = page.getByLabel('Results');
  await expect(results.getByRole('button', { name: 'Staff', exact: true })).toBeVisible();
  await con.screenshot('palette');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Staff' })).toBeVisible();
  await expect(search).toBeHidden();

  // An account by its number, through the list's search; Enter opens it.
  await page.keyboard.press('Control+K');
  await search.fill(number);
  const hit = page.getByLabel('Results').getByRole('button', { name: new RegExp(number) });
  await expect(hit).toBeVisible();
  await con.screenshot('palette-account');
  await hit.click();
  await expect(page.getByTestId('account-title')).toBeVisible();
  await expect(page.locator('dd[data-field="accountNumber"]')).toHaveText(number);

  // With nothing typed, the account just opened is offered among the recently opened.
  await page.keyboard.press('Control+K');
  await search.fill('');
  const recent = results.getByRole('group', { name: 'Recently opened' });
  await expect(recent.getByRole('button', { name: new RegExp(number) })).toBeVisible();
  await con.screenshot('palette-recent');
  await page.keyboard.press('Escape');

  // Actions: New account opens the form; Ctrl+K works from inside a text field too.
  await page.keyboard.press('Control+K');
  await search.fill('new account');
  await expect(results.getByRole('button', { name: 'New account' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New account' })).toBeVisible();
  await page.getByLabel(/^First name/).focus();
  await page.keyboard.press('Control+K');
  await expect(search).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(search).toBeHidden();
  // Esc leaves a form nothing was typed into, back to where it was opened from (the list).
  await page.getByRole('heading', { name: 'New account' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Search accounts')).toBeVisible();

  // A support agent is not offered the administrator's screens.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'sam');
  await page.keyboard.press('Control+K');
  // Recent accounts are each staff member's own: Sam has opened none.
  await expect(results.getByRole('button', { name: 'Accounts', exact: true })).toBeVisible();
  await expect(results.getByRole('group', { name: 'Recently opened' })).toHaveCount(0);
  await search.fill('staff');
  await expect(page.getByText('Nothing found.')).toBeVisible();
  await search.fill('settings');
  await expect(page.getByText('Nothing found.')).toBeVisible();
  await search.fill('accounts');
  await expect(results.getByRole('button', { name: 'Accounts', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('/ focuses the search, arrows and Enter open a row, Esc goes back, Ctrl+S saves', async () => {
  const con = await start();
  const { page } = con;
  await signIn(page, ADMIN.username);
  await expect(table(page).getByRole('row').nth(1)).toBeVisible();

  // `/` from another screen brings the accounts list and its search box.
  await nav(page).getByRole('button', { name: 'Staff' }).click();
  await page.getByRole('heading', { name: 'Staff' }).click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search accounts')).toBeFocused();

  // ↓ from the search box to the first row, ↓ again to the second; Enter opens it.
  await page.keyboard.press('ArrowDown');
  const rows = table(page).getByRole('row');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(2)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  const second = (await rows.nth(2).getAttribute('aria-rowindex')) ?? '';
  const secondNumber = /C-\d+/.exec((await rows.nth(2).textContent()) ?? '')?.[0] ?? '?';
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-title')).toBeVisible();
  await expect(page.locator('dd[data-field="accountNumber"]')).toHaveText(secondNumber);

  // Esc: back to the list, the focus where it was.
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Search accounts')).toBeVisible();
  await expect(table(page).locator(`[aria-rowindex="${second}"]`)).toBeFocused();

  // Open, edit, change a field, Ctrl+S saves from inside the field.
  await table(page).locator(`[aria-rowindex="${second}"]`).press('Enter');
  await page.getByRole('button', { name: 'Edit' }).click();
  const city = page.getByLabel(/^City/);
  await city.fill('Keyboardville');
  // Esc does not throw away a changed form.
  await page.getByRole('heading', { name: /^Edit / }).click();
  await page.keyboard.press('Escape');
  await expect(city).toHaveValue('Keyboardville');
  await page.getByRole('combobox', { name: 'How did the customer supply this?' }).click();
  await page.getByRole('option', { name: 'Phone call', exact: true }).click();
  await city.focus();
  await page.keyboard.press('Control+S');
  await expect(page.getByRole('heading', { name: /^Edit / })).toBeHidden();
  await expect(page.locator('dd[data-field="city"]')).toHaveText('Keyboardville');
});

test('? opens the shortcut sheet; the colour scheme follows the OS and can be chosen', async () => {
  const con = await start(10);
  const { page } = con;
  await signIn(page, ADMIN.username);
  await page.getByRole('heading', { name: 'Accounts' }).click();
  await page.keyboard.press('Shift+?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('row', { name: /Ctrl K/ })).toBeVisible();
  await con.screenshot('shortcut-sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  // The focus returns to the page, not lost on <body> of a closed dialog.
  expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]'))).toBeNull();

  const scheme = () => page.evaluate(() => document.documentElement.dataset.mantineColorScheme);
  // Follows the OS while nothing is chosen.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(scheme).toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(scheme).toBe('light');

  // Chosen in Settings: dark stays dark whatever the OS says, and survives a reload.
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Colour scheme').getByText('Dark', { exact: true }).click();
  await expect.poll(scheme).toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(scheme).toBe('dark');
  await page.reload();
  await expect(nav(page)).toBeVisible();
  await expect.poll(scheme).toBe('dark');
  await expect(page.evaluate(() => localStorage.getItem('custodian-color-scheme'))).resolves.toBe(
    'dark',
  );

  // From the header, for any role: back to the OS's choice.
  await page.getByRole('button', { name: 'Colour scheme' }).click();
  await page.getByRole('dialog', { name: 'Colour scheme' }).getByText('As the system').click();
  await expect.poll(scheme).toBe('light');
});

test('Alt+Left and Alt+Right walk the screens visited, as a browser walks pages', async () => {
  const con = await start(5);
  const { page } = con;
  await signIn(page, ADMIN.username);
  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  await expect(heading('Accounts')).toBeVisible();
  await nav(page).getByRole('button', { name: 'Staff' }).click();
  await expect(heading('Staff')).toBeVisible();
  await nav(page).getByRole('button', { name: 'Import' }).click();
  await expect(heading('Import accounts')).toBeVisible();
  await heading('Import accounts').click();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(heading('Staff')).toBeVisible();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(heading('Accounts')).toBeVisible();
  // Nothing before the first screen: it stays.
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(heading('Accounts')).toBeVisible();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(heading('Staff')).toBeVisible();
  // Going somewhere new drops the screens ahead, as a browser does.
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await expect(heading('Settings')).toBeVisible();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(heading('Settings')).toBeVisible();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(heading('Staff')).toBeVisible();
  // In a text field Alt+arrows are the field's (they move the caret by words on macOS).
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(heading('Accounts')).toBeVisible();
  await page.getByLabel('Search accounts').focus();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(heading('Accounts')).toBeVisible();
});

test('axe: the dialogs of the accounts, staff and access-log screens, light and dark', async () => {
  const con = await start(10);
  const { page } = con;
  await signIn(page, ADMIN.username);
  // Export from the accounts list.
  await page.getByRole('button', { name: /^Export/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await con.screenshot('dialog-export-accounts');
  await page.keyboard.press('Escape');

  await nav(page).getByRole('button', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Add staff' }).click();
  await expect(page.getByRole('dialog', { name: 'Add staff member' })).toBeVisible();
  await con.screenshot('dialog-add-staff');
  await page.keyboard.press('Escape');
  // Closing a dialog gives the focus back to the button that opened it.
  await expect(page.getByRole('button', { name: 'Add staff' })).toBeFocused();
  await page.getByRole('button', { name: 'Reset password of Sam Support' }).click();
  await expect(page.getByRole('dialog', { name: 'Reset password' })).toBeVisible();
  await con.screenshot('dialog-reset-password');
  await page.keyboard.press('Escape');

  await nav(page).getByRole('button', { name: 'Recipients' }).click();
  await page.getByRole('button', { name: 'Register recipient' }).click();
  await expect(page.getByRole('dialog', { name: 'Register a recipient' })).toBeVisible();
  await con.screenshot('dialog-register-recipient');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Colour scheme' }).click();
  await expect(page.getByRole('dialog', { name: 'Colour scheme' })).toBeVisible();
  await con.screenshot('popover-colour-scheme');
  await page.keyboard.press('Escape');
});
