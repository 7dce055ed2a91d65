import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isSqlite } from '../../db/connect';

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN = 'disclosures';

/** The columns of a disclosure record that its hash covers, in a fixed order. */
export const HASHED_COLUMNS = [
  'seq',
  'id',
  'kind',
  'ref_seq',
  'recorded_at',
  'staff_id',
  'staff_name',
  'workstation',
  'approvers',
  'recipient_id',
  'recipient_name',
  'recipient_contact',
  'recipient_type',
  'purpose',
  'legal_basis',
  'account_ids',
  'fields',
  'row_count',
  'file_path',
  'format',
  'sha256',
  'refusal',
  'request_id',
  'prev_hash',
] as const;
type HashedColumn = (typeof HASHED_COLUMNS)[number];
export type RecordBody = Omit<
  Record<HashedColumn, string | number | null>,
  'seq' | 'recorded_at' | 'prev_hash'
>;
export type StoredRecord = Record<HashedColumn, string | number | null> & { hash: string };

const NUMERIC = new Set<string>(['seq', 'ref_seq', 'row_count']);

/** Hash of a record: its columns in order, numbers normalised (pg returns bigint as text). */
export function hashRecord(row: Record<string, unknown>): string {
  const values = HASHED_COLUMNS.map((c) => {
    const v = row[c];
    if (v === null || v === undefined) return null;
    return NUMERIC.has(c) ? Number(v) : String(v);
  });
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/**
 * The accounts a record puts in their customers' accounting of disclosures: those an admitted
 * disclosure to a third party names ("all accounts" is found by date instead). The rows of
 * disclosure_accounts are derived from the chained record by this one rule, on writing and on
 * verifying, so a row deleted or added there is caught by verifyChain.
 */
export function accountingIds(row: Record<string, unknown>): string[] {
  if (row.kind !== 'admitted' || row.purpose === 'internal') return [];
  const ids = JSON.parse(String(row.account_ids)) as string[];
  return ids[0] === '*' ? [] : [...new Set(ids)];
}

/** The database's own clock as ISO text, so records from several workstations order correctly. */
export async function dbTime(trx: Knex | Knex.Transaction): Promise<string> {
  if (isSqlite(trx)) {
    const [row] = await trx.raw(`select strftime('%Y-%m-%dT%H:%M:%fZ', 'now') as t`);
    return String(row.t);
  }
  const result = await trx.raw(
    `select to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as t`,
  );
  return String(result.rows[0].t);
}

/**
 * Appends one record to the chain inside the caller's transaction. The head row is written
 * first, which takes the write lock (SQLite) or the row lock (PostgreSQL) before it is read,
 * so two workstations can never append after the same head.
 */
export async function appendRecord(trx: Knex.Transaction, body: RecordBody): Promise<StoredRecord> {
  await trx('audit_heads')
    .where({ chain: CHAIN })
    .update({ seq: trx.raw('seq') });
  const head = await trx('audit_heads').where({ chain: CHAIN }).first('seq', 'hash');
  const seq = Number(head.seq) + 1;
  const row = { ...body, seq, recorded_at: await dbTime(trx), prev_hash: String(head.hash) };
  const hash = hashRecord(row);
  await trx('disclosure_log').insert({ ...row, hash });
  const accountIds = accountingIds(row);
  for (let i = 0; i < accountIds.length; i += 500) {
    await trx('disclosure_accounts').insert(
      accountIds.slice(i, i + 500).map((account_id) => ({ seq, account_id })),
    );
  }
  await trx('audit_heads').where({ chain: CHAIN }).update({ seq, hash });
  return { ...row, hash } as StoredRecord;
}

export interface ChainReport {
  ok: boolean;
  records: number;
  headSeq: number;
  headHash: string;
  /** The first record that was altered, removed or inserted, in words. */
  problem?: Problem;
}

type Problem = { seq: number; message: string };

/**
 * Checks one page of the chain against the accounting table: each record's rows in
 * disclosure_accounts must be exactly the accounts accountingIds derives from it.
 */
async function checkAccountingPage(
  db: Knex,
  rows: readonly StoredRecord[],
): Promise<Problem | null> {
  if (rows.length === 0) return null;
  const first = Number(rows[0]!.seq);
  const last = Number(rows.at(-1)!.seq);
  const stored = new Map<number, string[]>();
  const found: { seq: number | string; account_id: string }[] = await db('disclosure_accounts')
    .whereBetween('seq', [first, last])
    .select('seq', 'account_id');
  for (const r of found) {
    const list = stored.get(Number(r.seq)) ?? [];
    list.push(String(r.account_id));
    stored.set(Number(r.seq), list);
  }
  for (const row of rows) {
    const seq = Number(row.seq);
    const expected = new Set(accountingIds(row));
    const actual = new Set(stored.get(seq) ?? []);
    const missing = [...expected].filter((id) => !actual.has(id));
    const extra = [...actual].filter((id) => !expected.has(id));
    if (missing.length > 0) {
      return {
        seq,
        message: `the accounting of disclosures lacks ${missing.length} of the ${expected.size} accounts record ${seq} names (rows deleted from disclosure_accounts, e.g. account ${missing[0]}): those customers' accounting no longer shows this disclosure`,
      };
    }
    if (extra.length > 0) {
      return {
        seq,
        message: `the accounting of disclosures lists ${extra.length} account${extra.length > 1 ? 's' : ''} under record ${seq} that the record does not name (rows inserted into disclosure_accounts, e.g. account ${extra[0]})`,
      };
    }
  }
  return null;
}

/** Accounting rows that point past the end of the chain (or before its start). */
async function strayAccountingRows(db: Knex, lastSeq: number): Promise<Problem | null> {
  const stray = await db('disclosure_accounts')
    .where('seq', '>', lastSeq)
    .orWhere('seq', '<', 1)
    .first('seq');
  if (!stray) return null;
  return {
    seq: Number(stray.seq),
    message: `the accounting of disclosures has rows for record ${Number(stray.seq)}, which the chain does not hold (rows inserted into disclosure_accounts, or records removed from the log)`,
  };
}

/**
 * A business transfer names "all accounts"; a customer's accounting finds it by the account's
 * creation time. Moving creation times past the transfer would hide it from those customers, so
 * the accounts created by the transfer's time must still number at least the rows it sent.
 */
async function checkTransfers(
  db: Knex,
  transfers: readonly StoredRecord[],
): Promise<Problem | null> {
  for (const t of transfers) {
    const row = await db('accounts')
      .where('created_at', '<=', String(t.recorded_at))
      .count<{ n: number | string }[]>({ n: '*' })
      .first();
    const n = Number(row?.n ?? 0);
    if (n < Number(t.row_count)) {
      const seq = Number(t.seq);
      return {
        seq,
        message: `record ${seq} transferred all ${Number(t.row_count)} accounts, but only ${n} accounts now say they existed by then (accounts' creation times were altered): the others' accounting of disclosures would no longer show it`,
      };
    }
  }
  return null;
}

/** Walks the whole chain in order and names the first record that breaks it. */
export async function verifyChain(db: Knex, pageSize = 5000): Promise<ChainReport> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let records = 0;
  const transfers: StoredRecord[] = [];
  const fail = (seq: number, message: string): ChainReport => ({
    ok: false,
    records,
    headSeq: expectedSeq - 1,
    headHash: prev,
    problem: { seq, message },
  });
  for (;;) {
    const rows: StoredRecord[] = await db('disclosure_log')
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return fail(
          expectedSeq,
          `record ${expectedSeq} is missing: it was removed (the next record is ${seq})`,
        );
      }
      if (hashRecord(row) !== row.hash) {
        return fail(seq, `record ${seq} was altered: its content no longer matches its hash`);
      }
      if (row.prev_hash !== prev) {
        return fail(
          seq,
          `record ${seq} does not follow record ${seq - 1}: a record was inserted, removed or reordered before it`,
        );
      }
      prev = row.hash;
      expectedSeq++;
      records++;
      if (row.kind === 'admitted' && row.account_ids === '["*"]') transfers.push(row);
    }
    const accounting = await checkAccountingPage(db, rows);
    if (accounting) return fail(accounting.seq, accounting.message);
    if (rows.length < pageSize) break;
  }
  const head = await db('audit_heads').where({ chain: CHAIN }).first('seq', 'hash');
  if (Number(head.seq) !== records || head.hash !== prev) {
    return {
      ok: false,
      records,
      headSeq: records,
      headHash: prev,
      problem: {
        seq: records + 1,
        message: `the chain ends at record ${records} but its head says ${Number(head.seq)}: records were removed from the end, or the head was altered`,
      },
    };
  }
  const derived = (await strayAccountingRows(db, records)) ?? (await checkTransfers(db, transfers));
  if (derived) return { ok: false, records, headSeq: records, headHash: prev, problem: derived };
  return { ok: true, records, headSeq: records, headHash: prev };
}
