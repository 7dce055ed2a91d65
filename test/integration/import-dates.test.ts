/**
 * Import that meets the files people have (issue 17), dates and preview: a date column's format
 * is suggested from its values (or left to the user when they cannot tell), confirmed with the
 * mapping, applied to every row, saved for the next file with the header; the check's preview
 * shows the first rows as they will be stored, projected by the importer's role exactly as
 * accounts.get is. On both engines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ColumnTarget } from '../../shared/import';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';

let t: TestBackend | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

let picked: string | null = null;

async function open() {
  const backend = await openTestBackend({ chooseImportFile: async () => picked });
  t = backend;
  const admin = backend.backend.openSession();
  await backend.call(admin, 'setup.createFirstAdmin', ADMIN);
  let n = 0;
  const file = (text: string) => {
    picked = path.join(backend.dir, `export-${++n}.csv`);
    fs.writeFileSync(picked, text);
  };
  return { t: backend, admin, file };
}

type Opened = Awaited<ReturnType<typeof open>>;

/** The shipped matrix masks the administrator's date of birth: importing it needs edit access. */
async function letAdminSetDateOfBirth({ t, admin }: Opened) {
  await t.call(admin, 'visibility.update', {
    changes: [{ role: 'administrator', field: 'dateOfBirth', access: 'edit' }],
    reason: 'The administrator imports the dates of birth of the old system.',
  });
}

/** Every date reads both ways: the first rows cannot tell day-first from month-first. */
const EXPORT = [
  'Name,E-mail Address,Born',
  '"Lovelace, Ada",ada@example.com,10/12/1815',
  'Alan Turing,alan@example.com,03/04/1912',
  'Grace Hopper,grace@example.com,',
  'Bad Date,bad@example.com,31/02/1906',
].join('\n');
const MAPPING: ColumnTarget[] = ['fullName', 'email', 'dateOfBirth'];

describe('import dates', () => {
  it('asks for the order when the values cannot tell, applies it to every row, and saves it', async () => {
    const opened = await open();
    const { t, admin, file } = opened;
    await letAdminSetDateOfBirth(opened);
    file(EXPORT);
    const choice = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(choice.mapping.columns[2]).toEqual({
      column: 3,
      header: 'Born',
      target: 'dateOfBirth',
      reason: 'header name',
      date: { order: null, reason: 'undecided' },
    });

    // Without a chosen order nothing is guessed: only YYYY-MM-DD is read.
    const unsaid = await t.call(admin, 'import.check', { token: choice.token, mapping: MAPPING });
    expect(unsaid.rowsValid).toBe(1); // the blank date
    expect(unsaid.problems.map((p) => p.reason)).toContain(
      'Use a real date in the form YYYY-MM-DD.',
    );

    const report = await t.call(admin, 'import.check', {
      token: choice.token,
      mapping: MAPPING,
      dateFormats: { dateOfBirth: 'DMY' },
    });
    expect(report).toMatchObject({ rowsTotal: 4, rowsValid: 3, rowsRejected: 1 });
    expect(report.problems).toEqual([
      {
        line: 5,
        field: 'dateOfBirth',
        reason:
          'Column 3 (Born) is read as day/month/year (03/04/1985 is 3 April 1985), and this value (shaped 99/99/9999) is not a date in that form.',
      },
    ]);
    expect(report.preview.rows.map((r) => [r.line, r.values.dateOfBirth])).toEqual([
      [2, '1815-12-10'],
      [3, '1912-04-03'],
      [4, null],
    ]);

    const outcome = await t.call(admin, 'import.run', { token: choice.token, accept: true });
    expect(outcome.imported).toBe(3);
    const stored = await t.backend.services
      .db('accounts')
      .orderBy('account_number')
      .select('last_name', 'date_of_birth');
    expect(stored.map((r: { date_of_birth: unknown }) => r.date_of_birth)).toEqual([
      '1815-12-10',
      '1912-04-03',
      null,
    ]);

    // The next file with this header: the mapping and its date format, as confirmed.
    file(EXPORT.replace('Bad Date', 'Hedy Lamarr'));
    const next = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(next.mapping.saved).toBe(true);
    expect(next.mapping.columns[2]?.date).toEqual({ order: 'DMY', reason: 'saved' });
  });

  it('suggests the order a value decides, and refuses a date format for a field that is no date', async () => {
    const opened = await open();
    const { t, admin, file } = opened;
    await letAdminSetDateOfBirth(opened);
    file('First Name,Last Name,DOB\nAda,Lovelace,10/12/1815\nAlan,Turing,23/06/1912\n');
    const choice = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(choice.mapping.columns[2]?.date).toEqual({ order: 'DMY', reason: 'values' });
    const bad = await t.fail(admin, 'import.check', {
      token: choice.token,
      mapping: ['firstName', 'lastName', 'dateOfBirth'],
      dateFormats: { email: 'DMY' } as never,
    });
    expect(bad.code).toBe('VALIDATION');
  });
});

describe('import preview', () => {
  it('shows the first rows as stored, through the role’s projection as accounts.get does', async () => {
    const { t, admin, file } = await open();
    // The administrator's balance is masked; fraud (the fraud flag) is hidden in the shipped matrix.
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'administrator', field: 'balanceCents', access: 'masked' }],
      reason: 'Balances are masked for administrators in this test.',
    });
    file(
      [
        'Name,E-mail Address,Zip,Country',
        '"Lovelace, Ada",ADA@Example.com,02139,us',
        'Alan Turing,alan@example.com,10001,US',
      ].join('\n'),
    );
    const choice = (await t.call(admin, 'import.chooseFile', {}))!;
    const report = await t.call(admin, 'import.check', {
      token: choice.token,
      mapping: ['fullName', 'email', 'postalCode', 'country'],
    });
    const { preview } = report;
    expect(preview.hidden).toContain('fraudFlag');
    expect(preview.fields).not.toContain('fraudFlag');
    expect(preview.access.balanceCents).toBe('masked');
    expect(preview.rows[0]).toEqual({
      line: 2,
      values: expect.objectContaining({
        accountNumber: null,
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com', // normalised as stored
        postalCode: '02139',
        country: 'US',
        balanceCents: '••••',
        currency: 'USD',
        standing: 'good',
      }),
    });
    for (const row of preview.rows) expect(row.values).not.toHaveProperty('fraudFlag');

    await t.call(admin, 'import.run', { token: choice.token, accept: true });
    const page = await t.call(admin, 'accounts.list', { sort: 'accountNumber' });
    const detail = await t.call(admin, 'accounts.get', { id: page.rows[0]!.id });
    // Every previewed field reads as accounts.get answers it; what it hides, the preview hides.
    for (const key of preview.fields) {
      if (key === 'accountNumber') continue; // given at the import
      expect(preview.rows[0]!.values[key], key).toEqual(detail.fields[key] ?? null);
      expect(preview.access[key], key).toBe(detail.access[key]);
    }
    for (const key of preview.hidden) expect(detail.fields).not.toHaveProperty(key);
  });
});
