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
import { detectSearchKind, searchKey } from '../../shared/search';

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
});

describe('search', () => {
  it('detects the kind of a search text', () => {
    expect(detectSearchKind('C-1000002')).toBe('accountNumber');
    expect(detectSearchKind('ann@ex')).toBe('email');
    expect(detectSearchKind('+44 20 7946')).toBe('phone');
    expect(detectSearchKind("o'brien")).toBe('name');
    expect(detectSearchKind('12')).toBe('name');
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
