/** Email addresses made from a customer's name, at the reserved example domains. */
import { searchKey } from '../../../shared/search';
import { int, oneOf, type Random } from './random';

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** Letters and digits only, for the local part of an email address (cached per name). */
const emailWords = new Map<string, string>();
function emailWord(text: string): string {
  let word = emailWords.get(text);
  if (word === undefined) {
    word = searchKey(text)
      .replace(/ß/g, 'ss')
      .replace(/[^a-z0-9]/g, '');
    emailWords.set(text, word);
  }
  return word;
}

export function email(r: Random, first: string, last: string): string {
  const a = emailWord(first) || 'customer';
  const b = emailWord(last) || 'account';
  let local: string;
  switch (int(r, 0, 4)) {
    case 0:
      local = `${a}.${b}`;
      break;
    case 1:
      local = `${a}${b}`;
      break;
    case 2:
      local = `${a.charAt(0)}${b}`;
      break;
    case 3:
      local = `${a}.${b}${int(r, 1, 99)}`;
      break;
    default:
      local = `${b}.${a}${int(r, 1940, 2006)}`;
  }
  return `${local}@${oneOf(r, EMAIL_DOMAINS)}`;
}
