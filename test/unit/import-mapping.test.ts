/**
 * Column mapping for imports (issue 17): what is suggested for the headers other systems write,
 * the stated rule for a whole-name column, and what a mapping that cannot work is told.
 */
import { describe, expect, it } from 'vitest';
import { ColumnMapping, mappingProblem, splitName } from '../../main/services/import/mapping';
import { suggestMapping } from '../../main/services/import/mapping-suggest';
import type { ColumnTarget } from '../../shared/import';
import { importMappingSchema } from '../../shared/import';

const targets = (header: string[], sample: string[][] = []) =>
  suggestMapping(header, sample).map((c) => c.target);

describe('suggested mapping', () => {
  it('takes the field keys themselves', () => {
    const s = suggestMapping(['firstName', 'lastName', 'email'], []);
    expect(s.map((c) => [c.target, c.reason])).toEqual([
      ['firstName', 'field key'],
      ['lastName', 'field key'],
      ['email', 'field key'],
    ]);
  });

  it('knows the names other systems give the fields (synonyms)', () => {
    expect(
      targets([
        'First Name',
        'Surname',
        'E-mail Address',
        'Zip',
        'Mobile',
        'DOB',
        'Street Address',
        'State',
        'Acct No',
      ]),
    ).toEqual([
      'firstName',
      'lastName',
      'email',
      'postalCode',
      'phone',
      'dateOfBirth',
      'addressLine1',
      'region',
      'accountNumber',
    ]);
  });

  it('ignores case, spacing, punctuation and accents', () => {
    expect(targets(['FIRST_NAME', ' last-name ', 'e.mail', 'POST CODE', 'Téléphone'])).toEqual([
      'firstName',
      'lastName',
      'email',
      'postalCode',
      'phone',
    ]);
    expect(targets(['ZIP/Postal Code', 'LASTNAME', 'first.name'])).toEqual([
      'postalCode',
      'lastName',
      'firstName',
    ]);
  });

  it('offers a single Name column as a whole name to split', () => {
    expect(targets(['Name', 'Email'])).toEqual(['fullName', 'email']);
    expect(suggestMapping(['Customer Name'], [])[0]).toMatchObject({
      target: 'fullName',
      reason: 'header name',
    });
  });

  it('prefers explicit first and last names to a whole-name column', () => {
    const s = suggestMapping(['Name', 'First Name', 'Last Name'], []);
    expect(s.map((c) => [c.target, c.reason])).toEqual([
      [null, 'duplicate'],
      ['firstName', 'header name'],
      ['lastName', 'header name'],
    ]);
  });

  it('suggests a field once: a second column for it is marked a duplicate', () => {
    const s = suggestMapping(['Email', 'E-mail Address', 'email'], []);
    expect(s.map((c) => [c.target, c.reason])).toEqual([
      ['email', 'header name'],
      [null, 'duplicate'],
      [null, 'duplicate'],
    ]);
  });

  it('leaves unknown columns unmapped and says so', () => {
    const s = suggestMapping(['Name', 'Fax', 'Loyalty tier', ''], [['A B', '1', 'gold', '']]);
    expect(s.slice(1).map((c) => [c.header, c.target, c.reason])).toEqual([
      ['Fax', null, 'unknown'],
      ['Loyalty tier', null, 'unknown'],
      ['column 4', null, 'unknown'],
    ]);
  });

  it('never suggests the balance for a plain "Balance" column (it is rarely in cents)', () => {
    expect(targets(['Balance', 'Balance (cents)', 'balanceCents'])).toEqual([
      null,
      'balanceCents',
      null,
    ]);
  });

  it('reads an unnamed column by its values: emails, account numbers, phones', () => {
    const sample = [
      ['ada@example.com', 'C-1000001', '+1 555 010 0199', 'x'],
      ['', 'c-1000002', '(555) 010-0198', 'y'],
    ];
    const s = suggestMapping(['Col A', 'Col B', 'Col C', 'Col D'], sample);
    expect(s.map((c) => [c.target, c.reason])).toEqual([
      ['email', 'values'],
      ['accountNumber', 'values'],
      ['phone', 'values'],
      [null, 'unknown'],
    ]);
    // A field already named by a header is not suggested again from values.
    expect(targets(['Email', 'Other'], [['a@b.co', 'c@d.co']])).toEqual(['email', null]);
  });

  it('never shows a header that holds a card number or looks like a value', () => {
    const s = suggestMapping(
      ['4111 1111 1111 1111', 'ada@example.com', '+1 (555) 010-0199', '1985-03-04', 'Zip 4'],
      [],
    );
    expect(s.map((c) => c.header)).toEqual([
      'column 1 (its name looks like a card number)',
      'column 2 (its name looks like a value: is the first row a header?)',
      'column 3 (its name looks like a value: is the first row a header?)',
      'column 4 (its name looks like a value: is the first row a header?)',
      'Zip 4',
    ]);
  });
});

describe('the rule for a whole-name column', () => {
  it.each([
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['  Ada   King  Lovelace ', 'Ada King', 'Lovelace'],
    ['Lovelace, Ada', 'Ada', 'Lovelace'],
    ['Lovelace,Ada King', 'Ada King', 'Lovelace'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Maria de la Cruz', 'Maria', 'de la Cruz'],
    ['Van Morrison', 'Van', 'Morrison'],
    ['Martin Luther King Jr.', 'Martin Luther', 'King Jr.'],
    ['Cher', '', 'Cher'],
    ['', '', ''],
  ])('%j is given names %j and surname %j', (full, firstName, lastName) => {
    expect(splitName(full)).toEqual({ firstName, lastName });
  });
});

describe('a mapping applied to rows', () => {
  it('turns each row into cells named by field keys, splitting a name', () => {
    const m = new ColumnMapping(['Name', 'Fax', 'E-mail'], ['fullName', null, 'email']);
    expect(m.keys).toEqual(['firstName', 'lastName', 'email']);
    expect(m.ignored).toEqual(['column 2 (Fax)']);
    expect(m.map(['Lovelace, Ada', '555', 'ada@example.com'])).toEqual([
      'Ada',
      'Lovelace',
      'ada@example.com',
    ]);
    expect(m.identity).toBe(false);
    expect(new ColumnMapping(['firstName', 'lastName'], ['firstName', 'lastName']).identity).toBe(
      true,
    );
  });

  it('refuses a mapping that cannot work, saying what to change', () => {
    const header = ['Name', 'First', 'Email', 'Mail'];
    expect(mappingProblem(header, ['fullName', null, 'email'])).toMatch(
      /names 3 columns, but the file has 4/,
    );
    expect(mappingProblem(header, ['fullName', null, 'email', 'email'])).toBe(
      'Email is chosen for more than one column: column 3 (Email) and column 4 (Mail). Choose it for one of them, and "Not imported" for the other.',
    );
    expect(mappingProblem(header, ['fullName', 'firstName', 'email', null])).toMatch(
      /^First name comes both from a whole name and from its own column: column 1 \(Name\) and column 2 \(First\)/,
    );
    expect(mappingProblem(header, [null, 'firstName', 'email', null])).toMatch(
      /^No column is imported as Last name/,
    );
    expect(mappingProblem(header, ['fullName', null, 'email', null])).toBeNull();
  });

  it('takes only field keys, fullName or null from the window (zod)', () => {
    expect(importMappingSchema.safeParse(['firstName', 'fullName', null]).success).toBe(true);
    for (const bad of [[], ['createdAt'], ['provenanceSource'], ['__proto__'], [1], 'x']) {
      const parsed = importMappingSchema.safeParse(bad);
      expect(parsed.success).toBe(false);
    }
    const parsed = importMappingSchema.safeParse(['nope'] as unknown as ColumnTarget[]);
    expect(parsed.error?.issues[0]?.message).toMatch(/A column is imported as one of the fields/);
  });
});
