/**
 * Postal codes, phone numbers, tax ids and street addresses in each seeded country's usual
 * shape; every one passes the shared field rules (never a run of digits a card number rule
 * would refuse).
 */
import type { SeedCountry } from './distributions';
import { chance, digits, int, oneOf, pick, type Random } from './random';

const GB_AREAS = ['SW', 'SE', 'NW', 'EC', 'WC', 'N', 'E', 'W', 'B', 'M', 'L', 'LS', 'G', 'EH'];
const GB_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CA_FIRST_LETTERS = 'ABCEGHJKLMNPRSTVXY';
const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const NI_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';

export function postalCode(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      const zip = String(int(r, 1001, 99950)).padStart(5, '0');
      return chance(r, 0.2) ? `${zip}-${digits(r, 4)}` : zip;
    }
    case 'DE':
      return String(int(r, 1067, 99998)).padStart(5, '0');
    case 'CA':
      return `${pick(r, CA_FIRST_LETTERS)}${digits(r, 1)}${pick(r, CA_LETTERS)} ${digits(r, 1)}${pick(r, CA_LETTERS)}${digits(r, 1)}`;
    case 'GB': {
      const area = oneOf(r, GB_AREAS);
      const district = int(r, 1, area.length === 1 ? 20 : 9);
      return `${area}${district} ${digits(r, 1)}${pick(r, GB_INWARD_LETTERS)}${pick(r, GB_INWARD_LETTERS)}`;
    }
  }
}

/**
 * At most 12 digits: the card number rule refuses any 13-19 digit run that passes Luhn, which a
 * real 13-15 digit international number does one time in ten.
 */
export function phone(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US':
    case 'CA': {
      const area = `${int(r, 2, 9)}${digits(r, 2)}`;
      const exchange = `${int(r, 2, 9)}${digits(r, 2)}`;
      const line = digits(r, 4);
      switch (int(r, 0, 3)) {
        case 0:
          return `(${area}) ${exchange}-${line}`;
        case 1:
          return `+1 ${area} ${exchange} ${line}`;
        case 2:
          return `${area}-${exchange}-${line}`;
        default:
          return `${area}.${exchange}.${line}`;
      }
    }
    case 'GB':
      return chance(r, 0.6)
        ? `+44 7${digits(r, 3)} ${digits(r, 6)}`
        : `+44 20 ${digits(r, 4)} ${digits(r, 4)}`;
    case 'DE':
      return chance(r, 0.5) ? `+49 15${digits(r, 1)} ${digits(r, 7)}` : `+49 30 ${digits(r, 8)}`;
  }
}

/** National tax or insurance number in the country's usual shape; never 13+ digits in a row. */
export function taxId(r: Random, country: SeedCountry): string {
  switch (country) {
    case 'US': {
      let area = int(r, 1, 899);
      if (area === 666) area = 665;
      const group = int(r, 1, 99);
      const serial = int(r, 1, 9999);
      return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
    }
    case 'CA':
      return `${int(r, 1, 9)}${digits(r, 2)}-${digits(r, 3)}-${digits(r, 3)}`;
    case 'GB':
      return `${pick(r, NI_FIRST)}${pick(r, NI_SECOND)}${digits(r, 6)}${pick(r, 'ABCD')}`;
    case 'DE':
      return `${int(r, 1, 9)}${digits(r, 10)}`;
  }
}

export function streetAddress(r: Random, street: string, country: SeedCountry): string {
  switch (country) {
    case 'DE': {
      const suffix = chance(r, 0.1) ? pick(r, 'abc') : '';
      return `${street} ${int(r, 1, 150)}${suffix}`;
    }
    case 'GB':
      return `${int(r, 1, 200)} ${street}`;
    default:
      return `${int(r, 1, 9999)} ${street}`;
  }
}

export function addressLine2(r: Random, country: SeedCountry): string {
  const n = int(r, 1, 40);
  switch (country) {
    case 'GB':
      return `Flat ${n}`;
    case 'DE':
      return `${int(r, 1, 6)}. OG`;
    default:
      switch (int(r, 0, 2)) {
        case 0:
          return `Apt ${n}${pick(r, 'ABCD')}`;
        case 1:
          return `Suite ${n * 10}`;
        default:
          return `Unit ${n}`;
      }
  }
}
