import type { SearchKind } from './catalogue';

/** Lower case, no diacritics, single spaces: the form names and emails are searched and sorted in. */
export function searchKey(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const ACCOUNT_NUMBER = /^[A-Za-z]{1,3}-\d{3,12}$/;
const PHONEISH = /^\+?[\d ().-]+$/;

/** Guesses what a search box text is: an account number, an email, a phone number or a name. */
export function detectSearchKind(text: string): SearchKind {
  const t = text.trim();
  if (ACCOUNT_NUMBER.test(t)) return 'accountNumber';
  if (t.includes('@')) return 'email';
  if (PHONEISH.test(t) && t.replace(/\D/g, '').length >= 3) return 'phone';
  return 'name';
}

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  accountNumber: 'account number',
  email: 'email',
  phone: 'phone digits',
  name: 'name',
};
