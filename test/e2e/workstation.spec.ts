/**
 * The workstation's start, as a person meets it (issues 14 and 15): on a computer without an OS
 * keychain a new database asks for a passphrase and shows its recovery key once, and every later
 * start asks for the passphrase (a wrong one is refused, nothing opens); a team workstation is
 * enrolled on its start screen (a wrong fingerprint refused before anything is sent), then works
 * through the team server: sign-in, accounts, and Settings → Team server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { STAFF_PASSWORD } from '../support/staff';
import { launchConsole, type Console } from '../harness/launch-console';
import { loadBackend } from '../harness/load-backend';
import { nav, signIn } from '../harness/console-ui';
import { findPgBinaries } from '../support/pg-cluster';

const PASSPHRASE = 'plum orbit velvet lantern';
const ADMIN = { displayName: 'Ada Admin', username: 'ada', password: STAFF_PASSWORD };

let c: Console | undefined;
const cleanups: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  const errors = [...(c?.pageErrors ?? [])];
  await c?.close();
  c = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  expect(errors).toEqual([]);
});

test('without a keychain: a passphrase for the new database, its recovery key once, then asked at every start', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-e2e-start-'));
  cleanups.push(() => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })));
  const database = path.join(dir, 'custodian.sqlite');

  c = await launchConsole({ database, startScreens: true });
  const { page } = c;
  await expect(page.getByRole('heading', { name: 'Protect the new database' })).toBeVisible();
  await page.getByLabel(/^Passphrase/).fill('too short');
  await page.getByLabel(/^The passphrase again/).fill('too short');
  await page.getByRole('button', { name: 'Create the database' }).click();
  await expect(page.getByText('At least 12 characters.')).toBeVisible();
  await page.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await page.getByLabel(/^The passphrase again/).fill(PASSPHRASE);
  await c.screenshot('start-new-passphrase');
  await page.getByRole('button', { name: 'Create the database' }).click();

  await expect(page.getByRole('heading', { name: 'Write down the recovery key' })).toBeVisible();
  const recoveryKey = (await page.getByTestId('recovery-key').textContent())?.trim() ?? '';
  expect(recoveryKey).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/i);
  const proceed = page.getByRole('button', { name: 'Continue' });
  await expect(proceed).toBeDisabled();
  await c.screenshot('start-recovery-key');
  await page.getByLabel('I have written the recovery key down').check();
  await proceed.click();
  await expect(page.getByRole('heading', { name: 'Set up Custodian' })).toBeVisible();
  await c.close();
  c = undefined;

  // The next start: the database stays shut until its passphrase is typed.
  c = await launchConsole({ database, startScreens: true });
  const again = c.page;
  await expect(again.getByRole('heading', { name: 'Open the database' })).toBeVisible();
  await again.getByLabel(/^Passphrase/).fill('not the passphrase at all');
  await again.getByRole('button', { name: 'Open' }).click();
  await expect(again.getByText(/passphrase is wrong/i)).toBeVisible();
  await c.screenshot('start-unlock-refused');
  // The recovery key opens it too.
  await again.getByRole('button', { name: 'Use the recovery key instead' }).click();
  await again.getByLabel(/^Recovery key/).fill(recoveryKey);
  await again.getByRole('button', { name: 'Open' }).click();
  await expect(again.getByRole('heading', { name: 'Set up Custodian' })).toBeVisible();
});

test('an administrator restores a checked backup from Settings; everyone starts over on it', async () => {
  let backupFile: string | null = null;
  c = await launchConsole({ chooseBackupFile: () => Promise.resolve(backupFile) });
  const { page, backend } = c;
  const made = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  expect(made.ok).toBe(true);
  await page.reload();
  await signIn(page, ADMIN.username, ADMIN.password);
  // Embedded: no server, so no link to show.
  await expect(page.getByTestId('server-link')).toHaveCount(0);
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  const written = page.getByRole('alert').filter({ hasText: 'Backup written' });
  await expect(written).toBeVisible();
  backupFile = ((await written.textContent()) ?? '').match(/(\/\S+\.sqlite)/)?.[1] ?? null;
  expect(backupFile).not.toBeNull();

  await page.getByRole('button', { name: 'Restore from a backup…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(dialog).toContainText('was checked and holds');
  await expect(dialog).toContainText('0 disclosure records');
  await c.screenshot('dialog-restore-backup');
  await dialog.getByRole('button', { name: 'Replace with this backup' }).click();
  // The restored database: every window signs in again.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const events = await c.backend.services.db('key_events').where({ event: 'restore' });
  expect(events).toHaveLength(1);
});

const pg = findPgBinaries();
test('a team workstation is enrolled on its start screen, then works through the server', async () => {
  if (!pg.ok) console.warn(`[e2e] team workstation spec skipped: ${pg.reason}`);
  test.skip(!pg.ok, `needs PostgreSQL server binaries (${pg.ok ? '' : pg.reason})`);
  const { startLocalTeamServer, silentLogger } = await loadBackend();
  const team = await startLocalTeamServer({ port: 0, logger: silentLogger });
  cleanups.push(() => team.stop());
  const made = await team.backend.invoke(team.backend.openSession(), 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  expect(made.ok).toBe(true);
  const { code } = await team.backend.services.enrolments.issue('front desk', null);

  c = await launchConsole({ team: { backend: team.backend } });
  const { page } = c;
  await expect(page.getByRole('heading', { name: 'Connect to the team server' })).toBeVisible();
  await page.getByLabel('Team server address').fill(team.url);
  // A fingerprint that is not the server's: refused before anything is sent.
  await page.getByLabel(/Certificate fingerprint/).fill('ab'.repeat(32));
  await page.getByLabel(/Enrolment code/).fill(code);
  await page.getByLabel('Workstation name').fill('Front desk 2');
  await page.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(page.getByRole('alert')).toContainText('nothing was sent');
  await c.screenshot('team-enrol-refused');

  await page.getByLabel(/Certificate fingerprint/).fill(team.fingerprint);
  await page.getByLabel(/Enrolment code/).fill(code);
  await page.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn(page, ADMIN.username, ADMIN.password);
  // The header says the server answers; the offline copy is made in the background.
  await expect(page.getByTestId('server-link')).toHaveText('Online');

  await nav(page).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Team server' });
  await expect(section).toContainText(team.url);
  await expect(section).toContainText('Front desk 2');
  await c.screenshot('settings-team-server');

  // Settings → Workstations: this one enrolled; a code for another, shown once; revoked.
  const desks = page.getByRole('region', { name: 'Workstations' });
  await expect(desks.getByRole('table', { name: 'Enrolled workstations' })).toContainText(
    'enrolled',
  );
  await desks.getByRole('button', { name: 'Enrol a workstation…' }).click();
  const issue = page.getByRole('dialog', { name: 'Enrol a workstation' });
  await issue.getByLabel('Workstation name').fill('Back office');
  await issue.getByRole('button', { name: 'Issue a one-time code' }).click();
  await expect(desks.getByTestId('enrolment-code')).not.toBeEmpty();
  await expect(desks.getByRole('row', { name: /Back office/ })).toContainText('waiting');
  await desks.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await c.screenshot('settings-workstations');
  await desks.getByRole('button', { name: 'Revoke Back office' }).click();
  await page
    .getByRole('dialog', { name: 'Revoke Back office' })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(desks.getByRole('row', { name: /Back office/ })).toContainText('revoked');
  // The enrolment is on record at the server, from this workstation.
  const enrolments = await team.backend.services.enrolments.list();
  expect(enrolments.find((e) => e.state === 'enrolled')).toBeDefined();
});

/**
 * A team server on a throwaway cluster with its administrator and one account, and the console
 * enrolled with it and signed in as that administrator.
 */
async function enrolledWithAccount(fields: Record<string, string>) {
  const { startLocalTeamServer, silentLogger } = await loadBackend();
  const team = await startLocalTeamServer({ port: 0, logger: silentLogger });
  cleanups.push(() => team.stop());
  const server = team.backend;
  const admin = server.openSession();
  const first = await server.invoke(admin, 'setup.createFirstAdmin', {
    ...ADMIN,
    passwordConfirm: ADMIN.password,
  });
  expect(first.ok).toBe(true);
  const made = await server.invoke(admin, 'accounts.create', {
    fields,
    provenance: { source: 'phone', date: '2026-12-01' },
  });
  if (!made.ok) throw new Error(made.error.message);
  const { id } = made.value as { id: string };
  const { code } = await server.services.enrolments.issue('laptop', null);
  c = await launchConsole({ team: { backend: server } });
  const { page } = c;
  await page.getByLabel('Team server address').fill(team.url);
  await page.getByLabel(/Certificate fingerprint/).fill(team.fingerprint);
  await page.getByLabel(/Enrolment code/).fill(code);
  await page.getByLabel('Workstation name').fill('Laptop');
  await page.getByRole('button', { name: 'Enrol this workstation' }).click();
  await signIn(page, ADMIN.username, ADMIN.password);
  return { team, server, admin, id, page };
}

test('offline, a team workstation works from its copy; an edit the server moved past is shown to choose for', async () => {
  test.skip(!pg.ok, `needs PostgreSQL server binaries (${pg.ok ? '' : pg.reason})`);
  test.setTimeout(240_000);
  const { team, server, admin, id, page } = await enrolledWithAccount({
    firstName: 'Olive',
    lastName: 'Offline',
    city: 'Oakland',
  });
  if (!c) throw new Error('the console did not start');
  const link = page.getByTestId('server-link');
  await expect(link).toHaveText('Online');
  // The offline copy is made in the background after sign-in.
  const workstation = c.workstation;
  await expect
    .poll(async () => {
      const s = await workstation.invoke(page, 'workstation.status', {});
      return s.ok ? (s.value as { offline: { lastSync: string | null } }).offline.lastSync : null;
    })
    .not.toBeNull();

  // The server goes away: the list and the account come from this workstation's copy.
  await team.stopServing();
  await page.getByLabel('Search accounts').fill('Offline');
  const row = page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Offline/ });
  await row.click();
  await expect(page.getByTestId('account-title')).toHaveText('Olive Offline');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('City').fill('Alameda');
  await page.getByRole('combobox', { name: 'How did the customer supply this?' }).click();
  await page.getByRole('option', { name: 'Phone call', exact: true }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="city"]')).toHaveText('Alameda');
  await expect(link).toHaveText('Offline · 1 queued', { timeout: 20_000 });
  await c.screenshot('team-offline');

  // Meanwhile someone at the server changes the same field.
  const theirs = await server.invoke(admin, 'accounts.update', {
    id,
    version: 1,
    changes: { city: 'Berkeley' },
    provenance: { source: 'email', date: '2026-12-07' },
  });
  expect(theirs.ok).toBe(true);

  // The server is back: the edit is replayed, meets the newer record, and waits for a choice.
  await team.serveAgain();
  const choose = page.getByRole('button', { name: '1 offline change to choose for' });
  await expect(choose).toBeVisible({ timeout: 30_000 });
  await expect(link).toHaveText('Online');
  await choose.click();
  const dialog = page.getByRole('dialog', { name: 'Offline changes to choose for' });
  const fields = dialog.getByRole('table', { name: "Your version and the server's" });
  await expect(fields.getByRole('row', { name: /City/ })).toContainText('Alameda');
  await expect(fields.getByRole('row', { name: /City/ })).toContainText('Berkeley');
  await c.screenshot('team-offline-conflict');
  await dialog.getByRole('button', { name: 'Keep mine' }).click();
  await expect(dialog).toContainText('Nothing is left to choose.');
  const after = await server.invoke(admin, 'accounts.get', { id });
  expect(after).toMatchObject({ ok: true, value: { fields: { city: 'Alameda' }, version: 3 } });
});

test('started away from the team server: signs in offline, edits, and reconnects with the password', async () => {
  test.skip(!pg.ok, `needs PostgreSQL server binaries (${pg.ok ? '' : pg.reason})`);
  test.setTimeout(240_000);
  // Signed in once while the server answers: the offline copy and the offline sign-in are made.
  const { team, server, admin, id, page } = await enrolledWithAccount({
    firstName: 'Rhoda',
    lastName: 'Road',
    city: 'Reno',
  });
  if (!c) throw new Error('the console did not start');
  const workstation = c.workstation;
  await expect
    .poll(async () => {
      const s = await workstation.invoke(page, 'workstation.status', {});
      return s.ok ? (s.value as { offline: { lastSync: string | null } }).offline.lastSync : null;
    })
    .not.toBeNull();

  // On the road: the server cannot be reached when the console starts.
  await team.stopServing();
  await page.reload();
  await expect(page.getByText(/sign in and work on its offline copy/)).toBeVisible({
    timeout: 30_000,
  });
  await c.screenshot('team-offline-sign-in');
  await signIn(page, ADMIN.username, ADMIN.password);
  const link = page.getByTestId('server-link');
  await expect(link).toHaveText('Offline', { timeout: 20_000 });
  await page.getByLabel('Search accounts').fill('Road');
  await page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Road/ }).click();
  await expect(page.getByTestId('account-title')).toHaveText('Rhoda Road');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('City').fill('Carson City');
  await page.getByRole('combobox', { name: 'How did the customer supply this?' }).click();
  await page.getByRole('option', { name: 'Phone call', exact: true }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dd[data-field="city"]')).toHaveText('Carson City');
  await expect(link).toHaveText('Offline · 1 queued', { timeout: 20_000 });

  // The server is back: nothing is sent until the password gets a server session.
  await team.serveAgain();
  const reconnect = page.getByRole('dialog', { name: 'Reconnect to the team server' });
  await expect(reconnect).toBeVisible({ timeout: 30_000 });
  await expect(reconnect.getByTestId('lock-reason')).toContainText(
    '1 change made offline waits to be sent',
  );
  await c.screenshot('team-offline-reconnect');
  expect(await server.invoke(admin, 'accounts.get', { id })).toMatchObject({
    ok: true,
    value: { fields: { city: 'Reno' } },
  });
  await reconnect.getByLabel(/^Password/).fill(ADMIN.password);
  await reconnect.getByRole('button', { name: 'Reconnect' }).click();
  await expect(reconnect).toBeHidden();
  await expect(link).toHaveText('Online', { timeout: 30_000 });
  await expect
    .poll(async () => {
      const after = await server.invoke(admin, 'accounts.get', { id });
      return after.ok ? (after.value as { fields: { city?: string } }).fields.city : null;
    })
    .toBe('Carson City');
});
