import type { FieldDef } from '../../shared/catalogue';
import type { FieldValue } from '../../shared/types';

const DOT = '•';

/**
 * The masked form of a value (DESIGN.md section 3): enough to recognise, never enough to use.
 * A masked value is always a string, so a masked amount cannot be summed or compared.
 */
export function maskValue(field: FieldDef, value: FieldValue): string | null {
  if (value === null || value === '') return null;
  const text = String(value);
  switch (field.mask) {
    case 'last4': {
      const tail = text.replace(/[^0-9A-Za-z]/g, '').slice(-4);
      return `${DOT.repeat(3)}-${DOT.repeat(2)}-${tail}`;
    }
    case 'card_last4':
      return `${DOT.repeat(4)} ${text.slice(-4)}`;
    case 'year':
      return `${text.slice(0, 4)}-${DOT.repeat(2)}-${DOT.repeat(2)}`;
    case 'email': {
      const at = text.lastIndexOf('@');
      if (at < 1) return DOT.repeat(3);
      return `${text[0]}${DOT.repeat(3)}@${text.slice(at + 1)}`;
    }
    case 'phone': {
      const digits = text.replace(/\D/g, '');
      return `${DOT.repeat(3)} ${DOT.repeat(3)} ${digits.slice(-2)}`;
    }
    case 'initial':
      return `${[...text][0] ?? ''}${DOT.repeat(3)}`;
    case 'postal':
      return `${text.slice(0, 2)}${DOT.repeat(3)}`;
    case 'amount':
    case 'redacted':
      return DOT.repeat(4);
  }
}
