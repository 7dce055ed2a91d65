import type { SearchKind } from './catalogue';

/** Lower case, no diacritics, single spaces: the form names and emails are searched and sorted in. */
export function searchKey(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** An account number or its start, letters and dash first (C-1000001, c-10). */
const ACCOUNT_NUMBER = /^[A-Za-z]{1,3}-\d{1,12}$/;
/** Bare digits: the start of an account number without its letters, or phone digits. */
const DIGITS = /^\d{3,15}$/;
/** An email's domain, or its start, after an @ (@example.com, @exa). */
const EMAIL_DOMAIN = /^@[^@\s]+$/;
const PHONEISH = /^\+?[\d ().-]+$/;

/** Guesses what a search box text is: an account number, an email, a phone number or a name. */
export function detectSearchKind(text: string): SearchKind {
  const t = text.trim();
  if (ACCOUNT_NUMBER.test(t)) return 'accountNumber';
  if (EMAIL_DOMAIN.test(t)) return 'emailDomain';
  if (t.includes('@')) return 'email';
  if (DIGITS.test(t)) return 'digits';
  if (PHONEISH.test(t) && t.replace(/\D/g, '').length >= 3) return 'phone';
  return 'name';
}

/** The name search's text: "Smith, John" is searched as "smith john" (the last name first). */
export function nameSearchKey(text: string): string {
  return searchKey(text.replace(/,/g, ' '));
}

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  accountNumber: 'account number',
  email: 'email',
  emailDomain: 'email domain',
  phone: 'phone digits',
  digits: 'account number or phone digits',
  name: 'name',
};

/**
 * The accounts list's search box waits this long after a key before it searches. Every search
 * that shows results is logged as an access (P3), so a search per key is too many; a typist's
 * keys come 80 ms or more apart, so 100 ms still makes one search of a word typed at speed, and
 * a pause shows results at once (within issue 17's 150 ms with the query's own time).
 */
export const SEARCH_DEBOUNCE_MS = 100;
