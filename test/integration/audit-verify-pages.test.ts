/**
 * Verifying the disclosure log page by page (issue 18): on SQLite each page is hashed from the
 * text SQLite writes for it (ChainStore.hashedTexts), and a page that does not pass that way is
 * checked again row by row. Whichever way a page goes, the verdict must be the exact check's: the
 * same first problem named, and no false alarm for any text a record can hold.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  ChainStore,
  appendRecord,
  hashText,
  type RecordBody,
} from '../../main/db/stores/disclosures-chain';
import { verifyChain } from '../../main/services/audit/chain';
import { engine, itSqliteOnly, openTestBackend, type TestBackend } from '../support/backend';
import { tamper } from '../support/tamper';

let t: TestBackend | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

function body(over: Partial<RecordBody> = {}): RecordBody {
  return {
    id: randomUUID(),
    kind: 'refused',
    ref_seq: null,
    staff_id: null,
    staff_name: 'Vera',
    workstation: 'ws-1',
    approvers: '[]',
    recipient_id: null,
    recipient_name: 'Example Agency',
    recipient_contact: '1 Example Street',
    recipient_type: 'collection_agency',
    purpose: 'debt_collection',
    legal_basis: 'test',
    account_ids: '[]',
    fields: '["lastName"]',
    row_count: 0,
    file_path: null,
    format: 'csv',
    sha256: null,
    refusal: 'test record',
    request_id: null,
    ...over,
  };
}

/** A backend whose log holds `bodies`, appended in order (records 1, 2, ...). */
async function chainOf(bodies: RecordBody[]): Promise<Knex> {
  t = await openTestBackend();
  const db = t.backend.services.db;
  for (const b of bodies) await db.transaction((trx) => appendRecord(trx, b));
  return db;
}

/** Every character a text column can hold, in pieces that fit a column of 200 (PostgreSQL). */
function everyCharacter(): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (let c = 1; c <= 0x10ffff; c += c < 0x10000 ? 1 : 0x3ff) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    chunk += String.fromCodePoint(c);
    if (chunk.length >= 190) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  const odd = ['lone \ud800 and \udc00 surrogates'];
  // PostgreSQL's text cannot hold NUL at all; SQLite's can.
  if (engine === 'sqlite') odd.push('NUL\u0000inside');
  return [...chunks, chunk, ...odd];
}

const ADMITTED = (accounts: string[]): Partial<RecordBody> => ({
  kind: 'admitted',
  refusal: null,
  account_ids: JSON.stringify(accounts),
  row_count: accounts.length,
});

describe('verifying the chain page by page', () => {
  it('verifies records holding every character, with no false alarm on either way of reading', async () => {
    const texts = everyCharacter();
    const db = await chainOf(texts.map((text) => body({ recipient_name: text, refusal: text })));
    const exact = vi.spyOn(ChainStore.prototype, 'page');
    const report = await verifyChain(db, 7);
    expect(report).toMatchObject({ ok: true, records: texts.length });
    // On SQLite every page passed the fast way: SQLite wrote each record as JSON.stringify does.
    if (engine === 'sqlite') expect(exact).not.toHaveBeenCalled();
    else expect(exact).toHaveBeenCalled();
  });

  itSqliteOnly('hashes each record SQLite writes to the hash stored with it', async () => {
    const texts = everyCharacter();
    const db = await chainOf(texts.map((text) => body({ staff_name: text })));
    const page = await new ChainStore(db).hashedTexts(1, texts.length);
    expect(page).toHaveLength(texts.length);
    for (const line of page!) expect(hashText(line.text)).toBe(line.hash);
  });

  it('checks the accounting of admitted records on every page', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const db = await chainOf([
      body(),
      body(ADMITTED([a])),
      body(),
      body({ ...ADMITTED([a, b]), purpose: 'internal' }),
      body(ADMITTED([a, b])),
    ]);
    expect(await verifyChain(db, 2)).toMatchObject({ ok: true, records: 5 });
    await tamper(db, 'disclosure_accounts', (d) =>
      d('disclosure_accounts').where({ seq: 5, account_id: b }).del(),
    );
    expect((await verifyChain(db, 2)).problem).toMatchObject({ seq: 5 });
  });

  const tampers: [string, (d: Knex) => Promise<unknown>, RegExp, 'sqlite'?][] = [
    [
      'an altered record on a later page',
      (d) => d('disclosure_log').where({ seq: 6 }).update({ staff_name: 'Mallory' }),
      /^record 6 was altered/,
    ],
    [
      'the first record of a page removed',
      (d) => d('disclosure_log').where({ seq: 5 }).del(),
      /^record 5 is missing/,
    ],
    [
      'a number stored as text',
      (d) => d('disclosure_log').where({ seq: 6 }).update({ row_count: 'zero' }),
      /^record 6 was altered/,
      // PostgreSQL's integer column refuses it.
      'sqlite',
    ],
    [
      'accounting rows under a refused record on a later page',
      (d) => d('disclosure_accounts').insert({ seq: 7, account_id: randomUUID() }),
      /^the accounting of disclosures lists 1 account under record 7/,
    ],
    [
      'a stored hash replaced by text with separators in it',
      (d) => d('disclosure_log').where({ seq: 4 }).update({ hash: '\u001e\u001f"x' }),
      /^record 4 was altered/,
    ],
  ];
  for (const [what, change, message, only] of tampers) {
    it.runIf(!only || only === engine)(`names ${what}`, async () => {
      const db = await chainOf(Array.from({ length: 9 }, () => body()));
      const table = what.startsWith('accounting') ? 'disclosure_accounts' : 'disclosure_log';
      await tamper(db, table, change);
      const report = await verifyChain(db, 2);
      expect(report.ok).toBe(false);
      expect(report.problem?.message).toMatch(message);
    });
  }

  itSqliteOnly('names a record holding a value SQLite cannot write as JSON (a BLOB)', async () => {
    const db = await chainOf(Array.from({ length: 5 }, () => body()));
    await tamper(db, 'disclosure_log', (d) =>
      d('disclosure_log')
        .where({ seq: 4 })
        .update({ legal_basis: Buffer.from('other') }),
    );
    expect((await verifyChain(db, 2)).problem?.message).toMatch(/^record 4 was altered/);
  });

  itSqliteOnly(
    'passes a record SQLite writes otherwise than JSON.stringify, checked exactly',
    async () => {
      // A count stored as the text 0x0: SQLite's JSON says "0x0" where the hash was made from 0, and
      // the exact check, which reads every count as a number (pg gives bigints as text), reads 0.
      const db = await chainOf(Array.from({ length: 5 }, () => body()));
      await tamper(db, 'disclosure_log', (d) =>
        d('disclosure_log').where({ seq: 3 }).update({ row_count: '0x0' }),
      );
      const exact = vi.spyOn(ChainStore.prototype, 'page');
      expect(await verifyChain(db, 2)).toMatchObject({ ok: true, records: 5 });
      expect(exact).toHaveBeenCalledTimes(1);
    },
  );
});
