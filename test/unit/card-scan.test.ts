/**
 * What the card scanner's window alignment costs, measured: how often it takes text that is not
 * a card for one (false positives, over random digit strings and realistic reference formats),
 * and which written forms of a real card it finds. The figures are printed;
 * CARD_SCAN_SAMPLES=1000000 npx vitest run test/unit/card-scan.test.ts --project unit
 * reproduces the ones quoted in the note (the default sample is smaller, for speed).
 */
import { describe, expect, it } from 'vitest';
import { holdsCardWindow, type CardWindowAlignment } from '../../shared/rules';

const SAMPLES = Number(process.env.CARD_SCAN_SAMPLES ?? 100_000);
const ALIGNMENTS: CardWindowAlignment[] = ['groups', 'group-edges', 'group-start', 'anywhere'];

/** A small seeded generator (mulberry32), so that every run measures the same strings. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (r: () => number) => string;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const digits = (r: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
};
const letters = (r: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + Math.floor(r() * 26));
  return s;
};
const groupsOf = (s: string, size: number, sep = ' ') =>
  s.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDay = (r: () => number) =>
  `${int(r, 1990, 2035)}-${pad(int(r, 1, 12), 2)}-${pad(int(r, 1, 28), 2)}`;

/** Text that is not a card number, in the shapes staff write reference numbers. */
const REFERENCES: Record<string, Gen> = {
  'random digits, 10-30, one group': (r) => digits(r, int(r, 10, 30)),
  'random digits, 10-30, groups of 4': (r) => groupsOf(digits(r, int(r, 10, 30)), 4),
  'invoice INV-YYYY-NNNNNNNNNNNN': (r) => `INV-${int(r, 2000, 2030)}-${digits(r, int(r, 6, 12))}`,
  'order id NNN-NNNNNNN-NNNNNNN': (r) => `${digits(r, 3)}-${digits(r, 7)}-${digits(r, 7)}`,
  'order #NNNN… (10-20 digits)': (r) => `order #${digits(r, int(r, 10, 20))}`,
  'IBAN (valid), grouped': (r) => groupsOf(iban(r), 4),
  'IBAN (valid), compact': (r) => iban(r),
  'IBAN-like, check digits wrong, grouped': (r) =>
    groupsOf(`${letters(r, 2)}${digits(r, 2)}${digits(r, int(r, 11, 30))}`, 4),
  'tracking 20-22 digits, groups of 4': (r) => groupsOf(digits(r, int(r, 20, 22)), 4),
  'tracking 12/15/20/22 digits': (r) => digits(r, [12, 15, 20, 22][int(r, 0, 3)]!),
  'phone +CC …, 8-15 digits': (r) => {
    const cc = String(int(r, 1, 999));
    return `+${cc} ${groupsOf(digits(r, int(r, 8, 15) - cc.length), 3)}`;
  },
  'two phones "+… / +…"': (r) =>
    `+${int(r, 1, 99)} ${groupsOf(digits(r, 10), 3)} / +${int(r, 1, 99)} ${groupsOf(digits(r, 10), 3)}`,
  'two phones, groups of 4': (r) =>
    `+${int(r, 1, 99)} ${groupsOf(digits(r, 10), 4)}, +${int(r, 1, 99)} ${groupsOf(digits(r, 10), 4)}`,
  'timestamp YYYYMMDDhhmmss[mmm]': (r) =>
    `${isoDay(r).replace(/-/g, '')}${pad(int(r, 0, 23), 2)}${pad(int(r, 0, 59), 2)}${pad(int(r, 0, 59), 2)}${r() < 0.5 ? pad(int(r, 0, 999), 3) : ''}`,
  'timestamp "YYYY-MM-DD hh:mm:ss"': (r) =>
    `${isoDay(r)} ${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}:${pad(int(r, 0, 59), 2)}`,
  'unix time in ms': (r) => String(int(r, 946684800, 2051222400)) + digits(r, 3),
  'bank reference 20-30 digits': (r) => `ref ${digits(r, int(r, 20, 30))}`,
  'amounts "12.50, 30.00, …" (4-6)': (r) =>
    Array.from({ length: int(r, 4, 6) }, () => `${int(r, 1, 999)}.${pad(int(r, 0, 99), 2)}`).join(
      ', ',
    ),
  'amounts with words': (r) =>
    `paid ${int(r, 1, 999)}.${pad(int(r, 0, 99), 2)} on ${isoDay(r)}, then ${int(r, 1, 999)}.${pad(int(r, 0, 99), 2)} on ${isoDay(r)}, ref ${digits(r, int(r, 6, 12))}`,
  'ISBN-13 978-…': (r) =>
    `ISBN 978-${digits(r, 1)}-${digits(r, 3)}-${digits(r, 5)}-${digits(r, 1)}`,
  'dates "YYYY-MM-DD, …" (3-5)': (r) =>
    Array.from({ length: int(r, 3, 5) }, () => isoDay(r)).join(', '),
};

/** A valid IBAN (MOD 97 check digits) with a random country and an all-digit BBAN of 11-30. */
function iban(r: () => number): string {
  const country = letters(r, 2);
  const bban = digits(r, int(r, 11, 30));
  let rest = 0;
  for (const ch of `${bban}${country}00`) {
    const v = parseInt(ch, 36);
    rest = v > 9 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return `${country}${pad(98 - rest, 2)}${bban}`;
}

/** Real card numbers (issuer range, length, Luhn check digit), one brand at a time. */

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = body + String(d);
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let v = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}
function card(r: () => number): string {
  const options: [string, number][] = [
    ['4', [13, 16, 19][int(r, 0, 2)]!],
    [String(int(r, 51, 55)), 16],
    [String(int(r, 2221, 2720)), 16],
    [['34', '37'][int(r, 0, 1)]!, 15],
    [
      ['6011', String(int(r, 644, 649)), '65', String(int(r, 622126, 622925))][int(r, 0, 3)]!,
      int(r, 16, 19),
    ],
    [String(int(r, 3528, 3589)), int(r, 16, 19)],
    [['36', String(int(r, 300, 305)), '3095', '38', '39'][int(r, 0, 4)]!, int(r, 14, 19)],
    ['62', int(r, 16, 19)],
  ];
  const [prefix, len] = options[int(r, 0, options.length - 1)]!;
  return luhnComplete(prefix + digits(r, len - prefix.length - 1));
}

const fullWidth = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const arabicIndic = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const expiry = (r: () => number) => `${pad(int(r, 1, 12), 2)}/${pad(int(r, 25, 35), 2)}`;

/** A card as people paste it: every form the issue names. */
const PASTED: Record<string, (c: string, r: () => number) => string> = {
  plain: (c) => c,
  'groups of 4, spaces': (c) => groupsOf(c, 4),
  'dots / slashes / underscores': (c, r) => groupsOf(c, 4, ['.', '/', '_'][int(r, 0, 2)]),
  'tabs, double spaces, NBSP, newlines': (c, r) =>
    groupsOf(c, 4, ['\t', '  ', '\u00a0', '\n'][int(r, 0, 3)]),
  'mixed separators': (c) => c.replace(/(\d{4})(\d{4})(\d{4})(.*)/, '$1 - $2./$3_\t$4'),
  '+ expiry': (c, r) => `${groupsOf(c, 4)} ${expiry(r)}`,
  '+ expiry + CVV': (c, r) => `${groupsOf(c, 4, '-')} ${expiry(r)} ${digits(r, 3)}`,
  '+ CVV': (c, r) => `${c} ${digits(r, 3)}`,
  'zero-width between groups': (c, r) =>
    groupsOf(c, 4, ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'][int(r, 0, 5)]),
  'full-width digits': (c) => fullWidth(groupsOf(c, 4)),
  'Arabic-Indic digits': (c) => arabicIndic(c),
  'in a sentence, after other numbers': (c, r) =>
    `Ticket 88213: customer read out ${groupsOf(c, 4)}, exp ${expiry(r)}, CVV ${digits(r, 3)}.`,
  'after a reference, separated': (c, r) => `${digits(r, 6)} ${c}`,
  'first group split by a zero-width space': (c) => `${c.slice(0, 2)}\u200b${c.slice(2)}`,
  // Like letters, a "+" before digits starts a new number (a phone): deliberate obfuscation
  // of this kind, as with letters between the groups, is not read as one card.
  '"+" inside the card (deliberate)': (c) => `${c.slice(0, 8)} +${c.slice(8)}`,
  'glued to its expiry (no separator)': (c) => `${c}1227`,
  'glued after other digits (no separator)': (c) => `99${c}`,
  'glued after other digits by a zero-width space': (c) => `99\u200b${c}`,
};

function rate(count: number, n: number): string {
  return `${((100 * count) / n).toFixed(3)}%`;
}

describe('card scanner measurements', () => {
  it('false positives over text that is not a card, per window alignment', () => {
    const perFormat = Math.ceil(SAMPLES / Object.keys(REFERENCES).length);
    const table: Record<string, Record<string, string>> = {};
    const totals = Object.fromEntries(ALIGNMENTS.map((a) => [a, 0]));
    let n = 0;
    for (const [name, gen] of Object.entries(REFERENCES)) {
      const r = random(name.length * 7919);
      const counts = Object.fromEntries(ALIGNMENTS.map((a) => [a, 0]));
      for (let i = 0; i < perFormat; i++) {
        const text = gen(r);
        for (const a of ALIGNMENTS) if (holdsCardWindow(text, a)) counts[a]!++;
      }
      n += perFormat;
      table[name] = Object.fromEntries(ALIGNMENTS.map((a) => [a, rate(counts[a]!, perFormat)]));
      for (const a of ALIGNMENTS) totals[a]! += counts[a]!;
    }
    table[`all (${n.toLocaleString('en-US')} strings)`] = Object.fromEntries(
      ALIGNMENTS.map((a) => [a, rate(totals[a]!, n)]),
    );
    console.log('False positives (share of strings taken for a card):');
    console.table(table);
    // The alignment containsCardNumber uses keeps long references: none of these single-group
    // or letter-led shapes can be read as a card from its middle.
    for (const name of [
      'bank reference 20-30 digits',
      'IBAN (valid), compact',
      'IBAN (valid), grouped',
      'phone +CC …, 8-15 digits',
      'two phones "+… / +…"',
    ]) {
      expect(table[name]!.groups).toBe('0.000%');
    }
    expect(totals.groups!).toBeLessThan(totals['group-edges']!);
    expect(totals['group-edges']!).toBeLessThan(totals['group-start']!);
    expect(totals['group-start']!).toBeLessThan(totals.anywhere!);
  });

  it('finds every pasted form of a real card, per window alignment', () => {
    const perForm = Math.max(1000, Math.ceil(SAMPLES / 50));
    const table: Record<string, Record<string, string>> = {};
    for (const [name, paste] of Object.entries(PASTED)) {
      const r = random(name.length * 104729);
      const found = Object.fromEntries(ALIGNMENTS.map((a) => [a, 0]));
      for (let i = 0; i < perForm; i++) {
        const text = paste(card(r), r);
        for (const a of ALIGNMENTS) if (holdsCardWindow(text, a)) found[a]!++;
      }
      table[name] = Object.fromEntries(ALIGNMENTS.map((a) => [a, rate(found[a]!, perForm)]));
    }
    console.log('Cards found (share of pasted cards refused):');
    console.table(table);
    for (const [name, row] of Object.entries(table)) {
      if (name.startsWith('glued') || name.includes('deliberate')) continue;
      expect(row.groups, name).toBe('100.000%');
    }
  });
});
