/**
 * `custodian migrate-data`: a whole SQLite database moved to an empty PostgreSQL database, ids,
 * provenance, the disclosure log and its chain intact; an occupied target, a password on the
 * command line and a broken source chain refused. PostgreSQL only (it needs both engines).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBackend, signingKeySealer, type Backend } from '../../main/backend';
import { run } from '../../main/cli/run';
import type { Io } from '../../main/cli/terminal';
import { connect } from '../../main/db/connect';
import { migrateToLatest } from '../../main/db/migrations';
import { importAccounts } from '../../main/services/import/service';
import { seedAccounts } from '../../main/services/seed';
import { createKeys } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import { silentLogger } from '../../main/log';
import { loadSigningKey } from '../../main/services/audit/checkpoint';
import type { Channel, Input, Output } from '../../shared/contract';
import type { Session } from '../../main/services/session';
import {
  ADMIN,
  createPgTestDatabase,
  describePgOnly,
  type PgTestDatabase,
} from '../support/backend';
import { STAFF_PASSWORD } from '../support/staff';

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** The source file's recovery key, piped for --key-stdin. */
let recoveryKey = '';

async function cli(args: string[], env: Record<string, string> = {}, cwd = os.tmpdir()) {
  const stdin = new PassThrough();
  const keyed = args[0] === 'migrate-data';
  stdin.end(keyed ? `${recoveryKey}\n` : '');
  if (keyed) args = [args[0]!, '--key-stdin', ...args.slice(1)];
  const stdout = new Collect();
  const stderr = new Collect();
  const io: Io = { stdin, stdout, stderr, env: { PATH: process.env.PATH ?? '', ...env }, cwd };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Every row of every table, ordered, with values in one shape (pg gives booleans and bigints). */
async function snapshot(db: Knex, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await db(table).select('*')) as Record<string, unknown>[];
    const normal = rows
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => {
              const v = r[k];
              if (v === null || v === undefined) return [k, null];
              if (typeof v === 'boolean') return [k, v ? '1' : '0'];
              if (v instanceof Date) return [k, v.toISOString()];
              return [k, String(v)];
            }),
        ),
      )
      .sort();
    out[table] = createHash('sha256').update(normal.join('\n')).digest('hex');
  }
  return out;
}

describePgOnly('custodian migrate-data', () => {
  let dir: string;
  let sourceFile: string;
  let sourceKey: Buffer;
  let accountId: string;
  const cleanup: (() => Promise<void>)[] = [];

  async function call<C extends Channel>(b: Backend, s: Session, channel: C, input: Input<C>) {
    const r = await b.invoke(s, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as Output<C>;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-migrate-data-'));
    sourceFile = path.join(dir, 'custodian.sqlite');
    const keys = await createKeys(keyFileFor(sourceFile));
    recoveryKey = keys.recoveryKey;
    sourceKey = keys.dataKey;
    const backend = await openBackend({
      database: { client: 'sqlite', filename: sourceFile, key: keys.dataKey },
      logger: silentLogger,
      exportDir: path.join(dir, 'exports'),
      keyDir: dir,
    });
    try {
      const db = backend.services.db;
      // More accounts than one copy batch, and an import (with its imports row).
      await seedAccounts(db, { count: 6200, seed: 5, batchSize: 2500 });
      const csv = path.join(dir, 'accounts.csv');
      fs.writeFileSync(
        csv,
        'firstName,lastName,email,country,postalCode\nImre,Import,imre@example.com,DE,10115\nZoë,Ünal,zoe@example.org,GB,SW1A 1AA\n',
      );
      await importAccounts(db, csv);
      const admin = backend.openSession();
      await call(backend, admin, 'setup.createFirstAdmin', ADMIN);
      await backend.services.auth.createStaff({
        username: 'sam',
        displayName: 'Sam Support',
        role: 'support_agent',
        password: STAFF_PASSWORD,
        mustChangePassword: false,
      });
      const s = backend.openSession();
      await call(backend, s, 'auth.login', { username: 'sam', password: STAFF_PASSWORD });
      const page = await call(backend, s, 'accounts.list', { search: 'Imre' });
      accountId = page.rows[0]!.id;
      const detail = await call(backend, s, 'accounts.get', { id: accountId });
      await call(backend, s, 'accounts.update', {
        id: accountId,
        version: detail.version,
        changes: { supportNotes: 'Moved house.' },
        provenance: { source: 'phone', date: '2025-06-01' },
      });
      // Disclosure records (hash-chained) and access log rows to carry over.
      for (let i = 0; i < 3; i++) {
        await call(backend, s, 'exports.accounts', {
          search: 'Imre',
          fields: ['lastName', 'email'],
          format: 'csv',
          fileName: `export-${i}.csv`,
        });
      }
    } finally {
      await backend.close();
    }
  });

  afterAll(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function target(): Promise<PgTestDatabase> {
    const database = await createPgTestDatabase();
    cleanup.push(() => database.drop());
    return database;
  }

  it('copies every table with its ids into an empty database and verifies it there', async () => {
    const pgdb = await target();
    const r = await cli(['migrate-data', '--from', sourceFile], {
      CUSTODIAN_DATABASE_URL: pgdb.url,
    });
    expect(r.stderr).not.toMatch(/Unexpected error/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Copied [\d,]+ rows in \d+ tables/);
    expect(r.stdout).toMatch(/Disclosure log verified on the target: 6 records/);

    const source = connect({ client: 'sqlite', filename: sourceFile, key: sourceKey });
    const dest = connect(pgdb.config);
    try {
      const tables = (
        (await source.raw(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%'`,
        )) as { name: string }[]
      ).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['accounts', 'imports', 'disclosure_log']));
      // Same rows, same ids, same values, table by table; the change feed's numbers are
      // PostgreSQL's own after the copy (restampFeedAfterCopy), its accounts the same.
      const copied = tables.filter((name) => name !== 'sync_feed');
      expect(await snapshot(dest, copied)).toEqual(await snapshot(source, copied));
      const feedIds = async (db: typeof dest) =>
        (
          (await db('sync_feed').orderBy('account_id').select('account_id')) as {
            account_id: string;
          }[]
        ).map((r) => r.account_id);
      expect(await feedIds(dest)).toEqual(await feedIds(source));
      expect(await feedIds(dest)).toHaveLength(6202);
      const seqs = await dest('sync_feed').distinct('seq');
      expect(seqs).toHaveLength(1);
      expect(Number((await dest('accounts').count({ n: '*' }).first())?.n)).toBe(6202);
      const imported = await dest('accounts').whereNotNull('import_id').count({ n: '*' });
      expect(Number(imported[0]?.n)).toBe(2);
      // Every index is there as the migrations make it (plain ones are built after the copy).
      const fresh = await target();
      const reference = connect(fresh.config);
      try {
        await migrateToLatest(reference);
        const indexes = async (db: Knex) =>
          (
            (await db.raw(
              `select indexname, indexdef from pg_indexes where schemaname = current_schema() order by indexname`,
            )) as { rows: { indexname: string; indexdef: string }[] }
          ).rows;
        expect(await indexes(dest)).toEqual(await indexes(reference));
      } finally {
        await reference.destroy();
      }
      // Append-only tables keep refusing changes on the target.
      await expect(dest('disclosure_log').update({ staff_name: 'x' })).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await source.destroy();
      await dest.destroy();
    }

    // The embedded signing key is sealed by the SQLite file's data key; the team's copy of it is
    // kept by the team (migrate-data does not carry it over: see SECURITY.md).
    const teamKeys = path.join(dir, 'team-keys');
    fs.mkdirSync(teamKeys, { mode: 0o700 });
    const signing = loadSigningKey(
      dir,
      signingKeySealer({ client: 'sqlite', filename: sourceFile, key: sourceKey }),
    );
    fs.writeFileSync(
      path.join(teamKeys, 'audit-checkpoint-key.pem'),
      signing.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    );
    // The moved database works as a team database: sign in, find, verify the log.
    const backend = await openBackend({
      database: pgdb.config,
      logger: silentLogger,
      exportDir: path.join(dir, 'exports-pg'),
      keyDir: teamKeys,
    });
    try {
      const s = backend.openSession();
      await call(backend, s, 'auth.login', { username: 'sam', password: STAFF_PASSWORD });
      const found = await call(backend, s, 'accounts.list', { search: 'zoe@example.org' });
      expect(found.rows.map((row) => row.fields.lastName)).toEqual(['Ünal']);
      const byName = await call(backend, s, 'accounts.list', { search: 'unal zo' });
      expect(byName.rows.map((row) => row.fields.firstName)).toEqual(['Zoë']);
      const detail = await call(backend, s, 'accounts.get', { id: accountId });
      expect(detail.fields.supportNotes).toBe('Moved house.');
      const admin = backend.openSession();
      await call(backend, admin, 'auth.login', {
        username: ADMIN.username,
        password: ADMIN.password,
      });
      const verified = await call(backend, admin, 'disclosures.verify', {});
      expect(verified.ok).toBe(true);
      // A new account continues the counter instead of reusing a number, and its key the
      // copied keys (without continueIdentities it would take key 1 and be refused).
      const created = await call(backend, s, 'accounts.create', {
        fields: { firstName: 'New', lastName: 'After' },
        provenance: { source: 'phone', date: '2025-06-01' },
      });
      expect(created.fields.accountNumber).toBe('C-1006203');
    } finally {
      await backend.close();
    }
  });

  it('refuses a target that already holds data, and changes nothing there', async () => {
    const pgdb = await target();
    const env = { CUSTODIAN_DATABASE_URL: pgdb.url };
    expect((await cli(['migrate-data', '--from', sourceFile], env)).code).toBe(0);
    const again = await cli(['migrate-data', '--from', sourceFile], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds data');
    const dest = connect(pgdb.config);
    try {
      expect(Number((await dest('accounts').count({ n: '*' }).first())?.n)).toBe(6202);
    } finally {
      await dest.destroy();
    }
  });

  it('takes the target from --to, but never with a password in it, and never prints one', async () => {
    const pgdb = await target();
    const withPassword = pgdb.url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    const refused = await cli(['migrate-data', '--from', sourceFile, '--to', withPassword]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CUSTODIAN_DATABASE_URL');
    expect(refused.stderr + refused.stdout).not.toContain('s3cret-pw');

    const both = await cli(['migrate-data', '--from', sourceFile, '--to', pgdb.url], {
      CUSTODIAN_DATABASE_URL: pgdb.url,
    });
    expect(both.code).toBe(2);

    const r = await cli(['migrate-data', '--from', sourceFile, '--to', pgdb.url]);
    expect(r.code, r.stderr).toBe(0);

    // From the environment, with a password: it works and the password is not shown.
    const other = await target();
    const secretEnv = other.url.replace('postgres://postgres@', 'postgres://postgres:env-s3cret@');
    const fromEnv = await cli(['migrate-data', '--from', sourceFile], {
      CUSTODIAN_DATABASE_URL: secretEnv,
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain('env-s3cret');
    expect(fromEnv.stdout).toContain('***');
  });

  it('names the database that failed: the --to or environment URL, not the default file', async () => {
    // A port nothing listens on: the connection is refused.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `postgres://bob@127.0.0.1:${port}/team`;
    const viaTo = await cli(['migrate-data', '--from', sourceFile, '--to', url]);
    expect(viaTo.code).toBe(1);
    expect(viaTo.stderr).toContain(`Cannot reach the database server of ${url}: is it running?`);
    expect(viaTo.stderr).not.toContain('.sqlite');
    const viaEnv = await cli(['migrate-data', '--from', sourceFile], {
      CUSTODIAN_DATABASE_URL: url.replace('bob@', 'bob:pw-s3cret@'),
    });
    expect(viaEnv.stderr).toContain(`Cannot reach the database server of postgres://bob:***@`);
    expect(viaEnv.stderr).not.toContain('pw-s3cret');
  });

  it('refuses a source whose disclosure log does not verify, copying nothing', async () => {
    const broken = path.join(dir, 'broken.sqlite');
    fs.copyFileSync(sourceFile, broken);
    fs.copyFileSync(keyFileFor(sourceFile), keyFileFor(broken));
    const db = connect({ client: 'sqlite', filename: broken, key: sourceKey });
    try {
      await db.raw('DROP TRIGGER disclosure_log_no_update');
      await db('disclosure_log').where({ seq: 2 }).update({ row_count: 999 });
    } finally {
      await db.destroy();
    }
    const pgdb = await target();
    const r = await cli(['migrate-data', '--from', broken], { CUSTODIAN_DATABASE_URL: pgdb.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("source's disclosure log does not verify");
    const dest = connect(pgdb.config);
    try {
      expect(Number((await dest('accounts').count({ n: '*' }).first())?.n)).toBe(0);
    } finally {
      await dest.destroy();
    }
  });

  it('says what is missing on the command line', async () => {
    expect((await cli(['migrate-data'])).stderr).toContain('--from FILE is required');
    const noTarget = await cli(['migrate-data', '--from', sourceFile]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--to URL or in CUSTODIAN_DATABASE_URL');
    const missing = await cli(['migrate-data', '--from', path.join(dir, 'nope.sqlite')], {
      CUSTODIAN_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x?sslmode=disable',
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no database at');
  });
});
