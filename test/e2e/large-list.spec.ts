/**
 * The accounts grid over a large list: virtualised rows, pages fetched as the user scrolls, and
 * the last account reachable. 5,000 accounts keep the run short; the grid's cost per page does
 * not depend on the list's length (keyset pages), which the benchmark measures at 1,000,000.
 */
import { expect, test } from '@playwright/test';
import { seedAccounts } from '../../main/services/seed';
import { launchConsole, type Console } from '../harness/launch-console';

const COUNT = 5_000;
const ADMIN = { displayName: 'Ada Admin', username: 'ada', password: 'correct horse battery' };

let c: Console | undefined;
test.afterEach(async () => {
  const errors = [...(c?.pageErrors ?? [])];
  await c?.close();
  c = undefined;
  expect(errors).toEqual([]);
});

test(`scrolls to the end of ${COUNT.toLocaleString('en-US')} accounts and shows the last one`, async () => {
  test.setTimeout(240_000);
  c = await launchConsole();
  const { page, backend } = c;
  await seedAccounts(backend.services.db, { count: COUNT, seed: 7 });
  const admin = backend.openSession();
  const r = await backend.invoke(admin, 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  expect(r.ok).toBe(true);
  const last = await backend.services
    .db('accounts')
    .orderBy('account_number', 'desc')
    .first('account_number');

  await page.reload();
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const grid = page.getByRole('table', { name: 'Accounts' });
  await expect(page.getByTestId('list-status')).toContainText('50 accounts shown');
  await grid.getByRole('button', { name: 'Account' }).click();
  await expect(grid.getByRole('row').nth(1)).toContainText('C-1000001');

  // Keep scrolling to the bottom; each time the grid fetches the next keyset page.
  const status = page.getByTestId('list-status');
  for (let i = 0; i < COUNT / 50 + 20; i++) {
    if ((await status.textContent())?.includes('end of list')) break;
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(5);
  }
  await expect(status).toHaveText(`${COUNT.toLocaleString('en-US')} accounts shown · end of list`, {
    timeout: 30_000,
  });
  // The last page arrives below what is on screen, as it does for a user: scroll down to it.
  const lastRow = grid.getByRole('row').last();
  await expect(async () => {
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(lastRow).toContainText(String(last.account_number), { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(lastRow).toBeInViewport();
  // Virtualised: only a screenful of row elements exists, not thousands.
  expect(await grid.getByRole('row').count()).toBeLessThan(80);
  await c.screenshot('accounts-large-list-end');
});
