/**
 * Moves a whole Custodian database from its SQLite file to a team's PostgreSQL server: every
 * table, every row, ids and hash chains unchanged. The target gets the same migrations first,
 * must hold nothing yet, and is filled in one transaction (all or nothing); afterwards the row
 * counts of every table and the disclosure log's hash chain are verified on the target.
 */
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import { isSqlite } from './connect';
import { migrateToLatest, migrationSource } from './migrations';
import { bulkTable, deferIndexes } from './engine/bulk';
import { restampFeedAfterCopy } from './stores/sync-feed';

/**
 * What the copy needs of the disclosure chain's verification (main/services/audit/chain.ts,
 * passed in by main/services/import/migrate-data.ts): whether it holds, and its head.
 */
export interface ChainCheck {
  ok: boolean;
  problem?: { message: string } | undefined;
  headSeq: number;
  headHash: string;
}

/** Tables the migrations themselves fill, and which of their rows mean "nothing happened yet". */
const MIGRATION_ROWS: Record<string, string> = {
  counters: 'value = 0',
  audit_heads: 'seq = 0',
  // The target's own identity gives way to the source's: the moved database is the same one,
  // and its audit witnesses are filed under that identity.
  database_identity: '1 = 1',
};
const BATCH_ROWS = 5000;

export interface TableCopy {
  table: string;
  sourceRows: number;
  targetRows: number;
}

export interface MigrateDataResult<R extends ChainCheck = ChainCheck> {
  tables: TableCopy[];
  rows: number;
  chain: R;
  /** The head of the disclosure chain, as in the source and now in the target. */
  head: { seq: number; hash: string } | null;
  milliseconds: number;
}

export interface MigrateDataOptions {
  /** Called after each batch with the rows copied so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Called once the source's migrations ran, with the ones it applied. */
  onSourceMigrated?: (applied: string[]) => void;
  /** Called once the target's migrations ran, with the ones it applied. */
  onMigrated?: (applied: string[]) => void;
}

/**
 * The copy wrote the source's keys into identity columns (accounts.key, migration 0027): their
 * sequences continue after the largest, or the next row created would take a key in use.
 */
async function continueIdentities(trx: Knex.Transaction): Promise<void> {
  if (isSqlite(trx)) return;
  const result = (await trx.raw(
    `select table_name as "table", column_name as "column" from information_schema.columns
     where table_schema = current_schema() and is_identity = 'YES'`,
  )) as { rows: { table: string; column: string }[] };
  for (const { table, column } of result.rows) {
    await trx.raw(
      `select setval(pg_get_serial_sequence(?, ?), coalesce(max(??), 0) + 1, false) from ??`,
      [quote(table), column, column, table],
    );
  }
}

/** Why the data cannot be moved, in words for the person running the command. */
export class MigrateDataError extends AppError {
  constructor(message: string) {
    super('VALIDATION', message);
  }
}

/** The source's tables, parents before children (foreign keys), knex's own left out. */
async function tablesInOrder(source: Knex): Promise<string[]> {
  const names = (
    (await source.raw(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%' order by name`,
    )) as { name: string }[]
  ).map((r) => r.name);
  const parents = new Map<string, Set<string>>();
  for (const name of names) {
    const fks = (await source.raw(`PRAGMA foreign_key_list(${quote(name)})`)) as {
      table: string;
    }[];
    parents.set(name, new Set(fks.map((f) => f.table).filter((t) => t !== name)));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter(
      (n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p) || !parents.has(p)),
    );
    if (ready.length === 0) throw new Error('the tables refer to each other in a cycle');
    for (const n of ready) {
      ordered.push(n);
      placed.add(n);
    }
  }
  return ordered;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A database a newer Custodian migrated has a schema this program does not know. */
async function refuseNewerSchema(db: Knex, which: 'source' | 'target'): Promise<void> {
  if (!(await db.schema.hasTable('knex_migrations'))) return;
  const known = new Set(await migrationSource.getMigrations([]));
  const names = (await db('knex_migrations').pluck('name')) as string[];
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new MigrateDataError(
      `The ${which} database was upgraded by a newer version of Custodian (it has migrations this program does not know: ${unknown.join(', ')}). Use that newer version.`,
    );
  }
}

async function count(db: Knex, table: string, where?: string): Promise<number> {
  const row = (await db(table)
    .modify((q) => {
      if (where) q.whereRaw(`not (${where})`);
    })
    .count({ n: '*' })
    .first()) as { n: number | string };
  return Number(row.n);
}

async function columnsOf(db: Knex, table: string): Promise<string[]> {
  if (isSqlite(db)) {
    const info = (await db.raw(`PRAGMA table_info(${quote(table)})`)) as { name: string }[];
    return info.map((c) => c.name);
  }
  const result = (await db.raw(
    `select column_name from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position`,
    [table],
  )) as { rows: { column_name: string }[] };
  return result.rows.map((r) => r.column_name);
}

/**
 * Copies every table of `source` (SQLite) into `target` (PostgreSQL). Both must be open; the
 * target is migrated first. Refuses a target that already holds data.
 */
export async function copyDatabase<R extends ChainCheck>(
  source: Knex,
  target: Knex,
  options: MigrateDataOptions,
  verifyChain: (db: Knex) => Promise<R>,
): Promise<MigrateDataResult<R>> {
  const started = performance.now();
  if (!isSqlite(source)) throw new Error('the source must be an SQLite database');
  if (isSqlite(target)) throw new Error('the target must be a PostgreSQL database');

  await refuseNewerSchema(source, 'source');
  await refuseNewerSchema(target, 'target');
  // Both at the same, latest schema: the app would bring the source up to date when opened too.
  const { applied: sourceApplied } = await migrateToLatest(source);
  options.onSourceMigrated?.(sourceApplied);
  const tables = await tablesInOrder(source);
  if (!tables.includes('accounts') || !tables.includes('disclosure_log')) {
    throw new MigrateDataError('The source is not a Custodian database (it has no accounts).');
  }
  const { applied } = await migrateToLatest(target);
  options.onMigrated?.(applied);

  const targetTables = new Set(
    (
      (await target.raw(
        `select table_name from information_schema.tables where table_schema = current_schema()`,
      )) as { rows: { table_name: string }[] }
    ).rows.map((r) => r.table_name),
  );
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length > 0) {
    throw new MigrateDataError(
      `The target has no table ${missing.join(', ')}: it was set up by a different version of Custodian.`,
    );
  }
  const occupied: string[] = [];
  for (const table of tables) {
    if ((await count(target, table, MIGRATION_ROWS[table])) > 0) occupied.push(table);
  }
  if (occupied.length > 0) {
    throw new MigrateDataError(
      `The target database already holds data (in ${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ', …' : ''}). Data is only moved into an empty database, so that nothing is mixed or overwritten.`,
    );
  }

  const sourceRows = new Map<string, number>();
  for (const table of tables) sourceRows.set(table, await count(source, table));
  const total = [...sourceRows.values()].reduce((a, b) => a + b, 0);

  const sourceChain = await verifyChain(source);
  if (!sourceChain.ok) {
    throw new MigrateDataError(
      `The source's disclosure log does not verify (${sourceChain.problem?.message ?? 'its head differs'}); nothing was copied. Run custodian verify-audit on it first.`,
    );
  }
  const sourceHead = (await source('audit_heads').where({ chain: 'disclosures' }).first()) as
    { seq: number; hash: string } | undefined;
  const head = sourceHead ? { seq: Number(sourceHead.seq), hash: String(sourceHead.hash) } : null;

  let done = 0;
  // Copied and verified in one transaction: a copy that does not verify leaves the target empty.
  const { copies, chain } = await target.transaction(async (trx) => {
    for (const table of tables) {
      const columns = await columnsOf(source, table);
      const targetColumns = new Set(await columnsOf(trx, table));
      const extra = columns.filter((c) => !targetColumns.has(c));
      if (extra.length > 0) {
        throw new MigrateDataError(
          `The target's ${table} table has no column ${extra.join(', ')}: it was set up by a different version of Custodian.`,
        );
      }
      // Rows the migrations made (the counters at zero, the chain's empty head) give way.
      if (MIGRATION_ROWS[table]) await trx(table).del();
      // The target is empty: its plain indexes are built once the table is filled.
      const rebuild = await deferIndexes(trx, table, { postgres: true });
      const writer = await bulkTable(trx, table, columns);
      try {
        let after = 0;
        for (;;) {
          const rows = (await source.raw(
            `select rowid as "__rowid", ${columns.map(quote).join(', ')} from ${quote(table)} where rowid > ? order by rowid limit ${BATCH_ROWS}`,
            [after],
          )) as Record<string, unknown>[];
          if (rows.length === 0) break;
          after = Number(rows.at(-1)!.__rowid);
          await writer.write(rows.map((r) => columns.map((c) => r[c] ?? null)));
          done += rows.length;
          options.onProgress?.(done, total);
          if (rows.length < BATCH_ROWS) break;
        }
      } finally {
        await writer.close();
      }
      await rebuild();
    }

    const copies: TableCopy[] = [];
    for (const table of tables) {
      copies.push({
        table,
        sourceRows: sourceRows.get(table)!,
        targetRows: await count(trx, table),
      });
    }
    await restampFeedAfterCopy(trx);
    await continueIdentities(trx);
    const differ = copies.filter((c) => c.sourceRows !== c.targetRows);
    if (differ.length > 0) {
      throw new MigrateDataError(
        `The copy is incomplete, so nothing was kept: ${differ.map((c) => `${c.table} has ${c.targetRows} rows in the target, ${c.sourceRows} in the source`).join('; ')}.`,
      );
    }
    // Statistics for the planner, for the tables that got rows: without them PostgreSQL plans
    // the first searches blind (a name search on 100,000 accounts took 50 ms instead of 10).
    // Empty tables are left alone: statistics saying "empty" would have it scan, not look up,
    // tables that then grow with every click (the access log).
    for (const c of copies) if (c.targetRows > 0) await trx.raw('ANALYZE ??', [c.table]);
    const chain = await verifyChain(trx);
    const targetHead = (await trx('audit_heads').where({ chain: 'disclosures' }).first()) as
      { seq: number | string; hash: string } | undefined;
    if (
      !chain.ok ||
      !head ||
      !targetHead ||
      Number(targetHead.seq) !== head.seq ||
      targetHead.hash !== head.hash ||
      chain.headSeq !== head.seq ||
      chain.headHash !== head.hash
    ) {
      throw new MigrateDataError(
        `The disclosure log does not verify on the target${chain.problem ? ` (${chain.problem.message})` : ' (its head differs from the source)'}, so nothing was kept.`,
      );
    }
    return { copies, chain };
  });

  return {
    tables: copies,
    rows: total,
    chain,
    head,
    milliseconds: performance.now() - started,
  };
}
