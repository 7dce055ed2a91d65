/**
 * Dates as people write them (issue 17): each written form read in the column's order, the order
 * suggested from a sample (decided only by a value that reads one way; otherwise the user must
 * choose), and what a value that does not fit is told (its shape, never its text); and the
 * preview's projection by the role's access.
 */
import { describe, expect, it } from 'vitest';
import {
  notADateReason,
  suggestDateOrder,
  toIsoDate,
  valueShape,
} from '../../main/services/import/dates';
import { suggestMapping } from '../../main/services/import/mapping-suggest';
import { projectPreview } from '../../main/services/import/preview';
import { RowValidator, checkHeader } from '../../main/services/import/rules';
import { dateFormatsSchema, type DateOrder } from '../../shared/import';
import type { FieldValue } from '../../shared/types';
import { DEFAULT_MATRIX } from '../../shared/visibility';

describe('toIsoDate', () => {
  it.each<[string, DateOrder, string]>([
    ['03/04/1985', 'DMY', '1985-04-03'],
    ['03/04/1985', 'MDY', '1985-03-04'],
    ['3.4.1985', 'DMY', '1985-04-03'],
    ['3.4.1985', 'MDY', '1985-03-04'],
    ['04-03-1985', 'MDY', '1985-04-03'],
    ['04-03-1985', 'DMY', '1985-03-04'],
    ['1985/04/03', 'YMD', '1985-04-03'],
    ['1985.4.3', 'YMD', '1985-04-03'],
    ['31/12/1999', 'DMY', '1999-12-31'],
    ['12/31/1999', 'MDY', '1999-12-31'],
    ['31140', 'SERIAL', '1985-04-03'],
    ['61', 'SERIAL', '1900-03-01'],
    ['  3/4/1985 ', 'DMY', '1985-04-03'],
    ['3/4/1985 0:00', 'DMY', '1985-04-03'],
    ['4/3/1985 12:30:15 PM', 'MDY', '1985-04-03'],
    ['1985-04-03T00:00:00Z', 'DMY', '1985-04-03'],
  ])('%s in %s is %s', (raw, order, iso) => {
    expect(toIsoDate(raw, order)).toBe(iso);
  });

  it('reads forms that can be read one way only in every order', () => {
    for (const order of ['DMY', 'MDY', 'YMD', 'SERIAL'] as const) {
      for (const raw of ['1985-04-03', '1985/4/3', '3 Apr 1985', '3 April 1985', 'Apr 3, 1985']) {
        expect(toIsoDate(raw, order), `${raw} in ${order}`).toBe('1985-04-03');
      }
      expect(toIsoDate('03-Apr-1985', order)).toBe('1985-04-03');
      expect(toIsoDate('april 3 1985', order)).toBe('1985-04-03');
    }
  });

  it('refuses what is not a date in the chosen order', () => {
    expect(toIsoDate('13/04/1985', 'MDY')).toBeNull(); // no thirteenth month
    expect(toIsoDate('04/13/1985', 'DMY')).toBeNull();
    expect(toIsoDate('31/02/1985', 'DMY')).toBeNull(); // 31 February
    expect(toIsoDate('29/02/1985', 'DMY')).toBeNull(); // 1985 is not a leap year
    expect(toIsoDate('29/02/1984', 'DMY')).toBe('1984-02-29');
    expect(toIsoDate('3/4/85', 'DMY')).toBeNull(); // a two-digit year's century is a guess
    expect(toIsoDate('03/04/1985', 'YMD')).toBeNull();
    expect(toIsoDate('03/04/1985', 'SERIAL')).toBeNull();
    expect(toIsoDate('31140', 'DMY')).toBeNull(); // a day number only when SERIAL is chosen
    expect(toIsoDate('60', 'SERIAL')).toBeNull(); // Excel's 29 February 1900, which never was
    expect(toIsoDate('3 Foo 1985', 'DMY')).toBeNull();
    expect(toIsoDate('03/04/1985 extra', 'DMY')).toBeNull();
    expect(toIsoDate('', 'DMY')).toBeNull();
    expect(toIsoDate('123-45-6789', 'DMY')).toBeNull(); // a tax id mapped by mistake
  });
});

describe('suggestDateOrder', () => {
  it('a first part over 12 decides day-first; a second part over 12 month-first', () => {
    expect(suggestDateOrder(['03/04/1985', '25/12/1990', ''])).toEqual({
      order: 'DMY',
      reason: 'values',
    });
    expect(suggestDateOrder(['03/04/1985', '12/25/1990'])).toEqual({
      order: 'MDY',
      reason: 'values',
    });
    expect(suggestDateOrder(['31140', '40000'])).toEqual({ order: 'SERIAL', reason: 'values' });
    // As a spreadsheet exports a date cell, with a time of day.
    expect(suggestDateOrder(['3/4/1985 0:00', '25/12/1990 0:00'])).toEqual({
      order: 'DMY',
      reason: 'values',
    });
  });

  it('leaves the choice to the user when every value reads both ways, or values disagree', () => {
    expect(suggestDateOrder(['03/04/1985', '1.2.2000', '12-11-1970'])).toEqual({
      order: null,
      reason: 'undecided',
    });
    expect(suggestDateOrder(['25/12/1990', '12/25/1990'])).toEqual({
      order: null,
      reason: 'conflict',
    });
  });

  it('any order reads dates that read one way only', () => {
    expect(suggestDateOrder(['1985-04-03', '3 Apr 1985'])).toEqual({
      order: 'YMD',
      reason: 'unambiguous',
    });
  });

  it('says nothing of a column without a date', () => {
    expect(suggestDateOrder(['', '  '])).toBeUndefined();
    expect(suggestDateOrder(['Ada', 'ada@example.com', '555-0100'])).toBeUndefined();
  });

  it('comes with the suggested mapping of a date column, and of an unknown one', () => {
    const s = suggestMapping(
      ['Name', 'DOB', 'Last payment', 'Zip', 'Column 5'],
      [
        ['Ada Lovelace', '03/04/1985', '2024-01-31', '02139', '13/01/2020'],
        ['Alan Turing', '04/05/1986', '2024-02-01', '10001', '01/02/2020'],
      ],
    );
    expect(s.map((c) => [c.target, c.date])).toEqual([
      ['fullName', undefined],
      ['dateOfBirth', { order: null, reason: 'undecided' }],
      ['lastPaymentDate', { order: 'YMD', reason: 'unambiguous' }],
      ['postalCode', undefined], // a postcode is not read for dates
      [null, { order: 'DMY', reason: 'values' }],
    ]);
  });
});

describe('a date column in an import row', () => {
  const header = checkHeader(['firstName', 'lastName', 'dateOfBirth', 'lastPaymentDate']);
  if ('problem' in header) throw new Error(header.problem);

  const check = (validator: RowValidator, cells: string[]) => {
    const values: FieldValue[] = [];
    return { problems: validator.check(cells, values), values };
  };

  it('is converted in the chosen order, and stored as YYYY-MM-DD', () => {
    const v = new RowValidator(header, {
      dateOfBirth: { order: 'DMY', column: 'Column 3 (Born)' },
      lastPaymentDate: { order: 'MDY', column: 'Column 4 (Paid)' },
    });
    expect(check(v, ['Ada', 'Lovelace', '03/04/1985', '03/04/2024'])).toEqual({
      problems: null,
      values: ['Ada', 'Lovelace', '1985-04-03', '2024-03-04'],
    });
    // Blank stays blank; a form that reads one way is taken too.
    expect(check(v, ['Ada', 'Lovelace', '', '2024-01-31']).values).toEqual([
      'Ada',
      'Lovelace',
      null,
      '2024-01-31',
    ]);
  });

  it('a value that does not fit is a problem naming the column and the value shape, not the value', () => {
    const v = new RowValidator(header, {
      dateOfBirth: { order: 'DMY', column: 'Column 3 (Born)' },
    });
    const { problems } = check(v, ['Ada', 'Lovelace', '04/13/1985', '']);
    expect(problems).toEqual([
      {
        field: 'dateOfBirth',
        reason:
          'Column 3 (Born) is read as day/month/year (03/04/1985 is 3 April 1985), and this value (shaped 99/99/9999) is not a date in that form.',
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('04/13/1985');
    // The field's own rules still apply after conversion.
    const future = check(v, ['Ada', 'Lovelace', '01/01/2999', '']).problems;
    expect(future?.[0]?.reason).toBe('A date of birth cannot be in the future.');
  });

  it('without a chosen order, only YYYY-MM-DD is read (no guess)', () => {
    const v = new RowValidator(header);
    expect(check(v, ['Ada', 'Lovelace', '03/04/1985', '']).problems?.[0]?.reason).toBe(
      'Use a real date in the form YYYY-MM-DD.',
    );
  });

  it('shows a value by its shape and hints at a two-digit year', () => {
    expect(valueShape(' 3 Apr 1985 ')).toBe('9 aaa 9999');
    expect(valueShape('123-45-6789')).toBe('999-99-9999');
    expect(notADateReason('3/4/85', 'DMY', 'Column 2 (DOB)')).toContain(
      'Write the year with four digits.',
    );
  });
});

describe('dateFormatsSchema', () => {
  it('takes an order for the date fields only', () => {
    expect(dateFormatsSchema.parse({ dateOfBirth: 'DMY', lastPaymentDate: 'SERIAL' })).toEqual({
      dateOfBirth: 'DMY',
      lastPaymentDate: 'SERIAL',
    });
    expect(dateFormatsSchema.safeParse({ email: 'DMY' }).success).toBe(false);
    const bad = dateFormatsSchema.safeParse({ dateOfBirth: 'DDMMYY' });
    expect(bad.error?.issues[0]?.message).toBe('A date format is one of DMY, MDY, YMD, SERIAL.');
  });
});

describe('projectPreview', () => {
  it('masks and leaves out fields exactly as the role’s access says, and names the hidden ones', () => {
    const access = {
      ...DEFAULT_MATRIX.administrator,
      email: 'masked',
      balanceCents: 'hidden',
    } as const;
    const preview = projectPreview(
      [
        {
          line: 2,
          values: {
            accountNumber: null,
            firstName: 'Ada',
            lastName: 'Lovelace',
            email: 'ada@example.com',
            balanceCents: 1050,
            fraudFlag: 'none',
          },
        },
      ],
      access,
    );
    expect(preview).toEqual({
      fields: ['accountNumber', 'firstName', 'lastName', 'email'],
      access: { accountNumber: 'read', firstName: 'edit', lastName: 'edit', email: 'masked' },
      hidden: ['balanceCents', 'fraudFlag'],
      rows: [
        {
          line: 2,
          values: {
            accountNumber: null,
            firstName: 'Ada',
            lastName: 'Lovelace',
            email: 'a•••@example.com',
          },
        },
      ],
    });
  });
});
