/**
 * Import that meets the files people have (issue 17): the chosen file's columns come with a
 * suggested mapping; the mapping the window confirms is checked in main, applied to every row
 * (a whole-name column split), reported (columns left out are named), used by the import, and
 * offered again for the next file with the same header. On both engines.
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

/** A billing system's export, as a company adopting the console brings it. */
const EXPORT = [
  'Name,E-mail Address,Zip,Fax,Country',
  '"Lovelace, Ada",ada@example.com,02139,555-0100,US',
  'Alan Mathison Turing,alan@example.com,10001,,US',
  'Ludwig van Beethoven,ludwig@example.com,10002,,US',
  'Cher,cher@example.com,10003,,US',
].join('\n');

const count = async (b: TestBackend, table: string) =>
  Number(
    ((await b.backend.services.db(table).count({ n: '*' }).first()) as { n: number | string }).n,
  );

describe('column mapping', () => {
  it('suggests a mapping, applies the confirmed one (names split), reports the column left out', async () => {
    const { t, admin, file } = await open();
    file(EXPORT);
    const choice = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(choice.mapping).toEqual({
      saved: false,
      problem: null,
      columns: [
        { column: 1, header: 'Name', target: 'fullName', reason: 'header name' },
        { column: 2, header: 'E-mail Address', target: 'email', reason: 'header name' },
        { column: 3, header: 'Zip', target: 'postalCode', reason: 'header name' },
        { column: 4, header: 'Fax', target: null, reason: 'unknown' },
        { column: 5, header: 'Country', target: 'country', reason: 'header name' },
      ],
    });
    const mapping = choice.mapping.columns.map((c) => c.target);
    const report = await t.call(admin, 'import.check', { token: choice.token, mapping });
    expect(report).toMatchObject({
      columns: ['firstName', 'lastName', 'email', 'postalCode', 'country'],
      ignoredColumns: ['column 4 (Fax)'],
      rowsTotal: 4,
      rowsValid: 3,
      rowsRejected: 1,
    });
    // A single word is a surname without given names: refused, naming the field.
    expect(report.problems).toEqual([{ line: 5, field: 'firstName', reason: expect.any(String) }]);

    const outcome = await t.call(admin, 'import.run', { token: choice.token, accept: true });
    expect(outcome.imported).toBe(3);
    const page = await t.call(admin, 'accounts.list', { sort: 'accountNumber' });
    expect(
      page.rows.map((r) => [r.fields.firstName, r.fields.lastName, r.fields.postalCode]),
    ).toEqual([
      ['Ada', 'Lovelace', '02139'],
      ['Alan Mathison', 'Turing', '10001'],
      ['Ludwig', 'van Beethoven', '10002'],
    ]);
    // The Fax column went nowhere: no field of any account holds it.
    const rows = await t.backend.services.db('accounts').select();
    expect(JSON.stringify(rows)).not.toContain('555-0100');
  });

  it('offers the mapping confirmed at a check again for the next file with the same header', async () => {
    const { t, admin, file } = await open();
    file(EXPORT);
    const first = (await t.call(admin, 'import.chooseFile', {}))!;
    // The user edits the suggestion: the Fax column is the customers' phone, the Zip is left out.
    const edited: ColumnTarget[] = ['fullName', 'email', null, 'phone', 'country'];
    await t.call(admin, 'import.check', { token: first.token, mapping: edited });

    file(EXPORT.replace('Cher', 'Grace Hopper'));
    const next = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(next.mapping.saved).toBe(true);
    expect(next.mapping.columns.map((c) => [c.target, c.reason])).toEqual(
      edited.map((target) => [target, 'saved']),
    );
    // Another header is suggested afresh.
    file('First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n');
    const other = (await t.call(admin, 'import.chooseFile', {}))!;
    expect(other.mapping.saved).toBe(false);
    expect(other.mapping.columns.map((c) => c.target)).toEqual(['firstName', 'lastName', 'email']);
  });

  it('refuses a mapping that cannot work, says why, and writes and saves nothing', async () => {
    const { t, admin, file } = await open();
    file(EXPORT);
    const { token } = (await t.call(admin, 'import.chooseFile', {}))!;
    const twice = await t.fail(admin, 'import.check', {
      token,
      mapping: ['fullName', 'email', 'email', null, 'country'],
    });
    expect(twice.code).toBe('VALIDATION');
    expect(twice.message).toContain(
      'Email is chosen for more than one column: column 2 (E-mail Address) and column 3 (Zip).',
    );
    const short = await t.fail(admin, 'import.check', { token, mapping: ['fullName', 'email'] });
    expect(short.message).toContain('The mapping names 2 columns, but the file has 5.');
    const noName = await t.fail(admin, 'import.check', {
      token,
      mapping: [null, 'email', 'postalCode', null, 'country'],
    });
    expect(noName.message).toContain('No column is imported as First name or Last name');
    const system = await t.fail(admin, 'import.check', {
      token,
      mapping: ['fullName', 'email', 'postalCode', 'provenanceSource', 'country'],
    });
    expect(system.code).toBe('VALIDATION');
    expect(system.fieldErrors).toEqual({
      'mapping.3': expect.stringContaining('A column is imported as one of the fields'),
    });
    expect(await count(t, 'import_mappings')).toBe(0);
    expect(await count(t, 'accounts')).toBe(0);

    // Without a mapping the header must name the field keys, as before.
    const plain = await t.fail(admin, 'import.check', { token });
    expect(plain.message).toMatch(/must name the columns with Custodian's field keys/);
  });
});
