/**
 * Migration 0027 (issue 18): accounts get an integer key inside the database, which breaks ties
 * in every list order and takes the 36-character id's place in every list index. A database made
 * by the release before it (migrations up to 0026) upgrades in place, on the engine under test:
 * its accounts are numbered in the order of their ids, every row that names an account still
 * names it, the rules on the table (unique ids, foreign keys, the fixed import) still hold, and
 * the list pages through the upgraded accounts in the same order as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isSqlite } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { AccountsStore } from '../../main/db/stores/accounts/store';
import { FIELDS } from '../../shared/catalogue';
import type { AccessMap } from '../../shared/visibility';
import { insertFinishedImport } from '../support/fixtures';
import { databaseBefore } from '../support/migrate-before';

let db: Knex;
let close: () => Promise<void>;
let dir: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-keys-upgrade-'));
  ({ db, close } = await databaseBefore('0027', dir));
});

afterEach(async () => {
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const IMPORT_ID = '01900000-0000-7000-8000-0000000000aa';
const at = '2026-11-30T09:00:00.000Z';
/** Ids in order of creation, inserted out of that order (as a copy between engines may). */
const IDS = [5, 1, 4, 2, 3].map((n) => `01900000-0000-7000-8000-00000000000${n}`);

async function accountAsBefore(id: string, n: number): Promise<void> {
  await db('accounts').insert({
    id,
    account_number: `C-${1_000_000 + n}`,
    first_name: `First${n}`,
    last_name: 'Same',
    provenance_source: n === 3 ? 'import' : 'manual',
    provenance_date: '2026-11-30',
    name_key: 'same first',
    first_key: `first same`,
    created_at: at,
    updated_at: at,
    import_id: n === 3 ? IMPORT_ID : null,
  });
  await db('account_provenance').insert({
    id: id.replace('-8000-', '-9000-'),
    account_id: id,
    event: 'created',
    source: 'manual',
    source_date: '2026-11-30',
    fields: '[]',
    staff_id: null,
    recorded_at: at,
  });
}

/** Every index on accounts and its definition, as the engine reports it. */
async function indexes(): Promise<Map<string, string>> {
  const rows = isSqlite(db)
    ? ((await db('sqlite_master')
        .where({ type: 'index', tbl_name: 'accounts' })
        .whereNotNull('sql')
        .select('name', 'sql')) as { name: string; sql: string }[])
    : (
        (await db.raw(
          `select indexname as name, indexdef as sql from pg_indexes where tablename = 'accounts'`,
        )) as { rows: { name: string; sql: string }[] }
      ).rows;
  return new Map(rows.map((r) => [r.name, r.sql]));
}

it('numbers the accounts of an existing database in the order of their ids, and keeps every rule', async () => {
  await insertFinishedImport(db, { id: IMPORT_ID, fileName: 'old.csv', at });
  for (const id of IDS) await accountAsBefore(id, Number(id.at(-1)));
  const { applied } = await migrateToLatest(db);
  expect(applied).toContain('0027_account_keys');

  const rows = (await db('accounts').orderBy('key').select('key', 'id', 'import_id')) as {
    key: number | string;
    id: string;
    import_id: string | null;
  }[];
  expect(rows.map((r) => [Number(r.key), r.id])).toEqual(
    [...IDS].sort().map((id, i) => [i + 1, id]),
  );
  // Every row that named an account still does, and the rules on accounts hold.
  expect(await db('account_provenance').count({ n: '*' })).toEqual([{ n: IDS.length }]);
  const orphans = (await db('account_provenance as p')
    .leftJoin('accounts as a', 'a.id', 'p.account_id')
    .whereNull('a.id')
    .count({ n: '*' })) as { n: number | string }[];
  expect(Number(orphans[0]!.n)).toBe(0);
  if (isSqlite(db)) expect(await db.raw('PRAGMA foreign_key_check')).toEqual([]);
  await expect(
    db('account_provenance').insert({
      id: '01900000-0000-7000-9000-0000000000ff',
      account_id: '01900000-0000-7000-8000-0000000000ff',
      event: 'created',
      source: 'manual',
      source_date: '2026-11-30',
      fields: '[]',
      recorded_at: at,
    }),
  ).rejects.toThrow(/foreign key/i);
  await expect(accountAsBefore(IDS[0]!, 9)).rejects.toThrow(/unique|duplicate/i);
  await expect(
    db('accounts')
      .where({ id: rows.find((r) => r.import_id)!.id })
      .update({ import_id: null }),
  ).rejects.toThrow(/import is fixed/);

  // Every list index holds the key where it held the id.
  const defs = await indexes();
  for (const name of [
    'accounts_name_key',
    'accounts_first_key',
    'accounts_email_key',
    'accounts_phone_digits',
    'accounts_phone_digits_rev',
    'accounts_balance',
    'accounts_standing',
    'accounts_email_domain',
  ]) {
    expect(defs.get(name), name).toMatch(/"?key"?/);
    expect(defs.get(name), name).not.toMatch(/[`"(, ]id[`")]?[,)]/);
  }
  expect(defs.has('accounts_standing_days')).toBe(true);
  expect(defs.has('accounts_account_number_unique')).toBe(true);

  // A new account takes a later key; the list pages in order of creation across the upgrade.
  const next = '01900000-0000-7000-8000-000000000006';
  await db('accounts').insert({
    id: next,
    account_number: 'C-2000000',
    first_name: 'New',
    last_name: 'Same',
    provenance_source: 'manual',
    provenance_date: '2026-12-08',
    name_key: 'same new',
    first_key: 'new same',
    created_at: at,
    updated_at: at,
  });
  const created = (await db('accounts').where({ id: next }).first('key')) as { key: unknown };
  // After every key given (PostgreSQL's sequence may skip the one a refused insert took).
  expect(Number(created.key)).toBeGreaterThan(IDS.length);

  const store = new AccountsStore(db);
  const access = Object.fromEntries(FIELDS.map((f) => [f.key, 'read'])) as AccessMap;
  const seen: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.page(access, [], {
      sort: 'createdAt',
      direction: 'desc',
      limit: 2,
      cursor,
    });
    seen.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(seen).toEqual([next, ...[...IDS].sort().reverse()]);
});
