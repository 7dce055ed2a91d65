/**
 * The disclosure log's hash chain: the one writer of disclosure_log, disclosure_accounts and the
 * chain's head in audit_heads, and the reads that verify them.
 */
import crypto from 'node:crypto';
import { isSqlite } from '../connect';
import { idsWithNumber, idsWithNumberBindings } from '../engine/id-list';
import type { Scope, Tx } from './scope';

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

/**
 * Hash of a record: its columns in order, numbers normalised (pg returns bigint as text), as JSON.
 * Text is hashed as the database will hold it: a lone UTF-16 surrogate (which a pasted string can
 * carry) is stored as U+FFFD by both drivers, so it is hashed as U+FFFD too; hashing it as it came
 * would make the record read as altered the first time it was verified.
 */
export function hashRecord(row: Record<string, unknown>): string {
  const values = HASHED_COLUMNS.map((c) => {
    const v = row[c];
    if (v === null || v === undefined) return null;
    return NUMERIC.has(c) ? Number(v) : String(v).toWellFormed();
  });
  return hashText(JSON.stringify(values));
}

/**
 * The SHA-256 of a record's JSON text (hashRecord's last step; bytes are its UTF-8), in hex.
 * crypto.hash, one call, takes half the time of a Hash object made per record (verifying hashes
 * a million records).
 */
export function hashText(text: string | Uint8Array): string {
  return crypto.hash('sha256', text, 'hex');
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
export async function dbTime(trx: Scope): Promise<string> {
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
 * Takes the chain's write lock until the transaction ends: a write to the head row that changes
 * nothing, which takes the write lock (SQLite) or the row lock (PostgreSQL) before any read.
 */
export async function lockChainHead(trx: Tx): Promise<void> {
  await trx('audit_heads')
    .where({ chain: CHAIN })
    .update({ seq: trx.raw('seq') });
}

/** Accounts of a record written per statement (one JSON value each: id-list.ts). */
const ID_CHUNK = 10_000;

/**
 * Appends one record to the chain inside the caller's transaction. The head is locked first,
 * so two workstations can never append after the same head.
 */
export async function appendRecord(trx: Tx, body: RecordBody): Promise<StoredRecord> {
  await lockChainHead(trx);
  const head = await trx('audit_heads').where({ chain: CHAIN }).first('seq', 'hash');
  const seq = Number(head.seq) + 1;
  const row = { ...body, seq, recorded_at: await dbTime(trx), prev_hash: String(head.hash) };
  const hash = hashRecord(row);
  await trx('disclosure_log').insert({ ...row, hash });
  const accountIds = accountingIds(row);
  for (let i = 0; i < accountIds.length; i += ID_CHUNK) {
    await trx.raw(
      `insert into disclosure_accounts (account_id, seq) ${idsWithNumber(trx)}`,
      idsWithNumberBindings(accountIds.slice(i, i + ID_CHUNK), seq),
    );
  }
  await trx('audit_heads').where({ chain: CHAIN }).update({ seq, hash });
  return { ...row, hash } as StoredRecord;
}

/** A record as hashedTexts reads it. */
export interface HashedText {
  /** An admitted disclosure (the only kind with accounting rows). */
  admitted: boolean;
  /** The hash column as stored (a string unless tampered with). */
  hash: unknown;
  /** The record's hashed columns as JSON, written by the database: UTF-8 bytes. */
  text: Buffer;
}

/** HASHED_COLUMNS quoted for SQL, in order. */
const QUOTED_HASHED_COLUMNS = HASHED_COLUMNS.map((c) => `"${c}"`).join(', ');

const LINE = 0x1e;
const PART = 0x1f;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Reads of the chain for its verification, its witnesses and its checkpoints. */
export class ChainStore {
  constructor(readonly db: Scope) {}

  /** The head as the database states it (null before the chain's row exists). */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const head = await this.db('audit_heads').where({ chain: CHAIN }).first('seq', 'hash');
    return head ? { seq: Number(head.seq), hash: String(head.hash) } : null;
  }

  /** Up to `limit` records from `fromSeq` on, in order. */
  page(fromSeq: number, limit: number): Promise<StoredRecord[]> {
    return this.db('disclosure_log').where('seq', '>=', fromSeq).orderBy('seq').limit(limit);
  }

  /**
   * Records from `fromSeq` on (up to `limit`), each as the text its hash should be the SHA-256 of,
   * made by SQLite itself: on SQLite only (null elsewhere). Verifying the chain through row
   * objects cost about 15 us a record in node-sqlite3 (a JavaScript value per column on the main
   * thread); here a whole page comes back as one value, and as bytes (a BLOB), so that the main
   * thread neither decodes it into a string nor splits it into strings: SHA-256 takes the bytes.
   * SQLite's json_array writes what JSON.stringify writes for every value a record holds as
   * written (checked by a test over every character), so an intact record's text hashes to its
   * stored hash; a record whose text does not (altered, or holding a value no writer stores) is
   * for the caller to check the exact way.
   */
  async hashedTexts(fromSeq: number, limit: number): Promise<HashedText[] | null> {
    if (!isSqlite(this.db)) return null;
    // json_quote and json_array escape every control character, so \x1e and \x1f cannot occur
    // inside a line or its hash: they part the lines and the hash from the text unambiguously.
    // The lines come in the subquery's order; group_concat's own ORDER BY would sort them again
    // (more than the rest of the query's time), and a line out of order fails the caller's fast
    // check, which then reads the page row by row: order is checked, never assumed.
    const [page] = (await this.db.raw(
      `select cast(group_concat(line, char(30)) as blob) as lines from (
         select iif(kind = 'admitted', 'A', '-') || json_quote(hash) || char(31) ||
           json_array(${QUOTED_HASHED_COLUMNS}) as line
         from disclosure_log where seq >= ? order by seq limit ?)`,
      [fromSeq, limit],
    )) as { lines: Buffer | null }[];
    const bytes = page?.lines;
    if (!bytes) return [];
    const records: HashedText[] = [];
    for (let start = 0; start < bytes.length;) {
      const next = bytes.indexOf(LINE, start);
      const end = next < 0 ? bytes.length : next;
      const part = bytes.indexOf(PART, start);
      // The stored hash, JSON-quoted: 64 hex digits in quotes unless it was tampered with.
      const plain =
        part - start === 67 &&
        bytes[start + 1] === QUOTE &&
        !bytes.subarray(start + 1, part).includes(BACKSLASH);
      records.push({
        admitted: bytes[start] === 0x41, // 'A'
        hash: plain
          ? bytes.toString('latin1', start + 2, part - 1)
          : (JSON.parse(bytes.toString('utf8', start + 1, part)) as unknown),
        text: bytes.subarray(part + 1, end),
      });
      start = end + 1;
    }
    return records;
  }

  /** The accounting rows of the records `first` to `last`, grouped by record. */
  async accountingRows(first: number, last: number): Promise<Map<number, string[]>> {
    const stored = new Map<number, string[]>();
    const found: { seq: number | string; account_id: string }[] = await this.db(
      'disclosure_accounts',
    )
      .whereBetween('seq', [first, last])
      .select('seq', 'account_id');
    for (const r of found) {
      const list = stored.get(Number(r.seq)) ?? [];
      list.push(String(r.account_id));
      stored.set(Number(r.seq), list);
    }
    return stored;
  }

  /** An accounting row that points past `lastSeq` or before the chain's start, if any. */
  async strayAccountingSeq(lastSeq: number): Promise<number | null> {
    const stray = await this.db('disclosure_accounts')
      .where('seq', '>', lastSeq)
      .orWhere('seq', '<', 1)
      .first('seq');
    return stray ? Number(stray.seq) : null;
  }

  /** How many accounts say they were created by `time`. */
  async accountsCreatedBy(time: string): Promise<number> {
    const row = await this.db('accounts')
      .where('created_at', '<=', time)
      .count<{ n: number | string }[]>({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  /** The hash of record `seq`, or null when the chain does not reach it. */
  async hashOf(seq: number): Promise<string | null> {
    const row = await this.db('disclosure_log').where({ seq }).first('hash');
    return row ? String(row.hash) : null;
  }

  /** The database's own identity (migration 0013), under which its witnesses are filed. */
  async databaseIdentity(): Promise<string> {
    const row = await this.db('database_identity').orderBy('id').first('id');
    if (!row) throw new Error('this database has no identity row (database_identity is empty)');
    return String(row.id);
  }
}
