/**
 * Internal exports stream the accounts list's own selection in chunks (AccountsService.exportRows):
 * across chunk boundaries nothing is lost, repeated or reordered; each role's visibility applies
 * to every row; and a change of the access matrix while an export runs stops it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAccounts } from '../../main/services/seed';
import type { Session } from '../../main/services/session';
import type { Input } from '../../shared/contract';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';

/** More than two chunks of the export (2,000 accounts each), and not a multiple of one. */
const ACCOUNTS = 4_321;

let t: TestBackend;
let admin: Session;
let support: Session;
let billing: Session;
let file = 0;

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  await seedAccounts(t.backend.services.db, { count: ACCOUNTS, seed: 42 });
  support = await signedInAs(t, 'support_agent', 'sue');
  billing = await signedInAs(t, 'billing_specialist', 'bill');
});
afterAll(() => t?.close());

async function exported(
  session: Session,
  input: Omit<Input<'exports.accounts'>, 'format' | 'fileName'>,
): Promise<Record<string, string>[]> {
  const fileName = `stream-${++file}.csv`;
  const record = await t.call(session, 'exports.accounts', { ...input, format: 'csv', fileName });
  const text = fs.readFileSync(path.join(t.dir, 'exports', fileName), 'utf8');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  expect(record.rowCount).toBe(rows.length);
  return rows;
}

/** Every page of the accounts list, as the console pages through it. */
async function listed(
  session: Session,
  input: Omit<Input<'accounts.list'>, 'cursor' | 'limit'>,
): Promise<string[]> {
  const numbers: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.call(session, 'accounts.list', {
      ...input,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    numbers.push(...page.rows.map((r) => String(r.fields.accountNumber)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return numbers;
}

describe('streamed exports', () => {
  it('export every account in the list order, across chunks, each once', async () => {
    const rows = await exported(support, { sort: 'name', fields: ['accountNumber', 'lastName'] });
    expect(rows).toHaveLength(ACCOUNTS);
    const numbers = rows.map((r) => r.accountNumber!);
    expect(new Set(numbers).size).toBe(ACCOUNTS);
    expect(numbers).toEqual(await listed(support, { sort: 'name' }));
  });

  it('export a best-match search in the order the list shows it', async () => {
    // The commonest first letter of a last name: thousands of matches, over several chunks.
    const { db } = t.backend.services;
    const [top] = (await db('accounts')
      .select(db.raw('substr(name_key, 1, 1) as letter'))
      .count({ n: '*' })
      .groupByRaw('substr(name_key, 1, 1)')
      .orderBy('n', 'desc')
      .limit(1)) as { letter: string; n: number | string }[];
    const search = { search: top!.letter, searchKind: 'name' as const, sort: 'match' as const };
    const rows = await exported(support, { ...search, fields: ['accountNumber'] });
    const expected = await listed(support, search);
    expect(rows.length).toBeGreaterThan(Number(top!.n) - 1);
    expect(rows.map((r) => r.accountNumber)).toEqual(expected);
  });

  it('export a search sorted by a column in the list order, by the ranges or along the index', async () => {
    const { accounts, staff } = t.backend.services;
    const me = (await staff.list()).find((m) => m.username === ADMIN.username)!;
    const actor = { staffId: me.id, role: 'support_agent' as const };
    const collect = async (chunks: AsyncGenerator<unknown[][]>) => {
      const out: string[] = [];
      for await (const chunk of chunks) out.push(...chunk.map((row) => String(row[0])));
      return out;
    };
    for (const [text, sort, direction] of [
      ['m', 'accountNumber', 'asc'],
      ['a', 'balanceCents', 'desc'],
      ['jo', 'createdAt', 'asc'],
    ] as const) {
      const query = { search: text, searchKind: 'name' as const, sort, direction };
      const expected = await listed(support, query);
      expect(expected.length).toBeGreaterThan(100);
      // As the console exports it (here, by the ranges: the search matches too few to walk).
      const rows = await exported(support, { ...query, fields: ['accountNumber'] });
      expect(rows.map((r) => r.accountNumber)).toEqual(expected);
      // Along the sort index, in windows of 97 accounts: 45 of them, each ending on an account the next must not repeat or skip.
      const walked = await collect(
        accounts.exportRows(actor, query, ['accountNumber'], { walk: true, window: 97 }),
      );
      expect(walked).toEqual(expected);
      const ranged = await collect(
        accounts.exportRows(actor, query, ['accountNumber'], { walk: false }),
      );
      expect(ranged).toEqual(expected);
    }
  });

  it('masks what the role sees masked, on every row, and refuses what it cannot see', async () => {
    const rows = await exported(billing, {
      sort: 'name',
      fields: ['accountNumber', 'dateOfBirth'],
    });
    expect(rows).toHaveLength(ACCOUNTS);
    const shown = rows.map((r) => r.dateOfBirth!).filter((d) => d !== '');
    expect(shown.length).toBeGreaterThan(ACCOUNTS / 2);
    for (const d of shown) expect(d).toMatch(/^\d{4}-••-••$/);
    const refused = await t.fail(billing, 'exports.accounts', {
      sort: 'name',
      fields: ['accountNumber', 'supportNotes', 'fraudNotes'],
      format: 'csv',
      fileName: `stream-${++file}.csv`,
    });
    expect(refused.code).toBe('FORBIDDEN');
  });

  it('stops with a clear error when the access matrix changes during the export', async () => {
    const { accounts, visibility, staff } = t.backend.services;
    const me = (await staff.list()).find((m) => m.username === ADMIN.username)!;
    const actor = { staffId: me.id, role: 'support_agent' as const };
    const chunks = accounts.exportRows(actor, { sort: 'name', direction: 'asc' }, ['city']);
    const first = await chunks.next();
    expect(first.done).toBe(false);
    await visibility.update(
      me.id,
      [{ role: 'support_agent', field: 'city', access: 'masked' }],
      'Need-to-know review during an export',
    );
    // A chunk already read (the next one is read ahead) was read under the old matrix and goes
    // out as it was; the first chunk read after the change stops the export.
    const drain = async () => {
      for (let r = await chunks.next(); !r.done; r = await chunks.next());
    };
    await expect(drain()).rejects.toThrow(/access matrix changed during the export/);
    await visibility.update(
      me.id,
      [{ role: 'support_agent', field: 'city', access: 'edit' }],
      'Back to the default after the test',
    );
  });
});
