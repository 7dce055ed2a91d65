/** Steps the end-to-end specs share on the console's own screens. */
import { expect, type Page } from '@playwright/test';
import { STAFF_PASSWORD } from '../support/staff';

/** Signs in on the sign-in screen and waits for the accounts list. */
export async function signIn(
  page: Page,
  username: string,
  password: string = STAFF_PASSWORD,
): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
}

/** The console's list of sections. */
export function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Sections' });
}
