import {
  ChainStore,
  GENESIS_HASH,
  accountingIds,
  hashRecord,
  type StoredRecord,
} from '../../db/stores/disclosures-chain';
import type { Scope } from '../../db/stores/scope';

// The record format lives with the chain's store; verification (below) is the audit's own.
export {
  GENESIS_HASH,
  HASHED_COLUMNS,
  accountingIds,
  hashRecord,
  type RecordBody,
  type StoredRecord,
} from '../../db/stores/disclosures-chain';

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
  chain: ChainStore,
  rows: readonly StoredRecord[],
): Promise<Problem | null> {
  if (rows.length === 0) return null;
  const stored = await chain.accountingRows(Number(rows[0]!.seq), Number(rows.at(-1)!.seq));
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
async function strayAccountingRows(chain: ChainStore, lastSeq: number): Promise<Problem | null> {
  const stray = await chain.strayAccountingSeq(lastSeq);
  if (stray === null) return null;
  return {
    seq: stray,
    message: `the accounting of disclosures has rows for record ${stray}, which the chain does not hold (rows inserted into disclosure_accounts, or records removed from the log)`,
  };
}

/**
 * A business transfer names "all accounts"; a customer's accounting finds it by the account's
 * creation time. Moving creation times past the transfer would hide it from those customers, so
 * the accounts created by the transfer's time must still number at least the rows it sent.
 */
async function checkTransfers(
  chain: ChainStore,
  transfers: readonly StoredRecord[],
): Promise<Problem | null> {
  for (const t of transfers) {
    const n = await chain.accountsCreatedBy(String(t.recorded_at));
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
export async function verifyChain(
  source: ChainStore | Scope,
  pageSize = 5000,
): Promise<ChainReport> {
  const chain = source instanceof ChainStore ? source : new ChainStore(source);
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
    const rows = await chain.page(expectedSeq, pageSize);
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
    const accounting = await checkAccountingPage(chain, rows);
    if (accounting) return fail(accounting.seq, accounting.message);
    if (rows.length < pageSize) break;
  }
  const head = (await chain.head()) ?? { seq: 0, hash: GENESIS_HASH };
  if (head.seq !== records || head.hash !== prev) {
    return {
      ok: false,
      records,
      headSeq: records,
      headHash: prev,
      problem: {
        seq: records + 1,
        message: `the chain ends at record ${records} but its head says ${head.seq}: records were removed from the end, or the head was altered`,
      },
    };
  }
  const derived =
    (await strayAccountingRows(chain, records)) ?? (await checkTransfers(chain, transfers));
  if (derived) return { ok: false, records, headSeq: records, headHash: prev, problem: derived };
  return { ok: true, records, headSeq: records, headHash: prev };
}
