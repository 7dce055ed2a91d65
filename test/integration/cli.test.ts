/**
 * The admin command line: the real bundled CLI in a child process for exit codes and output, and
 * run() in process for the many refusals. The seeder's data is checked against the shared rules.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { bundleForTest } from '../support/bundle';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { describeFailure } from '../../main/cli/errors';
import { run } from '../../main/cli/run';
import { promptHidden, readFirstLine, type Io } from '../../main/cli/terminal';
import { connect, type DatabaseConfig } from '../../main/db/connect';
import { migrationSource, pendingMigrations } from '../../main/db/migrations';
import { createKeys } from '../../main/keys/data-key';
import { keyFileFor } from '../../main/keys/key-file';
import { silentLogger } from '../../main/log';
import {
  rowToValues,
  valuesToColumns,
  type AccountRecord,
} from '../../main/db/stores/accounts/account-row';
import {
  SEED_SOURCES,
  createAccountFaker,
  fakeAccount,
  seedAccounts,
} from '../../main/services/seed';
import { FIELDS, FIELD_KEYS, PAYMENT_BRANDS } from '../../shared/catalogue';
import { containsCardNumber, phoneDigits, postalCodeProblem } from '../../shared/rules';
import { fieldValueSchema } from '../../shared/schemas';
import {
  ADMIN,
  createPgTestDatabase,
  engine,
  itSqliteOnly,
  openTestBackend,
  type TestBackend,
} from '../support/backend';

const PASSWORD = 'correct horse battery staple';
const MIGRATIONS = await migrationSource.getMigrations([]);

let work: string;
let bundle: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-test-'));
  bundle = await bundleForTest('main/cli/index.ts', 'cli', { banner: '#!/usr/bin/env node' });
});

afterAll(() => {
  if (bundle) fs.rmSync(bundle, { force: true });
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** A database for one test: an SQLite file path not yet created, or a new empty pg database. */
interface Target {
  args: string[];
  env: Record<string, string>;
  config: DatabaseConfig;
  filename?: string;
  drop(): Promise<void>;
}

const targets: Target[] = [];
const backends: Backend[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const t of targets.splice(0)) await t.drop();
});

async function freshTarget(): Promise<Target> {
  let target: Target;
  if (engine === 'sqlite') {
    const filename = path.join(work, randomBytes(4).toString('hex'), 'data', 'custodian.sqlite');
    // Its key file made first, so that every command opens it with its recovery key on stdin.
    const keys = await createKeys(keyFileFor(filename));
    recoveryKeys.set(filename, keys.recoveryKey);
    target = {
      args: ['--database', filename, '--key-stdin'],
      env: {},
      config: { client: 'sqlite', filename, key: keys.dataKey },
      filename,
      drop: async () =>
        fs.rmSync(path.dirname(path.dirname(filename)), { recursive: true, force: true }),
    };
  } else {
    const db = await createPgTestDatabase();
    target = {
      args: [],
      env: { CUSTODIAN_DATABASE_URL: db.url },
      config: db.config,
      drop: () => db.drop(),
    };
  }
  targets.push(target);
  return target;
}

/** An environment that cannot reach the real user-data folder or a team database by accident. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = path.join(work, 'home');
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    APPDATA: path.join(home, 'AppData'),
    ...extra,
  };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The recovery key of each SQLite target's database, by file. */
const recoveryKeys = new Map<string, string>();

/** With --key-stdin the database's recovery key goes first on standard input. */
function withKeyLine(args: string[], input = ''): string {
  if (!args.includes('--key-stdin')) return input;
  const file = args[args.indexOf('--database') + 1];
  const key = file === undefined ? undefined : recoveryKeys.get(file);
  return key === undefined ? input : `${key}\n${input}`;
}

/** Runs the bundled CLI as a child process (stdin is a pipe, so never a terminal). */
function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<Outcome>((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd: work,
      env: baseEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(withKeyLine(args, opts.input));
  });
}

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Runs the CLI's run() in this process, with piped (non-terminal) standard streams. */
async function runHere(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<Outcome> {
  const stdin = new PassThrough();
  stdin.end(withKeyLine(args, opts.input));
  const stdout = new Collect();
  const stderr = new Collect();
  const io: Io = { stdin, stdout, stderr, env: baseEnv(opts.env), cwd: work };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function openOn(target: Target): Promise<Backend> {
  const backend = await openBackend({
    database: target.config,
    logger: silentLogger,
    exportDir: path.join(work, 'exports'),
    keyDir: path.join(work, 'keys'),
  });
  backends.push(backend);
  return backend;
}

async function withKnex<T>(target: Target, fn: (db: Knex) => Promise<T>): Promise<T> {
  const db = connect(target.config);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function initialised(): Promise<Target> {
  const target = await freshTarget();
  const r = await runHere(['init', ...target.args], { env: target.env });
  expect(r.code, r.stderr).toBe(0);
  return target;
}

describe('custodian init and migrate', () => {
  it('creates the database, applies every migration and says a first administrator is needed', async () => {
    const target = await freshTarget();
    const r = await cli(['init', ...target.args], { env: target.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Applied migrations: ${MIGRATIONS.join(', ')}`);
    expect(r.stdout).toContain('No administrator yet');
    expect(r.stdout).toContain('custodian create-admin');
    if (target.filename) {
      expect(r.stdout).toContain(`Created database: ${target.filename}`);
      expect(fs.statSync(target.filename).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(target.filename)).mode & 0o777).toBe(0o700);
    }
    await withKnex(target, async (db) => {
      expect(await pendingMigrations(db)).toEqual([]);
      const names = (await db('knex_migrations').orderBy('name').pluck('name')) as string[];
      expect(names).toEqual(MIGRATIONS);
      expect(await db.schema.hasTable('accounts')).toBe(true);
    });
  });

  it('is idempotent: init and migrate again change nothing', async () => {
    const target = await initialised();
    const again = await runHere(['init', ...target.args], { env: target.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Schema: up to date');
    const migrate = await cli(['migrate', ...target.args], { env: target.env });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/is up to date/);
    await withKnex(target, async (db) => {
      expect(Number((await db('knex_migrations').count({ n: '*' }).first())?.n)).toBe(
        MIGRATIONS.length,
      );
    });
  });

  itSqliteOnly(
    'migrate and create-admin refuse a missing file instead of creating one',
    async () => {
      const target = await freshTarget();
      const r = await runHere(['migrate', ...target.args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`There is no database at ${target.filename}`);
      expect(r.stderr).toContain('custodian init --database');
      expect(fs.existsSync(target.filename!)).toBe(false);
    },
  );

  itSqliteOnly(
    'init encrypts a new database and shows its recovery key once; later commands need it',
    async () => {
      const dir = path.join(work, randomBytes(4).toString('hex'));
      const filename = path.join(dir, 'custodian.sqlite');
      targets.push({
        args: [],
        env: {},
        config: { client: 'sqlite', filename, key: null },
        drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
      });
      const r = await cli(['init', '--database', filename]);
      expect(r.code, r.stderr).toBe(0);
      const shown = /^ {2}((?:[0-9a-f]{8}-){7}[0-9a-f]{8})$/m.exec(r.stdout)?.[1];
      expect(shown, r.stdout).toBeDefined();
      expect(fs.readFileSync(filename).subarray(0, 6).toString('latin1')).not.toBe('SQLite');
      // Nowhere in clear: not in the key file, not in the database.
      expect(fs.readFileSync(keyFileFor(filename), 'utf8')).not.toContain(shown!.slice(0, 8));

      const again = await cli(['init', '--database', filename]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('--key-stdin');
      expect(again.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{8}/);

      const wrong = await cli(['migrate', '--database', filename, '--key-stdin'], {
        input: `${shown!.replace(/^./, (c) => (c === 'f' ? '0' : 'f'))}\n`,
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('The recovery key does not open this database');
      const passphrase = await cli(['migrate', '--database', filename, '--key-stdin'], {
        input: 'some passphrase\n',
      });
      expect(passphrase.stderr).toContain('This database has no passphrase');

      const right = await cli(['migrate', '--database', filename, '--key-stdin'], {
        input: `${shown!.toUpperCase()}\n`,
      });
      expect(right.code, right.stderr).toBe(0);
      expect(right.stdout).toMatch(/is up to date/);
    },
  );

  it('refuses a database that a newer Custodian migrated', async () => {
    const target = await initialised();
    await withKnex(target, (db) =>
      db('knex_migrations').insert({ name: '9999_future', batch: 99, migration_time: new Date() }),
    );
    const r = await runHere(['migrate', ...target.args], { env: target.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('newer version of Custodian');
    expect(r.stderr).toContain('9999_future');
  });
});

describe('custodian create-admin', () => {
  it('creates an administrator from --password-stdin who can then sign in', async () => {
    const target = await initialised();
    const r = await cli(
      [
        'create-admin',
        ...target.args,
        '--username',
        'Ada',
        '--name',
        'Ada Admin',
        '--password-stdin',
      ],
      { env: target.env, input: `${PASSWORD}\nignored second line\n` },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created administrator 'ada' (Ada Admin), the first staff account");
    expect(r.stdout).not.toContain(PASSWORD);

    const backend = await openOn(target);
    const session = backend.openSession();
    const login = await backend.invoke(session, 'auth.login', {
      username: 'ada',
      password: PASSWORD,
    });
    expect(login.ok).toBe(true);
    expect(login.ok && (login.value as { user: { role: string } }).user.role).toBe('administrator');
    const wrong = await backend.invoke(backend.openSession(), 'auth.login', {
      username: 'ada',
      password: 'ignored second line',
    });
    expect(wrong.ok).toBe(false);
    const events = await backend.services.db('staff_events').select('event', 'actor_id');
    expect(events).toEqual([{ event: 'created', actor_id: null }]);
    const hash = (await backend.services.db('staff').first('password_hash')) as {
      password_hash: string;
    };
    expect(hash.password_hash).not.toContain(PASSWORD);

    const status = await runHere(['init', ...target.args], { env: target.env });
    expect(status.stdout).toContain('No first administrator is needed');
  });

  it('never takes the password from argv', async () => {
    const target = await initialised();
    const secret = 'Sup3r secret argv password';
    const bundled = await cli(
      ['create-admin', ...target.args, '--username', 'ada', '--name', 'Ada', '--password', secret],
      { env: target.env, input: `${PASSWORD}\n` },
    );
    const here = await Promise.all(
      [[`--password=${secret}`], ['-p', secret], ['--pw', secret]].map((args) =>
        runHere(['create-admin', ...target.args, '--username', 'ada', '--name', 'Ada', ...args], {
          env: target.env,
          input: `${PASSWORD}\n`,
        }),
      ),
    );
    for (const r of [bundled, ...here]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('never takes a password on the command line');
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
    await withKnex(target, async (db) => {
      expect(Number((await db('staff').count({ n: '*' }).first())?.n)).toBe(0);
    });
  });

  it('refuses a taken username, a weak password, and a missing terminal', async () => {
    const target = await initialised();
    const create = (username: string, input: string, extra = ['--password-stdin']) =>
      runHere(
        ['create-admin', ...target.args, '--username', username, '--name', 'Someone', ...extra],
        {
          env: target.env,
          input,
        },
      );
    expect((await create('ada', `${PASSWORD}\n`)).code).toBe(0);

    const taken = await create('ADA', `${PASSWORD}\n`);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("The username 'ada' is taken");

    const weak = await create('bob', 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Password: At least 12 characters.');
    expect(weak.stderr).not.toContain('short');

    const empty = await create('bob', '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('No password on standard input');

    const badName = await create('b', `${PASSWORD}\n`);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('Username: 3 to 32 characters');

    const noTty = await create('bob', `${PASSWORD}\n`, []);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--password-stdin');

    const missing = await runHere(['create-admin', ...target.args, '--username', 'bob'], {
      env: target.env,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');

    await withKnex(target, async (db) => {
      expect(await db('staff').pluck('username')).toEqual(['ada']);
    });
  });
});

describe('custodian create-admin once an administrator exists', () => {
  it('creates the account inactive, waiting for a holder to approve it in the console (four eyes)', async () => {
    const target = await initialised();
    const create = (username: string) =>
      runHere(
        [
          'create-admin',
          ...target.args,
          '--username',
          username,
          '--name',
          `${username} admin`,
          '--password-stdin',
        ],
        { env: target.env, input: `${PASSWORD}\n` },
      );
    expect((await create('ada')).stdout).toContain('the first staff account');
    const second = await create('bob');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(
      "Created administrator 'bob' (bob admin), waiting for approval",
    );
    expect(second.stdout).toContain('approves the role grant under Approvals');

    const backend = await openOn(target);
    const bob = await backend.invoke(backend.openSession(), 'auth.login', {
      username: 'bob',
      password: PASSWORD,
    });
    expect(bob.ok).toBe(false);
    const ada = backend.openSession();
    expect(
      (await backend.invoke(ada, 'auth.login', { username: 'ada', password: PASSWORD })).ok,
    ).toBe(true);
    const grants = await backend.invoke(ada, 'staff.grants', {});
    if (!grants.ok) throw new Error(grants.error.message);
    expect(grants.value).toMatchObject([
      {
        username: 'bob',
        role: 'administrator',
        requestedBy: 'the command line',
        cannotApprove: null,
      },
    ]);
    const approved = await backend.invoke(ada, 'staff.decideGrant', {
      id: (grants.value as { id: string }[])[0]!.id,
      decision: 'approved',
    });
    expect(approved.ok).toBe(true);
    const after = await backend.invoke(backend.openSession(), 'auth.login', {
      username: 'bob',
      password: PASSWORD,
    });
    expect(after.ok && (after.value as { user: { role: string } }).user.role).toBe('administrator');
  });
});

describe('command line errors', () => {
  it('exits 2 with a message for an unknown command (bundled CLI)', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Unknown command 'frobnicate'");
    expect(r.stderr).toContain('init, migrate, create-admin, seed');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for unknown options, stray arguments and malformed values', async () => {
    const cases: [string[], string][] = [
      [['seed', '--acounts', '5'], "Unknown option --acounts for 'seed'"],
      [['seed', '500'], "Unexpected argument for 'seed'"],
      [['seed', '--accounts', 'many'], '--accounts takes a whole number'],
      [['seed', '--accounts', '0'], '--accounts takes a whole number'],
      [['seed'], '--accounts is required'],
      [['init', '--database'], '--database needs a value'],
      [['init', '--help=yes'], '--help takes no value'],
      [[], 'No command given'],
    ];
    for (const [args, message] of cases) {
      const r = await runHere(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('--help');
    }
  });

  it('prints help and the version', async () => {
    const help = await runHere(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['init', 'migrate', 'create-admin', 'seed'])
      expect(help.stdout).toContain(name);
    const seedHelp = await runHere(['seed', '--help']);
    expect(seedHelp.code).toBe(0);
    expect(seedHelp.stdout).toContain('--accounts N');
    expect((await runHere(['help', 'create-admin'])).stdout).toContain('--password-stdin');
    expect((await runHere(['--version'])).stdout).toMatch(/^custodian \d+\.\d+\.\d+/);
  });

  it('reports database failures without SQL text or customer values', () => {
    // What knex throws: the statement and its bound values, then the driver's message.
    const err = Object.assign(
      new Error(
        "insert into `accounts` (`first_name`, `tax_id`) values ('Zoë', '123-45-6789') - SQLITE_CONSTRAINT: UNIQUE constraint failed: accounts.account_number",
      ),
      { code: 'SQLITE_CONSTRAINT_UNIQUE', errno: 19 },
    );
    const failure = describeFailure(err, '/data/custodian.sqlite');
    expect(failure.exitCode).toBe(1);
    expect(failure.message).not.toMatch(/insert|Zoë|6789|accounts\./);
    const pg = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      detail: 'Key (email)=(zoe@example.com) already exists.',
    });
    expect(describeFailure(pg, 'db').message).not.toContain('zoe@example.com');
    const odd = describeFailure(
      new TypeError("Cannot read properties of undefined (reading 'Zoë')"),
      'db',
    );
    expect(odd.message).toMatch(/^Unexpected error/);
    expect(odd.message).not.toContain('Zoë');
  });
});

describe('custodian seed', () => {
  it('seeds accounts in batches with plain progress lines, and refuses to mix unless --append', async () => {
    const target = await initialised();
    const r = await cli(['seed', ...target.args, '--accounts', '500', '--batch', '120'], {
      env: target.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Seeded 500 accounts (C-1000001 to C-1000500) with seed 1.');
    expect(r.stdout).toMatch(/accounts\/s/);
    // Not a terminal: a plain line per tenth instead of a bar.
    expect(r.stderr).toContain('120 of 500 accounts (24%)');
    expect(r.stderr).toContain('500 of 500 accounts (100%)');
    expect(r.stderr).not.toContain('\u001b[');

    const again = await runHere(['seed', ...target.args, '--accounts', '10'], { env: target.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds 500 accounts');
    const more = await runHere(['seed', ...target.args, '--accounts', '10', '--append'], {
      env: target.env,
    });
    expect(more.code).toBe(0);
    expect(more.stdout).toContain('(C-1000501 to C-1000510)');
    await withKnex(target, async (db) => {
      expect(Number((await db('accounts').count({ n: '*' }).first())?.n)).toBe(510);
    });
  });
});

describe('seedAccounts', () => {
  let t: TestBackend | undefined;
  let u: TestBackend | undefined;
  afterEach(async () => {
    await t?.close();
    await u?.close();
    t = u = undefined;
  });

  /** The customer data of every account, in account number order, without ids and times. */
  async function customerRows(db: Knex): Promise<Record<string, unknown>[]> {
    const rows = (await db('accounts').orderBy('account_number')) as Record<string, unknown>[];
    return rows.map(({ id: _id, created_at: _c, updated_at: _u, ...rest }) => ({
      ...rest,
      balance_cents: Number(rest.balance_cents),
    }));
  }

  const digest = (rows: unknown) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');

  it('gives the same customers for the same seed, whatever the batch size', async () => {
    t = await openTestBackend();
    u = await openTestBackend();
    await seedAccounts(t.backend.services.db, { count: 300, seed: 42, batchSize: 1000 });
    await seedAccounts(u.backend.services.db, { count: 300, seed: 42, batchSize: 7 });
    const a = await customerRows(t.backend.services.db);
    const b = await customerRows(u.backend.services.db);
    expect(a).toHaveLength(300);
    expect(digest(a)).toBe(digest(b));
    expect(a.slice(0, 3)).toEqual(b.slice(0, 3));

    const af1 = createAccountFaker(43);
    const af2 = createAccountFaker(43);
    const first = Array.from({ length: 50 }, () => fakeAccount(af1));
    expect(Array.from({ length: 50 }, () => fakeAccount(af2))).toEqual(first);
    const other = createAccountFaker(42);
    expect(digest(Array.from({ length: 50 }, () => fakeAccount(other)))).not.toBe(digest(first));
  });

  it('writes accounts that pass every shared field rule, with their provenance records', async () => {
    t = await openTestBackend();
    const db = t.backend.services.db;
    const result = await seedAccounts(db, { count: 500, seed: 7, batchSize: 200 });
    expect(result).toMatchObject({
      count: 500,
      firstAccountNumber: 'C-1000001',
      lastAccountNumber: 'C-1000500',
    });
    const rows = (await db('accounts').orderBy('account_number')) as AccountRecord[];
    expect(rows).toHaveLength(500);
    const today = new Date().toISOString().slice(0, 10);
    const schemas = FIELDS.map((field) => [field, fieldValueSchema(field)] as const);
    const problems: string[] = [];
    for (const row of rows) {
      const v = rowToValues(row);
      for (const [field, schema] of schemas) {
        const parsed = schema.safeParse(v[field.key]);
        if (!parsed.success) problems.push(`${field.key}: ${parsed.error.issues[0]?.message}`);
        // Already in the form the schema normalises to (trimmed, lower-case email, ...).
        else if (parsed.data !== v[field.key]) problems.push(`${field.key} not normalised`);
      }
      if (v.postalCode !== null) {
        const problem = postalCodeProblem(String(v.postalCode), v.country as string);
        if (problem) problems.push(problem);
      }
      expect(['US', 'GB', 'CA', 'DE']).toContain(v.country);
      expect(v.currency).toBe({ US: 'USD', GB: 'GBP', CA: 'CAD', DE: 'EUR' }[v.country as string]);
      if (v.taxId !== null) expect(containsCardNumber(String(v.taxId))).toBe(false);
      if (v.phone !== null) {
        const n = phoneDigits(String(v.phone)).length;
        expect(n).toBeGreaterThanOrEqual(7);
        expect(n).toBeLessThanOrEqual(15);
      }
      expect(Number.isInteger(v.balanceCents)).toBe(true);
      expect(v.balanceCents as number).toBeGreaterThanOrEqual(0);
      if (v.standing === 'past_due' || v.standing === 'bad_standing') {
        expect(v.balanceCents as number).toBeGreaterThan(0);
      }
      expect(v.paymentBrand === null).toBe(v.paymentLast4 === null);
      if (v.fraudFlag === 'none') expect(v.fraudNotes).toBeNull();
      expect(SEED_SOURCES).toContain(v.provenanceSource);
      expect(String(v.provenanceDate) <= today).toBe(true);
      if (v.dateOfBirth !== null) {
        expect(String(v.dateOfBirth) >= '1940-01-01').toBe(true);
        expect(String(v.dateOfBirth) <= '2006-12-31').toBe(true);
        expect(String(v.provenanceDate) > String(v.dateOfBirth)).toBe(true);
      }
      if (v.lastPaymentDate !== null) {
        expect(String(v.lastPaymentDate) >= String(v.provenanceDate)).toBe(true);
      }
      // The search keys are the ones the accounts service would write.
      const keys = valuesToColumns(v, v);
      for (const k of ['name_key', 'first_key', 'email_key', 'phone_digits', 'phone_digits_rev']) {
        expect(row[k]).toEqual(keys[k]);
      }
      expect(row.updated_by).toBeNull();
      expect(Number(row.version)).toBe(1);
    }
    expect(problems).toEqual([]);

    const provenance = (await db('account_provenance')) as Record<string, unknown>[];
    expect(provenance).toHaveLength(500);
    const byAccount = new Map(provenance.map((p) => [p.account_id, p]));
    for (const row of rows) {
      const p = byAccount.get(row.id);
      expect(p).toMatchObject({
        event: 'created',
        staff_id: null,
        source: row.provenance_source,
        source_date: row.provenance_date,
      });
      const fields = JSON.parse(String(p!.fields)) as string[];
      expect(fields).toEqual(expect.arrayContaining(['firstName', 'lastName', 'country']));
      for (const f of fields) expect(FIELD_KEYS).toContain(f);
      expect(fields).not.toContain('accountNumber');
    }
  });

  it('takes account numbers from the counter the console uses', async () => {
    t = await openTestBackend();
    const s = t.backend.openSession();
    await t.call(s, 'setup.createFirstAdmin', ADMIN);
    const create = (lastName: string) =>
      t!.call(s, 'accounts.create', {
        fields: { firstName: 'Test', lastName, country: 'US', postalCode: '94105' },
        provenance: { source: 'phone', date: '2026-11-20' },
      });
    expect((await create('Before')).fields.accountNumber).toBe('C-1000001');
    const result = await seedAccounts(t.backend.services.db, { count: 250, batchSize: 100 });
    expect(result.firstAccountNumber).toBe('C-1000002');
    expect(result.lastAccountNumber).toBe('C-1000251');
    expect((await create('After')).fields.accountNumber).toBe('C-1000252');
    const numbers = (await t.backend.services.db('accounts').pluck('account_number')) as string[];
    expect(new Set(numbers).size).toBe(252);
    expect(numbers.every((n) => /^C-\d{7}$/.test(n))).toBe(true);
  });

  it('has a realistic mix of countries, standings, fraud flags and payment methods', () => {
    const af = createAccountFaker(1);
    const accounts = Array.from({ length: 3000 }, () => fakeAccount(af));
    const share = (pred: (a: (typeof accounts)[number]) => boolean) =>
      accounts.filter(pred).length / accounts.length;
    expect(share((a) => a.standing === 'good')).toBeGreaterThan(0.8);
    expect(share((a) => a.standing === 'past_due')).toBeGreaterThan(0.03);
    expect(share((a) => a.standing === 'bad_standing')).toBeGreaterThan(0.01);
    expect(share((a) => a.fraudFlag === 'none')).toBeGreaterThan(0.95);
    expect(share((a) => a.fraudFlag !== 'none')).toBeGreaterThan(0);
    expect(share((a) => a.paymentBrand === null)).toBeGreaterThan(0.1);
    for (const country of ['US', 'GB', 'CA', 'DE']) {
      expect(share((a) => a.country === country)).toBeGreaterThan(0.1);
    }
    for (const a of accounts) {
      if (a.paymentBrand !== null) expect(PAYMENT_BRANDS).toContain(a.paymentBrand);
    }
    // Names with diacritics exercise the search keys.
    expect(accounts.some((a) => /[^\x20-\x7e]/.test(String(a.lastName)))).toBe(true);
  });
});

describe('terminal input', () => {
  /** A fake terminal: raw mode is recorded, keys are pushed as the user would type them. */
  function fakeTty() {
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      isRaw: false,
      modes: [] as boolean[],
      setRawMode(mode: boolean) {
        input.isRaw = mode;
        input.modes.push(mode);
        return input;
      },
    });
    return input;
  }

  it('reads a password without echo, with backspace and Ctrl-U, and restores the terminal', async () => {
    const input = fakeTty();
    const output = new Collect();
    const answer = promptHidden('Password: ', input, output);
    input.write('wrong');
    input.write('\u0015'); // Ctrl-U clears
    input.write('secreX\u007fT');
    input.write('\u001b[A'); // an arrow key is ignored
    input.write(' phrase\r');
    expect(await answer).toBe('secreT phrase');
    expect(output.text).toBe('Password: \n');
    expect(input.modes).toEqual([true, false]);
  });

  it('stops at Ctrl-C with exit code 130', async () => {
    const input = fakeTty();
    const answer = promptHidden('Password: ', input, new Collect());
    input.write('abc\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: 130 });
    expect(input.isRaw).toBe(false);
  });

  it('reads only the first line of piped input', async () => {
    const input = new PassThrough();
    const line = readFirstLine(input);
    input.write('pass word\r');
    input.write('\nsecond line\n');
    expect(await line).toBe('pass word');
    const empty = new PassThrough();
    const none = readFirstLine(empty);
    empty.end();
    expect(await none).toBeNull();
    const noNewline = new PassThrough();
    const last = readFirstLine(noNewline);
    noNewline.end('only line');
    expect(await last).toBe('only line');
  });
});
