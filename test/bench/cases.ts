/**
 * One benchmark run on one database (an engine and a size), in its own process: the work a
 * console does, through the whole backend path (`openBackend` + `backend.invoke`: validation,
 * session, visibility, SQL, masking, access log), and the bare SQL of the same work as the
 * baseline, in the same run.
 */
import type { DisclosureRecordView } from '../../shared/types';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Backend } from '../../main/app/backend';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { backgroundCheckpoints } from '../../main/db/engine/background-checkpoint';
import { encodeCursor } from '../../main/db/stores/accounts/keyset';
import { IdSource } from '../../main/ids';
import { importAccounts, validateImportFile } from '../../main/services/import/service';
import type { Session } from '../../main/services/session';
import type { Channel, Input, Output } from '../../shared/contract';
import { capture, openBare, type BareSql, type Statement } from './bare';
import { csvRecords } from '../../main/services/exports/csv';
import {
  RssSampler,
  figures,
  loadNow,
  percentile,
  sample,
  cpuSince,
  threadCpu,
  time,
  type Result,
} from './stats';
import { coldReads } from './cold';
import { psqlArgs, psqlShell, shellCsvExport, sqliteShell } from './shell-export';
import { BatchReplay } from './batch-replay';
import { serverCases } from './through-server';
import { verifyCase } from './verify';
import { benchBackend } from './tool';

export interface CaseSpec {
  engine: 'sqlite' | 'pg';
  /** Accounts in the database. */
  size: number;
  database: DatabaseConfig;
  /** A fresh, empty database for the import. */
  importDatabase: DatabaseConfig;
  importCsv: string;
  workDir: string;
  /** For the import baseline: the sqlite3 or psql program, if there is one. */
  sqliteCli: string | null;
  psql: string | null;
  /** Fewer samples (for --quick). */
  quick: boolean;
  /** The results' engine name when it differs (sqlcipher: SQLite keyed, encrypted at rest). */
  label?: 'sqlcipher';
}

export const PASSWORD = 'benchmark password 1';
const ACCOUNT_NUMBER_BASE = 1_000_000;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A small deterministic random source, so that runs sample the same accounts. */
/** Accounts read (a search by number, one by name, a detail) before the timed reads. */
const WARM_UP_ACCOUNTS = 2000;

function randomSource(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What P3 makes of every read of customer data, run bare: the SELECT, then the access-log INSERT
 * (with an id of its own each time; on PostgreSQL the statement that also queues the entry for
 * the per-account index). Should a call write no entry, the baseline is the SELECT alone (said in
 * its note).
 */
interface BarePair {
  select: Statement;
  insert: Statement | null;
}

function barePair(reads: Statement[], writes: Statement[]): BarePair {
  const insert = writes.find((w) => /\binsert into "access_log" \(/.test(w.sql)) ?? null;
  return { select: accountsQuery(reads), insert };
}

function runPair(reader: BareSql, writer: BareSql, pair: BarePair): Promise<unknown> {
  if (!pair.insert) return reader.all(pair.select);
  const insert = pair.insert;
  return reader
    .all(pair.select)
    .then(() => writer.all({ sql: insert.sql, bindings: [uuidv7(), ...insert.bindings.slice(1)] }));
}

function pairNote(pairs: readonly BarePair[]): string {
  return pairs.every((p) => p.insert)
    ? 'baseline: the same SELECT and the access-log INSERT P3 requires, run bare'
    : 'baseline: the same SELECT run bare (no access-log INSERT was captured)';
}

/** The statement that reads accounts, among those a call ran through the hot path. */
function accountsQuery(statements: Statement[]): Statement {
  const q = statements.find((c) => /\bfrom [`"]?accounts[`"]?/i.test(c.sql));
  if (!q) throw new Error('no accounts query captured');
  return q;
}

export async function runCase(spec: CaseSpec): Promise<Result[]> {
  const results: Result[] = [];
  const engine = spec.engine;
  // A row starts where the one before it ended (the set-up between them is short).
  let loadAtStart = loadNow();
  const add = (r: Omit<Result, 'engine'>) => {
    const loadAtEnd = loadNow();
    const full = {
      engine: spec.label ?? engine,
      ...r,
      load_start: loadAtStart,
      load_end: loadAtEnd,
    } as Result;
    loadAtStart = loadAtEnd;
    results.push(full);
    log(
      `${spec.label ?? engine} ${spec.size.toLocaleString('en-US')}: ${r.work}: p50 ${r.p50_ms?.toFixed(2) ?? '-'} ms, p95 ${r.p95_ms?.toFixed(2) ?? '-'} ms, baseline p50 ${r.baseline_p50_ms?.toFixed(2) ?? '-'} ms${r.rss_growth_mb !== undefined ? `, RSS +${r.rss_growth_mb.toFixed(1)} MB` : ''}`,
    );
  };
  // Reads are sampled 1,000 times (their p95 is a target); the bigger pieces of work fewer.
  const n = 1000;
  const warmup = 20;

  const backend = await benchBackend(spec.database, spec.workDir);
  const db = backend.services.db;
  const call = async <C extends Channel>(s: Session, channel: C, input: Input<C>) => {
    const r = await backend.invoke(s, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as Output<C>;
  };
  /** Name prefixes for the cold reads, which run after this backend has closed. */
  let coldNames: string[] = [];
  const sampler = new RssSampler();
  const bareSql = await openBare(spec.database);
  const bareWriter = await openBare(spec.database, 'write');
  try {
    await firstAdmin(backend, 'bench.admin');
    const support = await staffSession(backend, 'bench.support', 'support_agent');
    const compliance = await staffSession(backend, 'bench.compliance', 'compliance_officer');

    // Accounts to look for, drawn at random from the data (seeded numbers are consecutive).
    const random = randomSource(spec.size);
    const numbers = Array.from(
      { length: n + warmup },
      () => `C-${ACCOUNT_NUMBER_BASE + 1 + Math.floor(random() * spec.size)}`,
    );
    const rows = (await db('accounts')
      .whereIn('account_number', numbers)
      .select('id', 'account_number', 'name_key', 'email_key', 'phone_digits')) as {
      id: string;
      account_number: string;
      name_key: string;
      email_key: string;
      phone_digits: string | null;
    }[];
    const byNumber = new Map(rows.map((r) => [r.account_number, r]));
    const picked = numbers.map((num) => byNumber.get(num)!).filter(Boolean);
    if (picked.length < numbers.length / 2) throw new Error('the accounts were not found');
    const at = (i: number) => picked[i % picked.length]!;

    /** Last-name prefixes of 3 to 5 letters, as people type them. */
    const nameSearch = (i: number) =>
      at(i)
        .name_key.split(' ')[0]!
        .slice(0, 3 + (i % 3));

    coldNames = Array.from({ length: 40 }, (_, i) => nameSearch(n + i));

    // Warm-up, untimed: the console as after a while in use, its code optimised by the JIT and
    // SQLite's cache holding the indexes' upper pages, on accounts other than the samples'. With
    // only each row's 20 warm-up calls, the first rows' p95 held the warming: in a separate run,
    // account-number searches 20-1,020 had a p95 of 1.54 ms, 1,020-2,020 1.30 ms, 500-5,000
    // 0.84 ms. The cold rows (cold.ts) measure the other end.
    {
      const other = randomSource(spec.size + 7);
      const warmNumbers = Array.from(
        { length: WARM_UP_ACCOUNTS },
        () => `C-${ACCOUNT_NUMBER_BASE + 1 + Math.floor(other() * spec.size)}`,
      );
      const warm = (await db('accounts')
        .whereIn('account_number', warmNumbers)
        .select('id', 'account_number', 'name_key')) as {
        id: string;
        account_number: string;
        name_key: string;
      }[];
      for (const [i, a] of warm.entries()) {
        const name = a.name_key.split(' ')[0]!.slice(0, 3 + (i % 3));
        await call(support, 'accounts.list', {
          search: a.account_number,
          searchKind: 'accountNumber',
          sort: 'match',
        });
        await call(support, 'accounts.list', { search: name, searchKind: 'name', sort: 'match' });
        await call(support, 'accounts.get', { id: a.id });
      }
    }

    /**
     * A read timed as `as` makes it, beside the statements it ran (recorded in a pass of their
     * own, not timed) run bare: the row of the table.
     */
    const readRow = async <C extends 'accounts.get' | 'accounts.list'>(
      work: string,
      as: Session,
      channel: C,
      input: (i: number) => Input<C>,
    ) => {
      const full = await sample(n, warmup, (i) => call(as, channel, input(i)));
      const pairs: BarePair[] = [];
      for (let i = 0; i < n + warmup; i++) {
        const [reads, , writes] = await capture(backend.services.hot, () =>
          call(as, channel, input(i)),
        );
        pairs[i] = barePair(reads, writes);
      }
      const bare = await sample(n, warmup, (i) => runPair(bareSql, bareWriter, pairs[i]!));
      add({
        work,
        rows: spec.size,
        ...figures(full, bare),
        samples: n,
        note: pairNote(pairs),
      });
    };

    // ---- searches ---------------------------------------------------------------------------
    const searches: {
      work: string;
      /** As the console sends a search (best matches first) unless the user chose an order. */
      sort?: 'name';
      input: (i: number) => Input<'accounts.list'>;
    }[] = [
      {
        work: 'search by account number',
        input: (i) => ({ search: at(i).account_number, searchKind: 'accountNumber' }),
      },
      {
        work: 'search by name prefix',
        input: (i) => ({ search: nameSearch(i), searchKind: 'name' }),
      },
      {
        // The same prefixes with the list sorted by name (a column header clicked).
        work: 'search by name prefix, sorted by name',
        sort: 'name',
        input: (i) => ({ search: nameSearch(i), searchKind: 'name' }),
      },
      {
        work: 'search by email prefix',
        input: (i) => ({ search: at(i).email_key.slice(0, 4 + (i % 4)), searchKind: 'email' }),
      },
      {
        // Answered from the email index, which holds the name (migration 0009).
        work: 'search by email prefix, sorted by name',
        sort: 'name',
        input: (i) => ({ search: at(i).email_key.slice(0, 4 + (i % 4)), searchKind: 'email' }),
      },
      {
        // The last 4 digits, or the first 6, of a phone number.
        work: 'search by phone digits',
        input: (i) => {
          const d = at(i).phone_digits ?? at(i + 1).phone_digits ?? '5550100';
          return { search: i % 2 ? d.slice(-4) : d.slice(0, 6), searchKind: 'phone' };
        },
      },
      {
        // The start of an account number, with or without its letters (issue 17).
        work: 'search by account number prefix',
        input: (i) => {
          const num = at(i).account_number.slice(0, 7 + (i % 3));
          return i % 2
            ? { search: num, searchKind: 'accountNumber' }
            : { search: num.slice(2), searchKind: 'digits' };
        },
      },
      {
        // An email's domain, sorted by name as one reads a company's customers (migration 0020).
        work: 'search by email domain, sorted by name',
        sort: 'name',
        input: (i) => {
          // Accounts without an email have an empty key: the next one with one.
          let k = i;
          while (!at(k).email_key.includes('@')) k++;
          const domain = at(k).email_key.split('@')[1]!;
          return { search: `@${domain.slice(0, 3 + (i % 5))}`, searchKind: 'emailDomain' };
        },
      },
    ];
    for (const s of searches) {
      // Searches are sent as the console sends them: best matches first.
      await readRow(s.work, support, 'accounts.list', (i) => ({
        sort: s.sort ?? 'match',
        ...s.input(i),
      }));
    }

    // ---- list pages by name, at the start, the middle and the end (keyset cursors) -----------
    let middleCursor = '';
    for (const [work, offset] of [
      ['list page by name: start', null],
      ['list page by name: middle', Math.floor(spec.size / 2)],
      ['list page by name: end', spec.size - 50],
    ] as const) {
      let cursor: string | undefined;
      if (offset !== null) {
        // The keyset value of the row before the page, computed from SQL directly.
        const row = (await db('accounts')
          .orderBy([{ column: 'name_key' }, { column: 'key' }])
          .offset(offset - 1)
          .first('name_key', 'key')) as { name_key: string; key: number | string };
        cursor = encodeCursor(row.name_key, Number(row.key));
        if (work === 'list page by name: middle') middleCursor = cursor;
      }
      const input: Input<'accounts.list'> = {
        sort: 'name',
        limit: 50,
        ...(cursor ? { cursor } : {}),
      };
      const [reads, page, writes] = await capture(backend.services.hot, () =>
        call(support, 'accounts.list', input),
      );
      if (page.rows.length === 0) throw new Error(`${work}: empty page`);
      const pair = barePair(reads, writes);
      const full = await sample(n, warmup, () => call(support, 'accounts.list', input));
      const bare = await sample(n, warmup, () => runPair(bareSql, bareWriter, pair));
      add({
        work,
        rows: spec.size,
        ...figures(full, bare),
        samples: n,
        note: pairNote([pair]),
      });
    }

    // ---- account detail -------------------------------------------------------------------------
    await readRow('account detail', support, 'accounts.get', (i) => ({ id: at(i).id }));

    // ---- the same reads as the other roles (each sees other fields: other columns, other masks)
    const others: [string, Session][] = [
      ['collections agent', await staffSession(backend, 'bench.agent', 'collections_agent')],
      ['compliance officer', compliance],
      ['fraud analyst', await staffSession(backend, 'bench.fraud', 'fraud_analyst')],
      ['administrator', await signIn(backend, 'bench.admin')],
    ];
    for (const [role, as] of others) {
      await readRow(`search by name prefix, as ${role}`, as, 'accounts.list', (i) => ({
        sort: 'match',
        search: nameSearch(i),
        searchKind: 'name',
      }));
      await readRow(`account detail, as ${role}`, as, 'accounts.get', (i) => ({ id: at(i).id }));
    }

    // ---- an edit (accounts.update: optimistic lock, provenance, field history) ---------------
    {
      const edits = Math.min(n, 200);
      const today = new Date().toISOString().slice(0, 10);
      const phoneOf = (i: number) => `+1 202 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`;
      const full: number[] = [];
      for (let i = 0; i < edits + warmup; i++) {
        const id = at(i).id;
        const detail = await call(support, 'accounts.get', { id });
        const started = performance.now();
        await call(support, 'accounts.update', {
          id,
          version: detail.version,
          changes: { phone: phoneOf(i) },
          provenance: { source: 'phone', date: today },
        });
        if (i >= warmup) full.push(performance.now() - started);
      }
      // The same writes in bare SQL: read, update with the version check, provenance, history.
      const ids = new IdSource();
      const staffId = (await db('staff').where({ username: 'bench.support' }).first('id')).id;
      const bare: number[] = [];
      for (let i = 0; i < edits + warmup; i++) {
        const id = at(i + 7).id;
        const phone = `+1 303 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`;
        const digits = phone.replace(/\D/g, '');
        const started = performance.now();
        await db.transaction(async (trx) => {
          const row = await trx('accounts').where({ id }).first('version', 'phone');
          await trx('accounts')
            .where({ id, version: row.version })
            .update({
              phone,
              phone_digits: digits,
              phone_digits_rev: [...digits].reverse().join(''),
              updated_at: new Date().toISOString(),
              updated_by: staffId,
              version: Number(row.version) + 1,
            });
          const provenanceId = ids.next();
          await trx('account_provenance').insert({
            id: provenanceId,
            account_id: id,
            event: 'updated',
            source: 'phone',
            source_date: today,
            fields: '["phone"]',
            staff_id: staffId,
            recorded_at: new Date().toISOString(),
          });
          await trx('account_changes').insert({
            id: ids.next(),
            provenance_id: provenanceId,
            account_id: id,
            field: 'phone',
            old_value: row.phone,
            new_value: phone,
          });
        });
        if (i >= warmup) bare.push(performance.now() - started);
      }
      add({
        work: 'edit (accounts.update)',
        rows: spec.size,
        ...figures(full, bare),
        samples: edits,
        note: 'baseline: the same read, update, provenance and history rows in bare SQL',
      });
    }

    // ---- the same reads and an edit through a team server on loopback (issue 15) ---------------
    await serverCases({
      backend,
      database: spec.database,
      bundle: __filename,
      workDir: spec.workDir,
      n,
      warmup,
      inProcess: support,
      username: 'bench.support',
      password: PASSWORD,
      at,
      middleCursor,
      add: (r) => add({ ...r, rows: spec.size }),
    });

    // ---- internal CSV export of 100,000 accounts, with its record and SHA-256 ---------------
    await exportCase(spec, db, backend, support, sampler, bareSql, add);

    // ---- verify-audit over 1,000,000 disclosure-log records -----------------------------------
    await verifyCase(spec, db, () => call(compliance, 'disclosures.verify', {}), add);

    // ---- a collection batch of up to 100,000 accounts: sent, then recalled --------------------
    await batchCase(spec, db, backend, compliance, call, add);
  } finally {
    await sampler.close();
    await bareSql.close();
    await bareWriter.close();
    await backend.close();
  }

  // ---- the first search and list page of a database just opened, its file out of the cache ----
  if (spec.database.client === 'sqlite') {
    await coldReads({
      database: spec.database,
      workDir: spec.workDir,
      username: 'bench.support',
      password: PASSWORD,
      samples: spec.quick ? 20 : 40,
      search: (i) => ({
        sort: 'match',
        search: coldNames[i % coldNames.length]!,
        searchKind: 'name',
      }),
      add: (r) => add({ ...r, rows: spec.size }),
    });
  }

  // ---- import of `size` accounts from CSV into an empty database ---------------------------------
  await importCase(spec, add);

  return results;
}

/** The database's first administrator, made as the console's first run makes it. */
export async function firstAdmin(backend: Backend, username: string): Promise<void> {
  const r = await backend.invoke(backend.openSession(), 'setup.createFirstAdmin', {
    displayName: username,
    username,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
  });
  if (!r.ok) throw new Error(`first admin ${username}: ${r.error.message}`);
}

/** A session signed in as an existing staff member (the bench's password). */
export async function signIn(backend: Backend, username: string): Promise<Session> {
  const s = backend.openSession();
  const r = await backend.invoke(s, 'auth.login', { username, password: PASSWORD });
  if (!r.ok) throw new Error(`login ${username}: ${r.error.message}`);
  return s;
}

export async function staffSession(
  backend: Backend,
  username: string,
  role: 'support_agent' | 'compliance_officer' | 'collections_agent' | 'fraud_analyst',
) {
  await backend.services.auth.createStaff({
    username,
    displayName: username,
    role,
    password: PASSWORD,
    mustChangePassword: false,
  });
  return signIn(backend, username);
}

export const EXPORT_FIELDS = [
  'accountNumber',
  'firstName',
  'lastName',
  'email',
  'phone',
  'city',
  'postalCode',
  'country',
  'balanceCents',
  'standing',
] as const;

export type Add = (r: Omit<Result, 'engine'>) => void;

async function exportCase(
  spec: CaseSpec,
  db: Knex,
  backend: Backend,
  support: Session,
  sampler: RssSampler,
  bareSql: BareSql,
  add: Add,
): Promise<void> {
  // 100,000 accounts: all of them in the 100,000 database; in a larger one, the accounts whose
  // last name starts with the letter whose count comes closest to 100,000.
  let search: string | undefined;
  if (spec.size > 100_000) {
    const letters = (await db('accounts')
      .select(db.raw('substr(name_key, 1, 1) as letter'))
      .count({ n: '*' })
      .groupByRaw('substr(name_key, 1, 1)')) as { letter: string; n: number | string }[];
    letters.sort((a, b) => Math.abs(Number(a.n) - 100_000) - Math.abs(Number(b.n) - 100_000));
    search = letters[0]!.letter;
  }
  const runs = spec.quick ? 2 : 3;
  const full: number[] = [];
  const growth: number[] = [];
  let rowCount = 0;
  // As the console sends it: a search exports its best matches first, the whole list by name.
  const exportOf = (fileName: string) =>
    backend.invoke(support, 'exports.accounts', {
      ...(search ? { search, searchKind: 'name' as const, sort: 'match' as const } : {}),
      ...(search ? {} : { sort: 'name' as const }),
      fields: [...EXPORT_FIELDS],
      format: 'csv',
      fileName,
    });
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const [mb, [ms, record]] = await sampler.during(() =>
      time(async () => {
        const r = await exportOf(`bench-export-${i}.csv`);
        if (!r.ok) throw new Error(`export: ${r.error.message}`);
        return r.value as DisclosureRecordView;
      }),
    );
    full.push(ms);
    growth.push(mb);
    rowCount = record.rowCount;
    fs.rmSync(path.join(spec.workDir, 'exports', `bench-export-${i}.csv`), { force: true });
  }
  // Bare SQL: the statements the export ran (recorded in a run of its own), straight from the
  // driver, their rows written as CSV with the same encoder and hashed; no visibility, no
  // record, no fsync.
  const [statements] = await capture(backend.services.hot, () => exportOf('bench-capture.csv'));
  fs.rmSync(path.join(spec.workDir, 'exports', 'bench-capture.csv'), { force: true });
  if (statements.length === 0) throw new Error('no export statement captured');
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const file = path.join(spec.workDir, `bare-export-${i}.csv`);
    const [ms] = await time(async () => {
      const out = fs.openSync(file, 'w');
      const hash = createHash('sha256');
      const write = (text: string) => {
        hash.update(text);
        fs.writeSync(out, text);
      };
      write(csvRecords([[...EXPORT_FIELDS]]));
      for (const statement of statements) {
        const rows = (await bareSql.all(statement)) as Record<string, unknown>[];
        // SQLite's rows come packed as one JSON array each (main/db/packed-rows.ts).
        const cells = rows.map(
          (r) =>
            (typeof r.packed_row === 'string' ? JSON.parse(r.packed_row) : Object.values(r)) as (
              string | number | null
            )[],
        );
        write(csvRecords(cells));
      }
      fs.closeSync(out);
      hash.digest('hex');
    });
    bare.push(ms);
    fs.rmSync(file, { force: true });
  }
  // The floor: the engine's own shell writing the same columns of every account as CSV (issue
  // 18). The sqlite3 shell cannot open an encrypted database.
  const shell: number[] = [];
  const exportShell =
    spec.database.client === 'sqlite'
      ? spec.sqliteCli && !spec.database.key
        ? sqliteShell(spec.sqliteCli, spec.database.filename)
        : null
      : spec.psql
        ? psqlShell(spec.psql, spec.database)
        : null;
  if (exportShell && !search) {
    for (let i = 0; i < runs; i++) {
      const file = path.join(spec.workDir, `shell-export-${i}.csv`);
      shell.push(shellCsvExport(exportShell, EXPORT_FIELDS, file));
    }
  }
  const shellMs = shell.length > 0 ? percentile(shell, 0.5) : undefined;
  add({
    work: 'internal CSV export (exports.accounts)',
    ...(shellMs === undefined ? {} : { shell_baseline_ms: shellMs }),
    rows: rowCount,
    p50_ms: percentile(full, 0.5),
    p95_ms: Math.max(...full),
    baseline_p50_ms: percentile(bare, 0.5),
    baseline_p95_ms: Math.max(...bare),
    rss_growth_mb: Math.max(...growth),
    samples: runs,
    note: `${search ? `a name search for "${search}" (last or first name), best matches first; ` : ''}p95 = slowest of ${runs}; baseline: the same statements bare, written as CSV and hashed${shellMs === undefined ? '' : `; ${exportShell?.name} of the same columns in the same order: ${shellMs.toFixed(0)} ms`}`,
  });
}

async function importCase(spec: CaseSpec, add: Add): Promise<void> {
  const db = connect(spec.importDatabase);
  try {
    await migrateToLatest(db);
    const [validateMs, report] = await time(() => validateImportFile(spec.importCsv));
    const cpu0 = threadCpu();
    const [importMs, result] = await time(() =>
      importAccounts(db, spec.importCsv, {
        expectedSha256: report.sha256,
        expectedRows: report.rowsValid,
      }),
    );
    const cpu = cpuSince(cpu0);
    // The WAL's copy into the database runs on after the import, beside the console's work.
    const [checkpointMs] = await time(() => backgroundCheckpoints(db));
    if (result.imported !== report.rowsValid) throw new Error('import count differs');
    const baseline = bareImport(spec);
    add({
      work: 'import from CSV, checked (importAccounts)',
      rows: result.imported,
      p50_ms: importMs,
      p95_ms: importMs,
      baseline_p50_ms: baseline?.ms ?? null,
      baseline_p95_ms: baseline?.ms ?? null,
      samples: 1,
      note: `one run into an empty database${cpu ? `; ${cpu}` : ''}${spec.engine === 'pg' ? '' : `; the WAL copied into the database in the background for ${(checkpointMs / 1000).toFixed(1)} s after it`}; baseline: ${baseline?.what ?? 'none (no sqlite3/psql program)'}`,
    });
    add({
      work: 'import: checking pass only (validateImportFile)',
      rows: report.rowsTotal,
      p50_ms: validateMs,
      p95_ms: validateMs,
      baseline_p50_ms: null,
      baseline_p95_ms: null,
      samples: 1,
      note: 'the CLI runs this first, then the import (which checks again)',
    });
  } finally {
    await db.destroy();
  }
}

/** The same file loaded by the database's own CSV loader into a plain table, no checks. */
function bareImport(spec: CaseSpec): { ms: number; what: string } | null {
  if (spec.engine === 'sqlite' && spec.sqliteCli) {
    const file = path.join(spec.workDir, 'bare-import.sqlite');
    fs.rmSync(file, { force: true });
    const started = performance.now();
    const r = spawnSync(spec.sqliteCli, [file, '.mode csv', `.import ${spec.importCsv} accounts`]);
    const ms = performance.now() - started;
    fs.rmSync(file, { force: true });
    return r.status === 0 ? { ms, what: 'sqlite3 .import into a table without indexes' } : null;
  }
  if (spec.engine === 'pg' && spec.psql && spec.importDatabase.client === 'pg') {
    const args = psqlArgs(spec.importDatabase);
    const header = fs.readFileSync(spec.importCsv, 'utf8').slice(0, 2000).split('\n')[0]!.trim();
    const create = `create table bare_import (${header
      .split(',')
      .map((h) => `"${h}" text`)
      .join(', ')})`;
    spawnSync(spec.psql, [...args, '-c', create]);
    const started = performance.now();
    const r = spawnSync(spec.psql, [
      ...args,
      '-c',
      `\\copy bare_import from '${spec.importCsv}' csv header`,
    ]);
    const ms = performance.now() - started;
    spawnSync(spec.psql, [...args, '-c', 'drop table bare_import']);
    return r.status === 0 ? { ms, what: 'psql \\copy into a table without indexes' } : null;
  }
  return null;
}

/**
 * A placement batch of up to 100,000 accounts in bad standing: sent (file, disclosure record,
 * every account moved to in collection with its standing event) and recalled (moved back).
 * Each runs once. On SQLite each has a bare baseline: the statements SQLite ran for it, run again
 * on a copy of the database made just before (batch-replay.ts).
 */
export async function batchCase(
  spec: Pick<CaseSpec, 'size' | 'database'> & { replay?: boolean },
  db: Knex,
  backend: Backend,
  compliance: Session,
  call: <C extends Channel>(s: Session, channel: C, input: Input<C>) => Promise<Output<C>>,
  add: Add,
): Promise<void> {
  const wanted = Math.min(100_000, spec.size);
  // The seeded data has too few accounts in bad standing: the first `wanted` by id become so,
  // in USD and owing at least 50.00 (the rest of the bench has used this database already).
  await db('accounts')
    .whereIn('id', db('accounts').select('id').orderBy('id').limit(wanted))
    .update({
      standing: 'bad_standing',
      currency: 'USD',
      days_past_due: 120,
      balance_cents: db.raw('case when balance_cents < 5000 then 5000 else balance_cents end'),
    });
  const agency = await call(compliance, 'recipients.create', {
    name: 'Bench Collections',
    type: 'collection_agency',
    contact: '1 Bench Street',
  });
  const agent = await staffSession(backend, 'bench.collections', 'collections_agent');
  const filters = { agencyId: agency.id, currency: 'USD', minBalanceCents: 5_000 };
  const replay =
    spec.database.client === 'sqlite' && spec.replay !== false
      ? await BatchReplay.copyOf(db, spec.database)
      : null;
  try {
    const previewCall = () => call(agent, 'batches.preview', filters);
    const preview = replay ? await replay.warm(previewCall) : await previewCall();
    const [sendMs, sent] = await traced(replay, () =>
      call(agent, 'batches.send', {
        ...filters,
        format: 'csv',
        fileName: `bench-batch-${spec.size}.csv`,
      }),
    );
    if (!sent.batch) throw new Error(`the batch was not sent: ${JSON.stringify(sent.outcome)}`);
    const placed = sent.batch.accountCount;
    if (placed !== preview.count) throw new Error(`previewed ${preview.count}, sent ${placed}`);
    const sendBare = await replayed(replay, db);
    const note = `${placed.toLocaleString('en-US')} accounts (the rest of the ${wanted.toLocaleString('en-US')} marked are held or below the minimum); once; ${replay ? "baseline: the statements SQLite ran for it (traced, values included; the trace is on during the call) run again on a copy made before the preview, its cache warmed by the preview's statements, straight from the driver; no file" : 'no bare baseline on PostgreSQL (test/bench/batch-replay.ts says why)'}`;
    add({
      work: 'collection batch: send',
      rows: placed,
      p50_ms: sendMs,
      p95_ms: sendMs,
      baseline_p50_ms: sendBare,
      baseline_p95_ms: sendBare,
      samples: 1,
      note,
    });
    const batchId = sent.batch.id;
    const [recallMs] = await traced(replay, () =>
      call(agent, 'batches.recall', { batchId, reason: 'Benchmark recall' }),
    );
    const recallBare = await replayed(replay, db);
    add({
      work: 'collection batch: recall',
      rows: placed,
      p50_ms: recallMs,
      p95_ms: recallMs,
      baseline_p50_ms: recallBare,
      baseline_p95_ms: recallBare,
      samples: 1,
      note,
    });
  } finally {
    await replay?.remove();
  }
}

/** The call's time and answer, its statements traced when there is a copy to replay them on. */
function traced<T>(replay: BatchReplay | null, fn: () => Promise<T>): Promise<[number, T]> {
  return replay ? replay.trace(() => time(fn)) : time(fn);
}

/**
 * The traced statements' time on the copy, once the copy is seen to hold what the call left in
 * the database (its accounts' standings and versions, events and placements).
 */
async function replayed(replay: BatchReplay | null, db: Knex): Promise<number | null> {
  if (!replay) return null;
  const ms = await replay.replay();
  const state = `select (select json_group_array(json_array(standing, n, v)) from
      (select standing, count(*) as n, sum(version) as v from accounts group by standing
       order by standing)) as accounts,
    (select count(*) from standing_events) as events,
    (select count(*) from collection_placements where active) as placed`;
  const [real, copy] = [await db.raw(state), await replay.read(state)];
  if (JSON.stringify(real) !== JSON.stringify(copy)) {
    throw new Error(`the replay left ${JSON.stringify(copy)}, the call ${JSON.stringify(real)}`);
  }
  return ms;
}
