/**
 * verify-audit over a million disclosure-log records (issue 18), beside its floor: the same
 * records read a page at a time the fastest way the engine has, and hashed, nothing else checked.
 */
import type { Knex } from 'knex';
import { bulkTable } from '../../main/db/engine/bulk';
import { ChainStore, hashText } from '../../main/db/stores/disclosures-chain';
import { IdSource } from '../../main/ids';
import { GENESIS_HASH, HASHED_COLUMNS, hashRecord } from '../../main/services/audit/chain';
import type { ChainVerification } from '../../shared/types';
import type { Add, CaseSpec } from './cases';
import { percentile, time } from './stats';

/** The size the target names. */
export const VERIFY_RECORDS = 1_000_000;

/** Appends disclosure records fast: hash chain computed here, rows written in bulk. */
export async function appendDisclosureRecords(db: Knex, count: number): Promise<void> {
  const ids = new IdSource();
  await db.transaction(async (trx) => {
    const head = await trx('audit_heads').where({ chain: 'disclosures' }).first('seq', 'hash');
    let seq = Number(head.seq);
    let prev = String(head.hash ?? GENESIS_HASH);
    const columns = [...HASHED_COLUMNS, 'hash'];
    const table = await bulkTable(trx, 'disclosure_log', columns);
    try {
      const at = new Date().toISOString();
      for (let done = 0; done < count;) {
        const rows: unknown[][] = [];
        for (let i = 0; i < 1000 && done < count; i++, done++) {
          seq++;
          const row: Record<string, unknown> = {
            seq,
            id: ids.next(),
            kind: 'refused',
            ref_seq: null,
            recorded_at: at,
            staff_id: null,
            staff_name: 'Bench',
            workstation: 'bench',
            approvers: '[]',
            recipient_id: null,
            recipient_name: 'Example Agency',
            recipient_contact: '1 Example Street',
            recipient_type: 'collection_agency',
            purpose: 'debt_collection',
            legal_basis: 'benchmark',
            account_ids: '[]',
            fields: '["lastName"]',
            row_count: 0,
            file_path: null,
            format: 'csv',
            sha256: null,
            refusal: 'benchmark record',
            request_id: null,
            prev_hash: prev,
          };
          row.hash = hashRecord(row);
          prev = String(row.hash);
          rows.push(columns.map((c) => row[c]));
        }
        await table.write(rows);
      }
    } finally {
      await table.close();
    }
    await trx('audit_heads').where({ chain: 'disclosures' }).update({ seq, hash: prev });
  });
}

/**
 * The floor of a verification: every record read in pages (SQLite: one text per page,
 * ChainStore.hashedTexts; PostgreSQL: the rows) and hashed; returns how many matched their hash.
 */
export async function verifyFloor(db: Knex, pageSize = 5000): Promise<number> {
  const chain = new ChainStore(db);
  let matched = 0;
  for (let from = 1; ; from += pageSize) {
    const texts = await chain.hashedTexts(from, pageSize);
    const rows = texts ? null : await chain.page(from, pageSize);
    for (const t of texts ?? []) if (hashText(t.text) === t.hash) matched++;
    for (const r of rows ?? []) if (hashRecord(r) === r.hash) matched++;
    if ((texts ?? rows!).length < pageSize) return matched;
  }
}

export async function verifyCase(
  spec: CaseSpec,
  db: Knex,
  verify: () => Promise<ChainVerification>,
  add: Add,
): Promise<void> {
  const records = VERIFY_RECORDS;
  const existing = Number((await db('disclosure_log').count({ n: '*' }).first())?.n);
  await appendDisclosureRecords(db, records - existing);
  const runs = spec.quick ? 2 : 3;
  const full: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [ms, report] = await time(verify);
    if (!report.ok || report.records !== records) throw new Error('the chain did not verify');
    full.push(ms);
  }
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [ms, matched] = await time(() => verifyFloor(db));
    if (matched !== records) throw new Error(`the floor matched ${matched} of ${records} hashes`);
    floor.push(ms);
  }
  add({
    work: 'verify-audit (disclosures.verify)',
    rows: records,
    p50_ms: percentile(full, 0.5),
    p95_ms: Math.max(...full),
    baseline_p50_ms: percentile(floor, 0.5),
    baseline_p95_ms: Math.max(...floor),
    samples: runs,
    note: 'rows = disclosure-log records; p95 = slowest; baseline: the same records read a page at a time the fastest way the engine has (SQLite: one text per page) and hashed, without checking order, links or accounting',
  });
}
