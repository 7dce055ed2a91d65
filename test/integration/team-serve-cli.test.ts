/**
 * `custodian serve` as an administrator runs it (server project only): the bundled CLI makes the
 * key and certificate with --init and prints the fingerprint, then serves a database as the
 * server role, never printing the database password, refuses an unenrolled workstation, and
 * stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';
import { TeamServerClient } from '../../main/remote/client';
import { bundleForTest } from '../support/bundle';
import { createPgTestDatabase, type PgTestDatabase } from '../support/backend';
import { SERVER_ROLE, TEST_CLIENT, asServerRole } from '../support/team-server';

const SECRET = 's3cret-db-password';
let work: string;
let bundle: string;
let db: PgTestDatabase;
let serverUrl: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-serve-test-'));
  bundle = await bundleForTest('main/cli/index.ts', 'cli-serve');
  db = await createPgTestDatabase({ migrated: true });
  const role = await asServerRole(db.config);
  const c = role.connection as { host: string; port: number; database: string };
  // The test cluster trusts local connections: the password is there to be kept secret.
  serverUrl = `postgres://${SERVER_ROLE}:${SECRET}@${c.host}:${c.port}/${c.database}?sslmode=disable`;
});

afterAll(async () => {
  if (bundle) fs.rmSync(bundle, { force: true });
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await db?.drop();
});

function start(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bundle, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work, CUSTODIAN_SERVER_DIR: 'srv', ...env },
  });
}

function finish(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { out: () => stdout, err: () => stderr, done };
}

it('makes its certificate, serves as the server role without printing the password, and stops', async () => {
  const init = finish(start(['serve', '--init'], {}));
  expect(await init.done).toBe(0);
  const fingerprint = /([0-9A-F]{2}(:[0-9A-F]{2}){31})/.exec(init.out())?.[1];
  expect(fingerprint).toBeDefined();
  expect(fs.statSync(path.join(work, 'srv', 'server-key.pem')).mode & 0o777).toBe(0o600);

  const child = start(['serve'], { CUSTODIAN_DATABASE_URL: serverUrl, CUSTODIAN_SERVER_PORT: '0' });
  const run = finish(child);
  const deadline = Date.now() + 30_000;
  while (!/on https:\/\/\S+/.test(run.out()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /on (https:\/\/[^\s]+)/.exec(run.out())?.[1];
  expect(url, run.err()).toBeDefined();
  expect(run.out()).toContain(fingerprint!);

  const client = new TeamServerClient({
    url: url!,
    fingerprint: fingerprint!,
    client: TEST_CLIENT,
  });
  const r = await client.invoke(client.openSession(), 'app.status', {});
  expect(r.ok ? null : r.error.code).toBe('NOT_ENROLLED');
  await client.close();

  // The operator issues the first workstation's code from the command line.
  const issued = finish(
    start(['enrolment-code', '--label', 'Front desk 1'], { CUSTODIAN_DATABASE_URL: serverUrl }),
  );
  expect(await issued.done, issued.err()).toBe(0);
  const code = /\n {2}(\S+)\n$/.exec(issued.out())?.[1];
  expect(code, issued.out()).toBeDefined();
  expect(issued.out() + issued.err()).not.toContain(SECRET);
  const stranger = new TeamServerClient({
    url: url!,
    fingerprint: fingerprint!,
    client: TEST_CLIENT,
  });
  const enrolled = await stranger.enrol(code!, 'Front desk 1', 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const desk = new TeamServerClient({
    url: url!,
    fingerprint: fingerprint!,
    client: TEST_CLIENT,
    clientAuth: enrolled.value,
  });
  expect(await desk.invoke(desk.openSession(), 'app.status', {})).toMatchObject({ ok: true });
  await desk.close();

  child.kill('SIGTERM');
  expect(await run.done).toBe(0);
  expect(run.out() + run.err()).not.toContain(SECRET);
});

it('refuses to serve without a certificate, or on SQLite, saying what to do', async () => {
  const noCert = finish(
    start(['serve'], { CUSTODIAN_DATABASE_URL: serverUrl, CUSTODIAN_SERVER_DIR: 'empty' }),
  );
  expect(await noCert.done).not.toBe(0);
  expect(noCert.err()).toMatch(/serve --init/);
  expect(noCert.err()).not.toContain(SECRET);
  const sqlite = finish(start(['serve'], {}));
  expect(await sqlite.done).toBe(2);
  expect(sqlite.err()).toMatch(/CUSTODIAN_DATABASE_URL/);
});
