/**
 * Best-match order (sort "match"): search results in the order of the text that matched, read
 * page by page from the search's index ranges. Checked against the same order computed here
 * from every account, for each kind of search, both directions, across many small pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, engine, openTestBackend, type TestBackend } from '../support/backend';
import { databaseBefore } from '../support/migrate-before';
import { migrateToLatest } from '../../main/db/migrations';
import { seedAccounts } from '../../main/services/seed';
import { DEFAULT_MATRIX } from '../../shared/visibility';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import type { Session } from '../../main/services/session';
import { unpackRows } from '../../main/db/engine/packed-rows';
import {
  pageQuery,
  windowedPageQuery,
  type PageQuery,
} from '../../main/db/stores/accounts/list-query';
import { phoneDigits } from '../../shared/rules';
import { searchKey } from '../../shared/search';
import type { SearchKind, SortKey } from '../../shared/catalogue';

let t: TestBackend;
let support: Session;
interface Made {
  id: string;
  first: string;
  last: string;
  email: string;
  phone: string | null;
  number: string;
}
const made: Made[] = [];

const FIRST = ['Jo', 'Joanna', 'Joé', 'John', 'Bob', 'Anna', 'Smitty'];
const LAST = ['Jones', 'Johnson', 'Adams', 'Smith', 'Joplin', 'Jöns', 'Anderson'];

beforeAll(async () => {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  support = await signedInAs(t, 'support_agent', 'sam');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  for (let i = 0; i < 120; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 3 + Math.floor(i / 7)) % LAST.length]!;
    const email = `${first.toLowerCase().replace('é', 'e')}.${i % 5}@ex${i % 3}.example`;
    // Numbers that share starts and ends, so both ranges of a phone search find some.
    const phone =
      i % 9 === 0 ? null : `+1 415 55${i % 4} ${String(1000 + ((i * 37) % 60)).padStart(4, '0')}`;
    const a = await fx.create({ firstName: first, lastName: last, email, phone });
    made.push({ id: a.id, first, last, email, phone, number: a.accountNumber });
  }
});
afterAll(async () => t?.close());

/** The key an account matched by, or null: the first range that matches wins. */
function matchedKey(m: Made, kind: SearchKind, text: string): string | null {
  const starts = (key: string, prefix: string) => key.startsWith(prefix);
  if (kind === 'accountNumber') {
    return starts(m.number, text.toUpperCase()) ? m.number : null;
  }
  if (kind === 'digits' && starts(m.number, `C-${text}`)) return m.number;
  if (kind === 'name') {
    // "Smith, John" is the last name first.
    const q = searchKey(text.replace(/,/g, ' '));
    const nameKey = `${searchKey(m.last)} ${searchKey(m.first)}`;
    const firstKey = `${searchKey(m.first)} ${searchKey(m.last)}`;
    if (starts(nameKey, q)) return nameKey;
    if (starts(firstKey, q)) return firstKey;
    return null;
  }
  if (kind === 'email') {
    const key = searchKey(m.email);
    return starts(key, searchKey(text)) ? key : null;
  }
  if (kind === 'emailDomain') {
    const key = searchKey(m.email).split('@')[1]!;
    return starts(key, searchKey(text.slice(1))) ? key : null;
  }
  if (kind === 'phone' || kind === 'digits') {
    if (!m.phone) return null;
    const digits = phoneDigits(m.phone);
    const typed = phoneDigits(text);
    if (starts(digits, typed)) return digits;
    const rev = [...digits].reverse().join('');
    if (starts(rev, [...typed].reverse().join(''))) return rev;
    return null;
  }
  return null;
}

async function walk(
  search: string,
  kind: SearchKind,
  direction: 'asc' | 'desc',
  sort: SortKey = 'match',
) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 200; guard++) {
    const page = await t.call(support, 'accounts.list', {
      search,
      searchKind: kind,
      sort,
      direction,
      limit: 4,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('the pages did not end');
}

const CASES: [SearchKind, string][] = [
  ['name', 'jo'],
  ['name', 'JOH'],
  ['name', 'jon'],
  ['name', 'smit'],
  ['name', 'anna'],
  ['name', 'a'],
  ['name', 'zz'],
  ['email', 'jo'],
  ['email', 'anna.2@'],
  ['phone', '1415550'],
  ['phone', '1015'],
  ['phone', '0'],
  // Search reach (issue 17): the last name first with a comma, an email's domain, the start of an
  // account number with or without its letters.
  ['name', 'smith, jo'],
  ['name', 'Jones,'],
  ['name', 'adams ,  an'],
  ['emailDomain', '@ex1'],
  ['emailDomain', '@EX'],
  ['accountNumber', 'C-10000'],
  ['accountNumber', 'c-100011'],
  ['digits', '100010'],
  ['digits', '1000'],
  ['digits', '1415552'],
];

describe('best-match order', () => {
  it.each(CASES)(
    '%s search "%s" pages through every match once, in matched-key order',
    async (kind, text) => {
      const expected = made
        .map((m) => ({ id: m.id, key: matchedKey(m, kind, text) }))
        .filter((m): m is { id: string; key: string } => m.key !== null)
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1))
        .map((m) => m.id);
      expect(await walk(text, kind, 'asc')).toEqual(expected);
      expect(await walk(text, kind, 'desc')).toEqual([...expected].reverse());
    },
  );

  it('an account matched by last and by first name appears once', async () => {
    const ids = await walk('jo', 'name', 'asc');
    expect(new Set(ids).size).toBe(ids.length);
    const both = made.find((m) => m.first === 'Jo' && m.last.startsWith('Jo'))!;
    expect(ids.filter((id) => id === both.id)).toHaveLength(1);
  });

  it('without a search, best match is name order', async () => {
    const byMatch = await t.call(support, 'accounts.list', { sort: 'match', limit: 500 });
    const byName = await t.call(support, 'accounts.list', { sort: 'name', limit: 500 });
    expect(byMatch.rows.map((r) => r.id)).toEqual(byName.rows.map((r) => r.id));
  });

  it('a search sorted by a column still finds the same accounts', async () => {
    const byMatch = await walk('jo', 'name', 'asc');
    const byBalance = await t.call(support, 'accounts.list', {
      search: 'jo',
      searchKind: 'name',
      sort: 'balanceCents',
      limit: 500,
    });
    expect(byBalance.rows.map((r) => r.id).sort()).toEqual([...byMatch].sort());
  });

  let [windowsHeld, windowsShort] = [0, 0];
  // A search sorted by a column (two ranges for name and phone, one for email) reads each range's
  // top page in that order and merges them, or a window of the sort column's index: the pages
  // must be the unsearched list's order, cut to the matches.
  const SORTED: [SearchKind, string, SortKey][] = [
    ['name', 'jo', 'name'],
    ['name', 'a', 'name'],
    ['name', 'smit', 'accountNumber'],
    ['name', 'jo', 'email'],
    ['name', 'jo', 'balanceCents'],
    ['name', 'anna', 'standing'],
    ['name', 'jo', 'createdAt'],
    ['phone', '0', 'name'],
    ['phone', '1415550', 'accountNumber'],
    // One range, whose index holds the name (migration 0009), sorted by name; and by others.
    ['email', 'jo', 'name'],
    ['email', 'a', 'name'],
    ['email', 'an', 'email'],
    ['email', 'jo', 'balanceCents'],
    ['emailDomain', '@ex', 'name'],
    ['emailDomain', '@ex2', 'balanceCents'],
    ['accountNumber', 'C-10000', 'name'],
    ['accountNumber', 'C-1000', 'accountNumber'],
    ['digits', '1000', 'name'],
  ];
  it.each(SORTED)(
    '%s search "%s" sorted by %s pages through every match once, in that order',
    async (kind, text, sort) => {
      const matches = new Set(made.filter((m) => matchedKey(m, kind, text)).map((m) => m.id));
      expect(matches.size).toBeGreaterThan(4);
      for (const direction of ['asc', 'desc'] as const) {
        const all = await t.call(support, 'accounts.list', { sort, direction, limit: 500 });
        const expected = all.rows.map((r) => r.id).filter((id) => matches.has(id));
        expect(await walk(text, kind, direction, sort)).toEqual(expected);
      }
    },
  );

  it.each(SORTED)(
    '%s search "%s" sorted by %s: a window of the sort index that holds a page gives that page',
    async (kind, text, sort) => {
      const db = t.backend.services.db;
      const access = await t.backend.services.visibility.accessFor('support_agent');
      const ids = async (page: PageQuery) =>
        unpackRows(db, await db.from(page.query.as('p')).select('*'), page.columns).map((r) =>
          String(r[page.columns.indexOf('id')]),
        );
      for (const direction of ['asc', 'desc'] as const) {
        let cursor: string | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const q = { search: text, searchKind: kind, sort, direction, limit: 4, cursor };
          // A window of 12 accounts of the 120: some hold a page, some do not. A name or email
          // search sorted by name (or email by email) has no window: its indexes hold the key.
          const window = windowedPageQuery(db, access, q, [], { window: 12 });
          const held =
            sort === 'name'
              ? ['name', 'email'].includes(kind)
              : (kind === 'email' && sort === 'email') ||
                (kind === 'accountNumber' && sort === 'accountNumber');
          expect(window === null).toBe(held);
          const full = await ids(pageQuery(db, access, q));
          const windowed = window ? await ids(window) : [];
          if (windowed.length > 4) {
            windowsHeld++;
            expect(windowed).toEqual(full);
          } else if (window) windowsShort++;
          const page = await t.call(support, 'accounts.list', q);
          expect(page.rows.map((r) => r.id)).toEqual(full.slice(0, 4));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
      }
    },
  );

  it('the cases above found pages both ways: in a window, and from the ranges', () => {
    expect(windowsHeld).toBeGreaterThan(10);
    expect(windowsShort).toBeGreaterThan(10);
  });

  it('tells a typed account number, domain, bare digits and "last, first" apart by themselves', async () => {
    const typed: [string, SearchKind][] = [
      ['C-10001', 'accountNumber'],
      ['c-1000', 'accountNumber'],
      ['@ex0.example', 'emailDomain'],
      ['100011', 'digits'],
      ['Smith, Jo', 'name'],
      ['+1 415 552', 'phone'],
    ];
    for (const [search, kind] of typed) {
      const page = await t.call(support, 'accounts.list', { search, limit: 500 });
      expect(page.searchKind).toBe(kind);
      const expected = made.filter((m) => matchedKey(m, kind, search) !== null);
      expect(expected.length).toBeGreaterThan(0);
      expect(page.rows.map((r) => r.id).sort()).toEqual(expected.map((m) => m.id).sort());
    }
  });

  it('bare digits search only the fields the role may read, and are refused with neither', async () => {
    const db = t.backend.services.db;
    const access = await t.backend.services.visibility.accessFor('support_agent');
    const q = { search: '1000', sort: 'match' as const, direction: 'asc' as const, limit: 500 };
    const noPhone = pageQuery(db, { ...access, phone: 'hidden' }, q);
    expect(noPhone.query.toSQL().sql).not.toMatch(/phone/);
    const rows = unpackRows(db, await db.from(noPhone.query.as('p')).select('*'), noPhone.columns);
    const ids = rows.map((r) => String(r[noPhone.columns.indexOf('id')]));
    expect(ids.sort()).toEqual(
      made
        .filter((m) => m.number.startsWith('C-1000'))
        .map((m) => m.id)
        .sort(),
    );
    const noNumber = pageQuery(db, { ...access, accountNumber: 'masked' }, q);
    // A masked account number is shown, masked, but never searched.
    expect(noNumber.query.toSQL().bindings).not.toContain('C-1000');
    expect(noNumber.query.toSQL().sql).toMatch(/phone_digits/);
    expect(() => pageQuery(db, { ...access, accountNumber: 'masked', phone: 'hidden' }, q)).toThrow(
      /search by account number or phone digits: your role may not read/,
    );
  });

  it('a domain search in best-match order is a range of the domain index (migration 0020)', async () => {
    const db = t.backend.services.db;
    const access = await t.backend.services.visibility.accessFor('support_agent');
    // (Sorted by a column, the planner may as well walk that column's index, or a window of it
    // when a domain matches many: those pages are checked with the sorted cases above.)
    const q = {
      search: '@ex1',
      searchKind: 'emailDomain' as const,
      sort: 'match' as const,
      direction: 'asc' as const,
      limit: 4,
    };
    const { sql, bindings } = pageQuery(db, access, q).query.toSQL();
    const plan =
      engine === 'sqlite'
        ? JSON.stringify(await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as never))
        : await db.transaction(async (trx) => {
            await trx.raw('SET LOCAL enable_seqscan = off');
            return JSON.stringify((await trx.raw(`EXPLAIN ${sql}`, bindings as never)).rows);
          });
    expect(plan).toContain('accounts_email_domain');
  });

  it('a database made before migration 0020 answers domain searches once upgraded', async () => {
    const before = await databaseBefore('0020', t.dir);
    try {
      const d = before.db;
      await seedAccounts(d, { count: 600, seed: 20 });
      await migrateToLatest(d);
      const access = DEFAULT_MATRIX.support_agent;
      const emails = (await d('accounts').select('id', 'email_key')) as {
        id: string;
        email_key: string;
      }[];
      const domain = emails.find((e) => e.email_key.includes('@'))!.email_key.split('@')[1]!;
      const search = `@${domain.slice(0, 4)}`;
      const q = { search, sort: 'match' as const, direction: 'asc' as const, limit: 1000 };
      const page = pageQuery(d, access, q);
      const rows = unpackRows(d, await d.from(page.query.as('p')).select('*'), page.columns);
      const ids = rows.map((r) => String(r[page.columns.indexOf('id')])).sort();
      const expected = emails
        .filter((e) => (e.email_key.split('@')[1] ?? '').startsWith(domain.slice(0, 4)))
        .map((e) => e.id)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    } finally {
      await before.close();
    }
  });

  it('refuses a cursor from another order with a clear error', async () => {
    const page = await t.call(support, 'accounts.list', { sort: 'balanceCents', limit: 2 });
    const err = await t.fail(support, 'accounts.list', {
      search: 'jo',
      sort: 'match',
      cursor: page.nextCursor!,
    });
    expect(err.code).toBe('VALIDATION');
  });
});
