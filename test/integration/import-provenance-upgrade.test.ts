/**
 * Migration 0026 (issue 18): an import's provenance is recorded once, on its import row, which
 * each account it creates names. A database made by the release before it (migrations up to
 * 0025, where every imported account had a provenance row of its own) upgrades in place: the
 * accounts imported then keep their history as it was, and imports after the upgrade use the new
 * record. On the engine under test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateToLatest } from '../../main/db/migrations';
import { AccountsStore } from '../../main/db/stores/accounts/store';
import { importAccounts } from '../../main/services/import/service';
import { insertFinishedImport } from '../support/fixtures';
import { databaseBefore } from '../support/migrate-before';

let db: Knex;
let close: () => Promise<void>;
let dir: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-upgrade-'));
  // The schema as the release before 0026 made it.
  ({ db, close } = await databaseBefore('0026', dir));
});

afterEach(async () => {
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One account imported as the release before 0026 wrote it: its own creation row. */
async function importAsBefore(): Promise<{ accountId: string; importId: string }> {
  const importId = '01900000-0000-7000-8000-000000000001';
  const accountId = '01900000-0000-7000-8000-000000000002';
  const at = '2026-11-30T09:00:00.000Z';
  await insertFinishedImport(db, { id: importId, fileName: 'old.csv', at });
  await db('accounts').insert({
    id: accountId,
    account_number: 'C-1000001',
    first_name: 'Old',
    last_name: 'Import',
    provenance_source: 'import',
    provenance_date: '2026-11-30',
    name_key: 'import old',
    first_key: 'old import',
    created_at: at,
    updated_at: at,
  });
  await db('account_provenance').insert({
    id: '01900000-0000-7000-8000-000000000003',
    account_id: accountId,
    event: 'created',
    source: 'import',
    source_date: '2026-11-30',
    fields: JSON.stringify(['firstName', 'lastName']),
    staff_id: null,
    recorded_at: at,
    import_id: importId,
  });
  // The import took its number from the counter, as every creation does.
  await db('counters').where({ name: 'account_number' }).increment('value', 1);
  return { accountId, importId };
}

it('keeps the history of accounts imported before 0026 and records later imports once', async () => {
  const old = await importAsBefore();
  const { applied } = await migrateToLatest(db);
  expect(applied).toContain('0026_import_provenance_per_import');

  const store = new AccountsStore(db);
  const before = await store.history(old.accountId);
  expect(before.events.map((e) => [e.event, e.source, e.source_date])).toEqual([
    ['created', 'import', '2026-11-30'],
  ]);
  expect((await db('accounts').where({ id: old.accountId }).first()).import_id).toBeNull();

  const file = path.join(dir, 'new.csv');
  fs.writeFileSync(file, 'firstName,lastName\nNew,Import\n');
  const result = await importAccounts(db, file);
  const created = await db('accounts').where({ first_name: 'New' }).first();
  expect(created.import_id).toBe(result.importId);
  // No creation row per account: the import's own row is the record.
  expect(Number((await db('account_provenance').count({ n: '*' }).first())?.n)).toBe(1);
  const after = await store.history(String(created.id));
  expect(after.events.map((e) => [e.id, e.event, e.source])).toEqual([
    [result.importId, 'created', 'import'],
  ]);
  const importRow = await db('imports').where({ id: result.importId }).first();
  expect(JSON.parse(String(importRow.fields))).toEqual(['firstName', 'lastName']);
});
