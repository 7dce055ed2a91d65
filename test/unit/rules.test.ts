import { describe, expect, it } from 'vitest';
import {
  containsCardNumber,
  formatMoney,
  parseMoney,
  passesLuhn,
  phoneProblem,
  postalCodeProblem,
  isIsoDate,
} from '../../shared/rules';
import { detectSearchKind, nameSearchKey, searchKey } from '../../shared/search';

describe('card numbers', () => {
  it.each([
    '4111111111111111',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    'card: 5555555555554444, exp 12/29',
    '378282246310005',
    '6011111111111117',
    '4222222222222',
  ])('refuses %s', (text) => expect(containsCardNumber(text)).toBe(true));

  it.each([
    '4111111111111112',
    '4242',
    '123-45-6789',
    '+1 415 555 0101',
    'order 2026-11-25',
    '41111111111111111111111',
  ])('accepts %s', (text) => expect(containsCardNumber(text)).toBe(false));

  // A valid card number of a brand: the prefix, digits, and the Luhn check digit.
  const cardOf = (prefix: string, length: number, fill = '7') => {
    const body = prefix + fill.repeat(length - prefix.length - 1);
    for (let d = 0; d <= 9; d++) if (passesLuhn(body + String(d))) return body + String(d);
    throw new Error('unreachable');
  };
  const brands: Record<string, string> = {
    'Visa 16': '4111111111111111',
    'Visa 13': '4222222222222',
    'Visa 19': cardOf('4', 19),
    'Mastercard 51-55': '5555555555554444',
    'Mastercard 2-series': '2223003122003222',
    'Mastercard 2720': cardOf('2720', 16),
    'Amex 15 (34)': cardOf('34', 15),
    'Amex 15 (37)': '378282246310005',
    'Discover 6011': '6011111111111117',
    'Discover 644-649': cardOf('645', 16),
    'Discover 65, 19 digits': cardOf('65', 19),
    'Discover 622126-622925': cardOf('622500', 17),
    'JCB 3528-3589': '3530111333300000',
    'JCB 19': cardOf('3589', 19),
    'Diners 14 (36)': '36227206271667',
    'Diners 14 (300-305)': '30569309025904',
    'Diners 3095': cardOf('3095', 14),
    'Diners 38': cardOf('38', 16),
    'UnionPay 16': '6200000000000005',
    'UnionPay 19': cardOf('62', 19),
  };
  it.each(Object.entries(brands))('refuses a %s card number', (_brand, card) => {
    expect(passesLuhn(card)).toBe(true);
    expect(containsCardNumber(card)).toBe(true);
    expect(containsCardNumber(card.replace(/(\d{4})(?=\d)/g, '$1 '))).toBe(true);
  });

  const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const script = (zero: number) => (s: string) =>
    s.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
  const grouped = (card: string, sep: string) => card.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
  const VISA = '4111111111111111';
  const AMEX = '378282246310005';
  it.each([
    ['card + expiry', `${grouped(VISA, ' ')} 12/27`],
    ['card + expiry, dashes', `${grouped(VISA, '-')} 12-27`],
    ['card + CVV', `${VISA} 123`],
    ['card + expiry + CVV', `${grouped(VISA, ' ')} 12/27 123`],
    ['Amex + expiry + CVV', '3782 822463 10005 08/29 1234'],
    ['dots', grouped(VISA, '.')],
    ['slashes', grouped(VISA, '/')],
    ['underscores', grouped(VISA, '_')],
    ['tabs', grouped(VISA, '\t')],
    ['double spaces', grouped(VISA, '  ')],
    ['newlines', grouped(VISA, '\r\n')],
    ['mixed separators', '4111 - 1111./1111_\t1111'],
    ['NBSP', grouped(VISA, '\u00a0')],
    ['narrow NBSP and ideographic space', '4111\u202f1111\u30001111\u202f1111'],
    ['full-width digits', fullWidth(grouped(VISA, ' '))],
    ['full-width digits, no separators', fullWidth(AMEX)],
    ['Arabic-Indic digits', script(0x0660)(VISA)],
    ['Extended Arabic-Indic digits', script(0x06f0)(grouped(VISA, ' '))],
    ['Devanagari digits', script(0x0966)(VISA)],
    ['Bengali digits', script(0x09e6)(AMEX)],
    ['mathematical bold digits', script(0x1d7ce)(VISA)],
    ['ASCII and full-width mixed', `4111 ${fullWidth('1111')} 1111 ${fullWidth('1111')}`],
    ['U+200B between groups', grouped(VISA, '\u200b')],
    ['U+200C between groups', grouped(VISA, '\u200c')],
    ['U+200D between groups', grouped(VISA, '\u200d')],
    ['U+2060 between groups', grouped(VISA, '\u2060')],
    ['U+FEFF between groups', grouped(VISA, '\ufeff')],
    ['soft hyphen between groups', grouped(VISA, '\u00ad')],
    ['zero-width inside every group', '41\u200b11 11\u200b11 11\u200c11 11\u200d11'],
    ['combining marks on the digits', VISA.replace(/\d/g, '$&\u0332')],
    [
      'in a sentence',
      `Customer read out her card ${grouped(VISA, ' ')} exp 12/27, CVV 123, please call back.`,
    ],
    ['after other numbers in the same run', `Ticket 88213, 14:05 ${grouped(VISA, ' ')} 12/27`],
    ['on its own line among others', `Call 2024-03-01\n${grouped(VISA, ' ')}\n12/27`],
    ['after a +, longer than a phone', '+4111 1111 1111 1111'],
    ['card of 19 digits grouped 4-4-4-4-3', grouped(cardOf('4', 19), ' ')],
  ])('refuses a card written with %s', (_form, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['an order id', 'Order 112-3456789-0123456'],
    ['an invoice number', 'INV-2024-000123456789'],
    ['an invoice number, spaced', 'Invoice 2024 000123 456789'],
    ['a UPS tracking number', '1Z999AA10123456784'],
    ['a USPS tracking number', '9400 1118 9922 3397 3434 56'],
    ['a FedEx tracking number', '7712 3456 7890 1234 5678 90'],
    ['a German IBAN', 'DE89 3704 0044 0532 0130 00'],
    ['a Danish IBAN (digits in a Mastercard range)', 'DK50 0040 0440 1162 43'],
    ['a Belgian IBAN, compact', 'BE68539007547034'],
    ['a French IBAN', 'FR76 3000 6000 0112 3456 7890 189'],
    ['a GB IBAN', 'GB29 NWBK 6016 1331 9268 19'],
    ['an ISBN-13', 'ISBN 978-3-16-148410-0'],
    ['an ISBN-13 without dashes', '9783161484100'],
    ['a timestamp', '2024-03-01 14:05:59.123'],
    ['a compact timestamp', '20240301140559123'],
    ['unix time in ms', '1709301959123'],
    ['an international phone (Luhn-valid, Visa-like)', '+49 151 2345 6787'],
    ['an international phone, compact', '+491512345678'],
    ['two international phones', '+44 20 7946 0958 / +44 20 7946 0959'],
    ['a US phone with +', '+1 (415) 555-0101'],
    ['a 20-digit bank reference', 'ref 41111111111111111111'],
    ['a 24-digit bank reference', 'Wire 411111111111111111111111 received'],
    ['a 30-digit bank reference', '555555555555444455555555555544'],
    ['dates in a list', '2024-01-25, 2024-02-25, 2024-03-25, 2024-04-25'],
    ['amounts in a list', '45.10, 37.50, 62.00, 38.99, 41.25'],
    ['a Luhn-valid 16 digits starting with 0', '0000000000000000'],
    ['a Luhn-valid 16 digits starting with 1', '1234567812345670'],
    ['a Luhn-valid 16 digits starting with 7', '7992739871300006'],
    ['a Luhn-valid 16 digits starting with 8', '8111111111111113'],
    ['a Luhn-valid 16 digits starting with 9', '9111111111111112'],
    ['a Luhn-valid 16 digits in 50 (Maestro, not a listed brand)', '5000000000000009'],
    ['a Luhn-valid Amex prefix at the wrong length', '3782822463100051'],
    ['a Luhn-valid Visa prefix at 15 digits', '411111111111116'],
    ['the last 4 digits', 'Visa ending 4242'],
    ['a card number broken by letters', '4111x1111x1111x1111'],
  ])('accepts %s', (_what, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('Luhn', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
});

describe('field rules', () => {
  it('phones', () => {
    expect(phoneProblem('+1 (415) 555-0101')).toBeNull();
    expect(phoneProblem('123')).toMatch(/7 to 15 digits/);
    expect(phoneProblem('call me')).toMatch(/digits/);
  });
  it('postal codes per country', () => {
    expect(postalCodeProblem('94105', 'US')).toBeNull();
    expect(postalCodeProblem('94105-1234', 'us')).toBeNull();
    expect(postalCodeProblem('SW1A 1AA', 'GB')).toBeNull();
    expect(postalCodeProblem('9410', 'US')).toMatch(/US/);
    expect(postalCodeProblem('75001', null)).toBeNull();
    expect(postalCodeProblem('!', null)).toMatch(/3 to 10/);
  });
  it('dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('29/02/2024')).toBe(false);
  });
  it('money in minor units', () => {
    expect(parseMoney('1,234.56', 'USD')).toBe(123456);
    expect(parseMoney('12.5', 'USD')).toBe(1250);
    expect(parseMoney('1.234', 'USD')).toBeNull();
    expect(parseMoney('-1', 'USD')).toBeNull();
    expect(parseMoney('500', 'JPY')).toBe(500);
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
  });
  it('formats money again with each currency and locale its own (formatters are kept)', () => {
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(123456, 'JPY')).toBe('¥123,456');
    expect(formatMoney(123456, 'USD', 'de-DE')).toBe('1.234,56\u00a0$');
    expect(formatMoney(99, 'USD')).toBe('$0.99');
    expect(() => formatMoney(1, 'NOT A CODE')).toThrow(RangeError);
    expect(() => formatMoney(1, 'NOT A CODE')).toThrow(RangeError);
  });
});

describe('search', () => {
  it('detects the kind of a search text', () => {
    expect(detectSearchKind('C-1000002')).toBe('accountNumber');
    expect(detectSearchKind('ann@ex')).toBe('email');
    expect(detectSearchKind('+44 20 7946')).toBe('phone');
    expect(detectSearchKind("o'brien")).toBe('name');
    expect(detectSearchKind('12')).toBe('name');
  });
  it('tells the wider searches apart (issue 17)', () => {
    expect(detectSearchKind('C-10000')).toBe('accountNumber');
    expect(detectSearchKind('c-1')).toBe('accountNumber');
    expect(detectSearchKind('10000')).toBe('digits');
    expect(detectSearchKind('4155550101')).toBe('digits');
    expect(detectSearchKind('415 555')).toBe('phone');
    expect(detectSearchKind('@example.com')).toBe('emailDomain');
    expect(detectSearchKind(' @exa ')).toBe('emailDomain');
    expect(detectSearchKind('@')).toBe('email');
    expect(detectSearchKind('a@b@c')).toBe('email');
    expect(detectSearchKind('Smith, John')).toBe('name');
    expect(detectSearchKind('Al-Sayed')).toBe('name');
  });
  it('reads "last, first" as the last name first', () => {
    expect(nameSearchKey('Smith,  John')).toBe('smith john');
    expect(nameSearchKey('Ångström,Zoë')).toBe('angstrom zoe');
  });
  it('normalises names', () => {
    expect(searchKey('  Zoë   ÅNGSTRÖM ')).toBe('zoe angstrom');
  });
});

describe('phone numbers and the card check', () => {
  it('accepts international phones that happen to pass Luhn, refuses card numbers typed as a phone', async () => {
    const { fieldValueSchema } = await import('../../shared/schemas');
    const { FIELD_BY_KEY } = await import('../../shared/catalogue');
    const phone = fieldValueSchema(FIELD_BY_KEY.phone);
    expect(phone.safeParse('+49 151 2345 6787').success).toBe(true);
    const card = phone.safeParse('378282246310005');
    expect(card.success).toBe(false);
    expect(JSON.stringify(card.error)).toMatch(/country code after a \+/);
  });
});
