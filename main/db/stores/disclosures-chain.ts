/**
 * The disclosure log's hash chain: the one writer of disclosure_log, disclosure_accounts and the
 * chain's head in audit_heads, and the reads that verify them.
 */
import { createHash } from 'node:crypto';
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
