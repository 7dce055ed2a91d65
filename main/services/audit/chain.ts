import {
  ChainStore,
  GENESIS_HASH,
  HASHED_COLUMNS,
  accountingIds,
  hashRecord,
  hashText,
  type HashedText,
  type StoredRecord,
} from '../../db/stores/disclosures-chain';
import { setImmediate as nextTurn } from 'node:timers/promises';
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
 * Checks the records `first` to `last` against the accounting table: each record's rows in
 * disclosure_accounts must be exactly the accounts accountingIds derives from it. `records` holds
 * at least every admitted record of the range (the others derive no rows).
 */
async function checkAccounting(
  chain: ChainStore,
  first: number,
  last: number,
  records: readonly StoredRecord[],
): Promise<Problem | null> {
  if (last < first) return null;
  const stored = await chain.accountingRows(first, last);
  const expected = new Map(records.map((r) => [Number(r.seq), accountingIds(r)]));
  const seqs = [...new Set([...expected.keys(), ...stored.keys()])].sort((a, b) => a - b);
  for (const seq of seqs) {
    const wanted = new Set(expected.get(seq) ?? []);
    const actual = new Set(stored.get(seq) ?? []);
    const missing = [...wanted].filter((id) => !actual.has(id));
    const extra = [...actual].filter((id) => !wanted.has(id));
    if (missing.length > 0) {
      return {
        seq,
        message: `the accounting of disclosures lacks ${missing.length} of the ${wanted.size} accounts record ${seq} names (rows deleted from disclosure_accounts, e.g. account ${missing[0]}): those customers' accounting no longer shows this disclosure`,
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

/** Where a walk of the chain has got to: the next record it expects and the last hash. */
interface Walk {
  expectedSeq: number;
  prev: string;
  /** Business transfers met so far ("all accounts"), checked at the end. */
  transfers: StoredRecord[];
}

/** Records hashed between turns of the event loop (about half a millisecond's worth). */
const YIELD_EVERY = 500;

const isTransfer = (row: StoredRecord) => row.kind === 'admitted' && row.account_ids === '["*"]';

/**
 * One page checked the fast way (SQLite's own text of each record, hashedTexts). When every
 * record is the next in order, follows the last hash and hashes to its stored hash, the walk
 * moves past the page, whose accounting is then checked (a problem, or null), as checkPage does.
 * False at the first record that is not, the walk unmoved: the page is then checked the exact
 * way (checkPage), which names the problem or, for a text SQLite writes otherwise than
 * JSON.stringify, finds none.
 */
async function checkHashedPage(
  chain: ChainStore,
  page: readonly HashedText[],
  walk: Walk,
): Promise<Problem | null | false> {
  let prev = walk.prev;
  const admitted: StoredRecord[] = [];
  for (let i = 0; i < page.length; i++) {
    // A turn of the event loop now and then: the next page's query starts only once node-sqlite3
    // has had its turn (it prepares, then runs), and other calls are not held up meanwhile.
    if (i % YIELD_EVERY === 0) await nextTurn();
    const { text, hash, admitted: isAdmitted } = page[i]!;
    // The record's first value is its seq and its last the hash before it, both ASCII: compared
    // as bytes, without decoding the rest.
    const head = `[${walk.expectedSeq + i},`;
    const tail = `,"${prev}"]`;
    if (
      text.toString('latin1', 0, head.length) !== head ||
      text.toString('latin1', text.length - tail.length) !== tail ||
      hashText(text) !== hash
    ) {
      return false;
    }
    prev = hash;
    if (isAdmitted) admitted.push(recordOf(JSON.parse(text.toString('utf8')) as unknown[], hash));
  }
  const first = walk.expectedSeq;
  walk.expectedSeq += page.length;
  walk.prev = prev;
  walk.transfers.push(...admitted.filter(isTransfer));
  return checkAccounting(chain, first, walk.expectedSeq - 1, admitted);
}

function recordOf(values: readonly unknown[], hash: string): StoredRecord {
  const record: Record<string, unknown> = { hash };
  HASHED_COLUMNS.forEach((c, i) => (record[c] = values[i]));
  return record as StoredRecord;
}

/** One page checked from the rows as the driver reads them; the walk moves past what held. */
async function checkPage(rows: readonly StoredRecord[], chain: ChainStore, walk: Walk) {
  for (const row of rows) {
    const seq = Number(row.seq);
    if (seq !== walk.expectedSeq) {
      return {
        seq: walk.expectedSeq,
        message: `record ${walk.expectedSeq} is missing: it was removed (the next record is ${seq})`,
      };
    }
    if (hashRecord(row) !== row.hash) {
      return { seq, message: `record ${seq} was altered: its content no longer matches its hash` };
    }
    if (row.prev_hash !== walk.prev) {
      return {
        seq,
        message: `record ${seq} does not follow record ${seq - 1}: a record was inserted, removed or reordered before it`,
      };
    }
    walk.prev = row.hash;
    walk.expectedSeq++;
    if (isTransfer(row)) walk.transfers.push(row);
  }
  if (rows.length === 0) return null;
  return checkAccounting(chain, Number(rows[0]!.seq), Number(rows.at(-1)!.seq), rows);
}

/**
 * Walks the whole chain in order and names the first record that breaks it. On SQLite each page
 * is read as text the database writes (hashedTexts) and the next page is asked for while this one
 * is hashed, so that SQLite's reading (on the driver's thread) and the hashing (on this one) use
 * both cores; a page that does not pass that way is read again row by row and checked exactly.
 */
export async function verifyChain(
  source: ChainStore | Scope,
  pageSize = 5000,
): Promise<ChainReport> {
  const chain = source instanceof ChainStore ? source : new ChainStore(source);
  const walk: Walk = { expectedSeq: 1, prev: GENESIS_HASH, transfers: [] };
  const fail = (problem: Problem): ChainReport => ({
    ok: false,
    records: walk.expectedSeq - 1,
    headSeq: walk.expectedSeq - 1,
    headHash: walk.prev,
    problem,
  });
  // A value SQLite's JSON cannot hold (a BLOB put in a column) fails the whole query: that page
  // is then read row by row, where the exact check names the record.
  const hashed = (from: number) => chain.hashedTexts(from, pageSize).catch(() => null);
  let next = hashed(walk.expectedSeq);
  for (;;) {
    const from = walk.expectedSeq;
    const page = await next;
    // Asked for before this page is hashed: it is the next page if this one passes.
    next = hashed(from + pageSize);
    let size: number;
    let problem: Problem | null | false = page ? await checkHashedPage(chain, page, walk) : false;
    if (problem === false) {
      const rows = await chain.page(from, pageSize);
      problem = await checkPage(rows, chain, walk);
      size = rows.length;
      next = hashed(walk.expectedSeq);
    } else {
      size = page!.length;
    }
    if (problem) return fail(problem);
    if (size < pageSize) break;
  }
  const records = walk.expectedSeq - 1;
  const prev = walk.prev;
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
    (await strayAccountingRows(chain, records)) ?? (await checkTransfers(chain, walk.transfers));
  if (derived) return { ok: false, records, headSeq: records, headHash: prev, problem: derived };
  return { ok: true, records, headSeq: records, headHash: prev };
}
