/**
 * The console end to end: the built renderer in Chromium, the real backend on a SQLite file.
 * Screenshots of every screen go to test/artifacts/.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Session } from '../../main/services/session';
import type { CustodianApi } from '../../shared/api';
import type { Channel, Input, Output } from '../../shared/contract';
import type { AccountDetail, SessionInfo } from '../../shared/types';
import { CARD_NUMBER_MESSAGE } from '../../shared/rules';
import {
  RENDERER_DIR,
  launchConsole,
  resolveStatic,
  type Console,
  type LaunchOptions,
} from '../harness/launch-console';

const ADMIN = {
  displayName: 'Ada Admin',
  username: 'ada',
  password: 'correct horse battery',
};

/** The backend's clock, moved by hand (idle lock on the backend's side). */
class TestClock {
  constructor(private t = Date.now()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let open: Console | undefined;
test.afterEach(async () => {
  const c = open;
  open = undefined;
  if (c) {
    const errors = [...c.pageErrors];
    await c.close();
    // No uncaught errors and no CSP violations in the renderer.
    expect(errors).toEqual([]);
  }
});

async function start(options: LaunchOptions = {}): Promise<Console> {
  open = await launchConsole(options);
  return open;
}

async function invoke<C extends Channel>(
  c: Console,
  session: Session,
  channel: C,
  input: Input<C>,
): Promise<Output<C>> {
  const r = await c.backend.invoke(session, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Output<C>;
}

const PROVENANCE = { source: 'phone', date: '2026-01-15' } as const;

const FIRST = ['Liam', 'Olivia', 'Noah', 'Emma', 'Mateo', 'Amara', 'Kenji', 'Priya', 'Lucas'];
const LAST = ['Okafor', 'Nguyen', 'García', 'Schmidt', 'Kowalski', 'Haddad', 'Brennan', 'Silva'];
const CITIES = ['Portland', 'Austin', 'Denver', 'Chicago', 'Boston', 'Seattle', 'Atlanta'];
const STANDING_MIX = ['past_due', 'bad_standing', 'in_collection', 'settled'] as const;

/** The first administrator, created straight on the backend, plus `count` customer accounts. */
async function seed(
  c: Console,
  count: number,
): Promise<{ admin: Session; zoe: AccountDetail; info: SessionInfo }> {
  const admin = c.backend.openSession();
  const info: SessionInfo = await invoke(c, admin, 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  const zoe = await invoke(c, admin, 'accounts.create', {
    fields: {
      firstName: 'Zoë',
      lastName: 'Ångström',
      email: 'zoe@example.com',
      phone: '+1 (555) 010-0199',
      addressLine1: '500 Howard Street',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    provenance: PROVENANCE,
  });
  // Test fixture: no default role may type a date of birth (masked or read-only for all).
  await c.backend.services
    .db('accounts')
    .where({ id: zoe.id })
    .update({ date_of_birth: '1987-04-12' });
  // Balances are set by the billing role (the administrator may only read them).
  const billing = { staffId: info.user.id, role: 'billing_specialist' as const };
  for (let i = 0; i < count - 1; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 5 + 3) % LAST.length]!;
    const created = await c.backend.services.accounts.create(
      { staffId: info.user.id, role: 'administrator' },
      {
        firstName: first,
        lastName: last,
        email: `${first}.${last}.${i}@example.com`
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^\x20-\x7e]/g, ''),
        phone: `+1 555 02${String(i).padStart(2, '0')} ${String(1000 + i * 7).slice(-4)}`,
        city: CITIES[i % CITIES.length]!,
        country: 'US',
      },
      PROVENANCE,
    );
    await c.backend.services.accounts.update(
      billing,
      created.id,
      created.version,
      { balanceCents: (i * 7919) % 250_000 },
      PROVENANCE,
    );
    if (i % 6 === 0) {
      // Test fixture only: standing transitions have their own workflow; vary the list a little.
      await c.backend.services
        .db('accounts')
        .where({ id: created.id })
        .update({ standing: STANDING_MIX[(i / 6) % STANDING_MIX.length] });
    }
  }
  return { admin, zoe, info };
}

async function signIn(page: Page, password = ADMIN.password): Promise<void> {
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
}

function table(page: Page) {
  return page.getByRole('table', { name: 'Accounts' });
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel('Search accounts').fill(text);
}

async function openZoe(page: Page): Promise<void> {
  await search(page, 'Ångs');
  await expect(page.getByTestId('search-hint')).toHaveText(/^Searching by name/);
  await table(page)
    .getByRole('row', { name: /Ångström/ })
    .click();
  await expect(page.getByTestId('account-title')).toHaveText('Zoë Ångström');
}

async function chooseSource(page: Page, label: string): Promise<void> {
  await page.getByRole('combobox', { name: 'How did the customer supply this?' }).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('first run creates the administrator; sign out and sign in again', async () => {
  const c = await start();
  const { page } = c;
  await expect(page.getByRole('heading', { name: 'Set up Custodian' })).toBeVisible();

  await page.getByLabel('Display name').fill(ADMIN.displayName);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel(/^Password/).fill('short');
  await page.getByLabel(/^Confirm password/).fill('different');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('At least 12 characters.', { exact: true })).toBeVisible();
  await c.screenshot('first-run');

  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByLabel(/^Confirm password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN.displayName);
  await expect(page.getByRole('banner').getByText('Administrator')).toBeVisible();
  await expect(page.getByText('No accounts yet')).toBeVisible();

  // A new account: required fields and provenance, then its detail.
  await page.getByRole('button', { name: 'New account' }).click();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('First name is required.')).toBeVisible();
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Email').fill('Grace.Hopper@Example.com');
  await chooseSource(page, 'In person');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('account-title')).toHaveText('Grace Hopper');
  await expect(page.locator('dd[data-field="email"]')).toHaveText('grace.hopper@example.com');
  await expect(page.locator('dd[data-field="provenanceSource"]')).toHaveText('In person');
  await page.getByRole('button', { name: 'Back to accounts' }).click();
  await expect(table(page).getByRole('row', { name: /Grace Hopper/ })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await page.getByLabel('Username').fill(ADMIN.username);
  await c.screenshot('login');
  await signIn(page);
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN.displayName);

  // A reload keeps the window's session, as an Electron window reload does.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
});

test('five wrong passwords lock the staff account', async () => {
  const c = await start();
  await seed(c, 1);
  const { page } = c;
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  for (let attempt = 1; attempt <= 4; attempt++) {
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel(/^Password/).fill(`wrong password ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Incorrect username or password.')).toBeVisible();
  }
  await page.getByLabel(/^Password/).fill('wrong password 5');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Too many failed sign-in attempts' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('locked for 15 minutes');
  await c.screenshot('login-locked');

  // While locked even the right password is refused.
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toHaveCount(0);
});

test('search finds a seeded account; opening it and editing saves', async () => {
  const c = await start();
  const { zoe } = await seed(c, 75);
  const { page } = c;
  await page.reload();
  await signIn(page);

  // Only columns the administrator may see; the first page, then more on scrolling.
  const headers = table(page).getByRole('columnheader');
  await expect(headers).toHaveText([
    'Account',
    'Name',
    'Email',
    'Phone',
    'City',
    'Standing',
    'Balance',
  ]);
  await expect(page.getByTestId('list-status')).toHaveText(
    '50 accounts shown · scroll down for more',
  );
  await c.screenshot('accounts-list');
  await table(page).hover();
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 2000);
  await expect(page.getByTestId('list-status')).toHaveText('75 accounts shown · end of list');
  // Opening an account and coming back keeps the scroll position.
  const lastRow = table(page).getByRole('row').last();
  const lastName = (await lastRow.textContent()) ?? '';
  await lastRow.click();
  await page.getByRole('button', { name: 'Back to accounts' }).click();
  await expect(table(page).getByRole('row').last()).toHaveText(lastName);
  await expect(table(page).getByRole('row').last()).toBeInViewport();
  // Virtualised: far fewer row elements than accounts.
  expect(await table(page).getByRole('row').count()).toBeLessThan(60);

  // Sorting by a readable column asks the backend.
  await table(page).getByRole('button', { name: 'Account' }).click();
  await expect(table(page).getByRole('columnheader', { name: 'Account' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(table(page).getByRole('row').nth(1)).toContainText('C-1000001');

  // Bare digits are the start of an account number or phone digits (issue 17); a phone typed
  // with its spaces is phone digits alone.
  await search(page, '0199');
  await expect(page.getByTestId('search-hint')).toHaveText(
    'Searching by account number or phone digits',
  );
  await expect(table(page).getByRole('row')).toHaveCount(2);
  await search(page, '010-0199');
  await expect(page.getByTestId('search-hint')).toHaveText('Searching by phone digits');
  await expect(table(page).getByRole('row')).toHaveCount(2);
  await c.screenshot('accounts-search');
  await search(page, 'zoe@ex');
  await expect(page.getByTestId('search-hint')).toHaveText('Searching by email');
  await expect(table(page).getByRole('row')).toHaveCount(2);
  await search(page, String(zoe.fields.accountNumber));
  await expect(page.getByTestId('search-hint')).toHaveText('Searching by account number');
  await expect(table(page).getByRole('row')).toHaveCount(2);
  // The column chosen above orders the results; best-match order is one click away.
  await search(page, 'zoe@ex');
  await page.getByRole('button', { name: 'Best matches first' }).click();
  await expect(page.getByTestId('search-hint')).toHaveText(
    'Searching by email, best matches first',
  );
  await expect(table(page).getByRole('columnheader', { name: 'Account' })).not.toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(table(page).getByRole('row')).toHaveCount(2);

  await openZoe(page);
  await expect(page.getByTestId('account-meta')).toContainText('Version 1');
  // Masked for the administrator: shown with its mask, never the value.
  const dob = page.locator('dd[data-field="dateOfBirth"]');
  await expect(dob).toHaveText('1987-••-••');
  await expect(dob.getByLabel('Masked')).toBeVisible();
  // Hidden for the administrator: no label at all.
  await expect(page.getByText('Tax id')).toHaveCount(0);
  await expect(page.getByText('Support notes')).toHaveCount(0);
  await c.screenshot('account-detail');

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('City').fill('Oakland');
  await chooseSource(page, 'Phone call');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="city"]')).toHaveText('Oakland');
  await expect(page.getByTestId('account-meta')).toContainText('Version 2');

  // Refused input: inline errors under the right fields, and nothing saved.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Address line 1').fill('4111 1111 1111 1111');
  await page.getByLabel('Country').fill('XX');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Not a valid email address.')).toBeVisible();
  await expect(page.getByText(CARD_NUMBER_MESSAGE)).toBeVisible();
  await expect(page.getByText('Use a two-letter ISO country code such as US or GB.')).toBeVisible();
  await expect(page.getByText('Say how the customer supplied this information.')).toBeVisible();
  await expect(page.getByTestId('form-message')).toContainText('Some fields need attention.');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Address line 1')).toHaveAttribute('aria-invalid', 'true');
  await c.screenshot('account-edit-errors');

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('dd[data-field="email"]')).toHaveText('zoe@example.com');
  await page.getByRole('button', { name: 'Back to accounts' }).click();
  // The list kept its place (search) and shows the saved value.
  await expect(page.getByLabel('Search accounts')).toHaveValue('Ångs');
  await expect(table(page).getByRole('row', { name: /Ångström/ })).toContainText('Oakland');
});

test('a stale edit shows the conflict, keeps the input, and resolves', async () => {
  const c = await start();
  const { zoe } = await seed(c, 5);
  const { page } = c;
  await page.reload();
  await signIn(page);
  await openZoe(page);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Email').fill('zoe.mine@example.com');
  await chooseSource(page, 'Email');

  // Meanwhile a colleague on another workstation saves the same account.
  const colleague = c.backend.openSession();
  await invoke(c, colleague, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
  await invoke(c, colleague, 'accounts.update', {
    id: zoe.id,
    version: 1,
    changes: { email: 'zoe.theirs@example.com', city: 'Berkeley' },
    provenance: { source: 'in_person', date: '2026-01-20' },
  });

  await page.getByRole('button', { name: 'Save changes' }).click();
  const message = page.getByTestId('form-message');
  await expect(message).toContainText('Someone else saved this account first');
  await expect(message).toContainText('your changes were not saved');
  await expect(message).toContainText('City: Berkeley');
  await expect(page.getByLabel('Email')).toHaveValue('zoe.mine@example.com');
  await expect(page.getByTestId('saved-now-email')).toContainText('zoe.theirs@example.com');
  await expect(page.getByTestId('saved-now-city')).toContainText('Berkeley');
  await c.screenshot('account-conflict');

  // Nothing was overwritten.
  const stored = await invoke(c, colleague, 'accounts.get', { id: zoe.id });
  expect(stored.fields.email).toBe('zoe.theirs@example.com');

  await page.getByRole('button', { name: 'Use their version as the base' }).click();
  await expect(page.getByLabel('Email')).toHaveValue('zoe.mine@example.com');
  await expect(page.getByLabel('City')).toHaveValue('Berkeley');
  await expect(page.getByText('editing version 2')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="email"]')).toHaveText('zoe.mine@example.com');
  await expect(page.locator('dd[data-field="city"]')).toHaveText('Berkeley');
  await expect(page.getByTestId('account-meta')).toContainText('Version 3');
});

test('lock screen hides the console and keeps the place; idle lock; settings', async () => {
  const clock = new TestClock();
  const c = await start({ clock });
  const { zoe } = await seed(c, 5);
  const { page } = c;
  // The renderer's timers run on a controllable clock too (it flows normally until moved).
  await page.clock.install();
  await page.reload();
  await signIn(page);

  // Settings (administrator only): lock after one idle minute.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const minutes = page.getByLabel('Lock after (minutes idle)');
  await minutes.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('At least 1 minute.')).toBeVisible();
  await minutes.fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The console now locks after 1 idle minute.')).toBeVisible();
  await c.screenshot('settings');

  // A half-typed edit, then the Lock button.
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await openZoe(page);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Address line 2').fill('Suite 12 (half typ');
  await page.getByRole('button', { name: 'Lock' }).click();
  const overlay = page.getByRole('dialog', { name: 'Console locked' });
  await expect(overlay).toBeVisible();
  // Customer data is not visible behind the lock screen.
  await expect(page.getByText(/Ångström/).filter({ visible: true })).toHaveCount(0);
  await expect(page.getByText('500 Howard Street').filter({ visible: true })).toHaveCount(0);
  await expect(page.getByLabel('Address line 2')).toBeHidden();
  await c.screenshot('lock-screen');
  // The backend is locked too: a call from this window is refused.
  const refused = await page.evaluate(() =>
    (window as unknown as { custodian: CustodianApi }).custodian.invoke('accounts.get', {
      id: '00000000-0000-7000-8000-000000000000',
    }),
  );
  expect(refused.ok ? 'ok' : refused.error.code).toBe('SESSION_LOCKED');

  await overlay.getByLabel(/^Password/).fill('not my password');
  await overlay.getByRole('button', { name: 'Unlock' }).click();
  await expect(overlay.getByText('Incorrect password.')).toBeVisible();
  await overlay.getByLabel(/^Password/).fill(ADMIN.password);
  await overlay.getByRole('button', { name: 'Unlock' }).click();
  await expect(overlay).toBeHidden();
  await expect(page.getByLabel('Address line 2')).toHaveValue('Suite 12 (half typ');

  // Idle: a minute without input locks the console by itself.
  await page.clock.fastForward(61_000);
  await expect(overlay).toBeVisible();
  await overlay.getByLabel(/^Password/).fill(ADMIN.password);
  await overlay.getByRole('button', { name: 'Unlock' }).click();
  await expect(overlay).toBeHidden();
  await expect(page.getByLabel('Address line 2')).toHaveValue('Suite 12 (half typ');

  // The backend enforces the same limit on its own clock: the next call is refused and the
  // lock screen appears; after unlocking, the save goes through with the typed value.
  await page.getByLabel('Address line 2').fill('Suite 12 (half typed)');
  await chooseSource(page, 'In person');
  clock.advance(2 * 60_000);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(overlay).toBeVisible();
  await overlay.getByLabel(/^Password/).fill(ADMIN.password);
  await overlay.getByRole('button', { name: 'Unlock' }).click();
  await expect(overlay).toBeHidden();
  await expect(page.getByLabel('Address line 2')).toHaveValue('Suite 12 (half typed)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="addressLine2"]')).toHaveText('Suite 12 (half typed)');

  // "Sign out" on the lock screen ends the session.
  await page.getByRole('button', { name: 'Lock' }).click();
  await overlay.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const after = await c.backend.invoke(c.backend.openSession(), 'accounts.get', { id: zoe.id });
  expect(after.ok).toBe(false);
});

test('a support agent changes the temporary password and sees masked payment data', async () => {
  const c = await start();
  const { zoe, info } = await seed(c, 3);
  const billing = { staffId: info.user.id, role: 'billing_specialist' as const };
  await c.backend.services.accounts.update(
    billing,
    zoe.id,
    zoe.version,
    { paymentBrand: 'Visa', paymentLast4: '4242' },
    PROVENANCE,
  );
  await c.backend.services.auth.createStaff({
    username: 'sam',
    displayName: 'Sam Support',
    role: 'support_agent',
    password: 'temporary password 1',
    mustChangePassword: true,
  });
  const { page } = c;
  await page.reload();
  await page.getByLabel('Username').fill('sam');
  await page.getByLabel(/^Password/).fill('temporary password 1');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel(/^Current password/).fill('temporary password 1');
  await page.getByLabel(/^New password/).fill('temporary password 1');
  await page.getByLabel(/^Confirm new password/).fill('temporary password 1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Same as the current password.')).toBeVisible();
  await c.screenshot('change-password');
  await page.getByLabel(/^New password/).fill('sams own passphrase');
  await page.getByLabel(/^Confirm new password/).fill('sams own passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Support agent')).toBeVisible();
  // Settings are for administrators only.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav.getByRole('button', { name: 'Settings' })).toHaveCount(0);

  await openZoe(page);
  await expect(page.locator('dd[data-field="paymentLast4"]')).toHaveText('•••• 4242');
  await expect(page.locator('dd[data-field="paymentLast4"]').getByLabel('Masked')).toBeVisible();
  await expect(page.locator('dd[data-field="paymentBrand"]')).toHaveText('••••');
  await expect(page.locator('dd[data-field="supportNotes"]')).toBeVisible();
  // Hidden for support agents: sensitive identifiers and fraud fields have no label at all.
  await expect(page.getByText('Tax id')).toHaveCount(0);
  await expect(page.getByText('Fraud notes')).toHaveCount(0);
  await c.screenshot('account-detail-support');

  // Support may edit support notes, and a card number there is refused.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Support notes').fill('Customer read out 4111-1111-1111-1111 on the call');
  await chooseSource(page, 'Phone call');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(CARD_NUMBER_MESSAGE)).toBeVisible();
  await page.getByLabel('Support notes').fill('Prefers email contact.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="supportNotes"]')).toHaveText('Prefers email contact.');
});

test('a compliance role given in the Staff screen waits for a second holder under Approvals', async () => {
  const c = await start();
  const { admin } = await seed(c, 2);
  // Cora: a compliance officer the administrator did not make (four eyes count people).
  await c.backend.services.auth.createStaff({
    username: 'cora',
    displayName: 'Cora Compliance',
    role: 'compliance_officer',
    password: 'coras own passphrase',
    mustChangePassword: false,
  });
  const { page } = c;
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await signIn(page);
  await nav.getByRole('button', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Add staff' }).click();
  const addDialog = page.getByRole('dialog', { name: 'Add staff member' });
  await addDialog.getByLabel('Display name').fill('Cobb Newcomer');
  await addDialog.getByLabel('Username').fill('cobb');
  await addDialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Compliance officer', exact: true }).click();
  await addDialog.getByLabel(/^Temporary password/).fill('temporary password 1');
  await addDialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(addDialog).toBeHidden();
  const cobbRow = page.getByRole('table', { name: 'Staff' }).locator('tr[data-staff="cobb"]');
  await expect(cobbRow).toContainText('Pending approval');
  await expect(cobbRow).toContainText('Deactivated');
  await c.screenshot('staff-pending-grant');

  // The administrator who asked sees the grant but may not approve it, and is told why.
  await nav.getByRole('button', { name: 'Approvals' }).click();
  const card = page.getByTestId('grant-card');
  await expect(card).toContainText('Cobb Newcomer');
  await expect(card).toContainText('You asked for this role grant');
  await expect(card.getByRole('button', { name: /^Approve/ })).toBeDisabled();

  // Cora approves it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').fill('cora');
  await page.getByLabel(/^Password/).fill('coras own passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await nav.getByRole('button', { name: 'Approvals' }).click();
  await expect(card).toContainText('Asked for by Ada Admin');
  await c.screenshot('approvals-role-grant');
  await card.getByRole('button', { name: /^Approve/ }).click();
  await expect(page.getByText('No role grant is waiting.')).toBeVisible();
  const cobb = (await invoke(c, admin, 'staff.list', {})).find((m) => m.username === 'cobb')!;
  expect(cobb).toMatchObject({ role: 'compliance_officer', active: true, pendingGrant: null });
});

test('the harness serves only files inside dist/renderer', () => {
  expect(resolveStatic(RENDERER_DIR, '/')).toBe(`${RENDERER_DIR}/index.html`);
  expect(resolveStatic(RENDERER_DIR, '/index.html?x=1')).toBe(`${RENDERER_DIR}/index.html`);
  for (const evil of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/assets/../../package.json',
    '/%2e%2e%5cpackage.json',
    '/index.html%00.png',
    '/%E0%A4%A',
    '/assets',
  ]) {
    expect(resolveStatic(RENDERER_DIR, evil), evil).toBeNull();
  }
});
