/**
 * Faults between a workstation and the team server (issue 15), only in the "server" project: the
 * server killed with SIGKILL mid-edit, mid-import and mid-export (a server in a process of its
 * own, test/support/team-server-child.ts), the network cut mid-stream (a proxy on 127.0.0.1 that
 * drops the connection), a wrong fingerprint and an expired certificate. Each gives the user a
 * clear message, loses no acknowledged write and leaves no file without its record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import type { RemoteOptions, TeamServerClient } from '../../main/remote/client';
import { makeServerIdentity } from '../../main/server/identity';
import { startTeamServer } from '../../main/server/serve';
import { COLLECTION_FIELDS } from '../../shared/disclosure';
import type { AccountDetail, DisclosureRecordView } from '../../shared/types';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { bundleForTest } from '../support/bundle';
import {
  FaultWorkstation,
  LOST,
  ServerProcess,
  cuttingProxy,
  exportInput,
  messageOf,
  sha256File,
} from '../support/team-fault-tools';
import { fixtureWriter } from '../support/fixtures';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';
import { TEST_LIMITS, asServerRole, teamServerOf } from '../support/team-server';
import { enrolWorkstation } from '../support/team-workstation';

let t: TestBackend;
let inner: Backend;
let childBundle: string;
/** A debt-collection disclosure a collections agent may make at once: to an agency, bad standing. */
let disclosure: { recipientId: string; accountId: string };
/** The workstation's export folder (the servers have folders of their own). */
const workstationDir = () => path.join(t.dir, 'workstation');

beforeAll(async () => {
  t = await openTestBackend();
  inner = teamServerOf(t.backend).inner;
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const { id: staffId } = (await inner.services.db('staff').first('id')) as { id: string };
  // Enough rows that an export is many TLS records long (a cut lands inside the file).
  const fx = fixtureWriter(t, staffId);
  for (let i = 0; i < 700; i++) {
    await fx.create({ firstName: `Faulty${i}`, lastName: 'Streamington'.repeat(6) });
  }
  const owing = await fx.create({
    lastName: 'Owing',
    standing: 'bad_standing',
    balanceCents: 4_200,
  });
  const officer = await signedInAs(t, 'compliance_officer', 'cora');
  const agency = await t.call(officer, 'recipients.create', {
    name: 'Springfield Recovery',
    type: 'collection_agency',
    contact: '1 Agency Street, Springfield',
  });
  await inner.services.auth.createStaff({
    username: 'colin',
    displayName: 'Colin Collections',
    role: 'collections_agent',
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
  disclosure = { recipientId: agency.id, accountId: owing.id };
  const creds = await enrolWorkstation(inner, teamServerOf(t.backend).server, 'team-faults test');
  ws = new FaultWorkstation(inner.services.db, creds, workstationDir());
  childBundle = await bundleForTest('test/support/team-server-child.ts', 'team-server-child');
});

afterAll(async () => {
  await t?.close();
});

let ws: FaultWorkstation;
const clientFor = (url: string, extra?: Partial<RemoteOptions>) => ws.client(url, extra);
const signIn = (c: TeamServerClient, username = ADMIN.username, password = ADMIN.password) =>
  ws.signIn(c, username, password);
const workstationFiles = () => ws.files();
const recordsOf = (fileName: string) => ws.recordsOf(fileName);
const followUpsOf = (seq: number) => ws.followUpsOf(seq);
const sha256 = sha256File;

describe('certificates', () => {
  it('a wrong fingerprint is refused before anything is sent, saying what to check', async () => {
    const other = makeServerIdentity({ names: ['127.0.0.1'], modulusLength: 2048 });
    const server = teamServerOf(t.backend).server;
    const sessionsBefore = await inner.services.db('server_sessions').count({ n: '*' }).first();
    const c = clientFor(server.url, { fingerprint: other.fingerprint });
    try {
      const message = messageOf(
        await c.invoke(c.openSession(), 'auth.login', {
          username: ADMIN.username,
          password: ADMIN.password,
        }),
      );
      expect(message).toContain(`not the ${other.fingerprint} this workstation was given`);
      expect(message).toContain('so nothing was sent');
      expect(message).toContain('Settings → Team server');
    } finally {
      await c.close();
    }
    const sessionsAfter = await inner.services.db('server_sessions').count({ n: '*' }).first();
    expect(Number(sessionsAfter!.n)).toBe(Number(sessionsBefore!.n));
  });

  it('an expired server certificate is refused, asking for a renewed one', async () => {
    const expired = makeServerIdentity({
      names: ['127.0.0.1'],
      modulusLength: 2048,
      days: -0.0005,
    });
    const server = await startTeamServer({
      backend: inner,
      host: '127.0.0.1',
      port: 0,
      identity: expired,
      log: silentLogger,
      limits: TEST_LIMITS,
      spoolDir: path.join(t.dir, 'expired-spool'),
    });
    const c = clientFor(server.url, { fingerprint: expired.fingerprint });
    try {
      const message = messageOf(
        await c.invoke(c.openSession(), 'auth.login', {
          username: ADMIN.username,
          password: ADMIN.password,
        }),
      );
      expect(message).toMatch(/presented an expired certificate/);
      expect(message).toMatch(/renew it and read out the new fingerprint/);
    } finally {
      await c.close();
      await server.close();
    }
  });
});

describe('the network cut mid-stream', () => {
  let proxy: Awaited<ReturnType<typeof cuttingProxy>>;
  beforeAll(async () => {
    proxy = await cuttingProxy(teamServerOf(t.backend).server.port);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('a file cut once is fetched again and placed whole, with its record’s SHA-256', async () => {
    const c = clientFor(proxy.url);
    try {
      const s = await signIn(c);
      // Every connection from now is cut 20 KB in; the file (tens of KB) is cut mid-stream.
      proxy.state.made = 0;
      proxy.state.cutAfter = 20_000;
      proxy.state.cuts = 1;
      const r = await c.invoke(s, 'exports.accounts', exportInput('cut-once.csv'));
      expect(proxy.state.made).toBe(1);
      expect(r.ok).toBe(true);
      const view = (r as { value: DisclosureRecordView }).value;
      const placed = path.join(workstationDir(), 'cut-once.csv');
      expect(fs.statSync(placed).size).toBeGreaterThan(40_000);
      expect(sha256(placed)).toBe(view.sha256);
      expect(workstationFiles().filter((f) => f.startsWith('.'))).toEqual([]);
    } finally {
      proxy.state.cuts = 0;
      await c.close();
    }
  });

  it('a file cut on every try: a clear message, no file here, the record kept, the server’s copy dropped', async () => {
    const c = clientFor(proxy.url);
    try {
      const s = await signIn(c);
      proxy.state.cutAfter = 20_000;
      proxy.state.cuts = 1_000;
      const message = messageOf(
        await c.invoke(s, 'exports.accounts', exportInput('cut-always.csv')),
      );
      proxy.state.cuts = 0;
      expect(message).toMatch(
        /wrote and recorded the file, but it did not reach this workstation: cut-always\.csv \(the connection failed/,
      );
      expect(message).toMatch(/Nothing was saved under its name here; its record stays in the log/);
      expect(workstationFiles().filter((f) => f.includes('cut-always'))).toEqual([]);
      const [record] = await recordsOf('cut-always.csv');
      expect(record?.kind).toBe('admitted');
      const delivery = (await inner.services
        .db('file_deliveries')
        .where('file_name', 'cut-always.csv')
        .first()) as { outcome: string | null; spool_path: string };
      expect(delivery.outcome).toBe('abandoned');
      expect(fs.existsSync(delivery.spool_path)).toBe(false);
    } finally {
      proxy.state.cuts = 0;
      await c.close();
    }
  });
});

describe('the server killed (SIGKILL)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    const database = await asServerRole(t.database as Extract<typeof t.database, { client: 'pg' }>);
    server = new ServerProcess(childBundle, database, t.dir);
  });
  const startChild = (fault?: string) => server.start(fault);
  const kill9 = () => server.kill9();
  const died = () => server.died();

  afterEach(async () => {
    await server.reset();
  });

  it('mid-edit: the user is told the change may not be saved; every acknowledged edit is kept', async () => {
    const url = await startChild();
    const c = clientFor(url);
    try {
      const s = await signIn(c);
      const created = await c.invoke(s, 'accounts.create', {
        fields: { firstName: 'Edith', lastName: 'Edits' },
        provenance: { source: 'phone', date: '2026-11-20' },
      });
      expect(created.ok).toBe(true);
      let detail = (created as { value: AccountDetail }).value;
      for (let i = 1; i <= 5; i++) {
        const r = await c.invoke(s, 'accounts.update', {
          id: detail.id,
          version: detail.version,
          changes: { lastName: `Acknowledged${i}` },
          provenance: { source: 'phone', date: '2026-11-20' },
        });
        expect(r.ok).toBe(true);
        detail = (r as { value: AccountDetail }).value;
      }
      const inFlight = c.invoke(s, 'accounts.update', {
        id: detail.id,
        version: detail.version,
        changes: { lastName: 'InFlight' },
        provenance: { source: 'phone', date: '2026-11-20' },
      });
      await new Promise((r) => setTimeout(r, 3));
      await kill9();
      const answer = await inFlight;
      if (!answer.ok) expect(answer.error.message).toMatch(LOST);
      const row = (await inner.services.db('accounts').where('id', detail.id).first('version')) as {
        version: number;
      };
      // Acknowledged: version 6 and Acknowledged5. The unanswered edit is there or not, whole.
      expect(Number(row.version)).toBeGreaterThanOrEqual(detail.version);
      expect(Number(row.version)).toBeLessThanOrEqual(detail.version + 1);

      // The session is in the database: the restarted server answers the same workstation.
      await startChild();
      const got = await c.invoke(s, 'accounts.get', { id: detail.id });
      expect(got.ok).toBe(true);
      const last = (got as { value: AccountDetail }).value.fields.lastName;
      expect(answer.ok ? ['InFlight'] : ['Acknowledged5', 'InFlight']).toContain(last);
    } finally {
      await c.close();
    }
  });

  it('mid-import: a clear message; the import is all there or not at all', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `Imp${i},Ported,imp${i}@example.com`);
    const csv = path.join(t.dir, 'big-import.csv');
    fs.writeFileSync(csv, `firstName,lastName,email\n${rows.join('\n')}\n`);
    const url = await startChild();
    const c = clientFor(url, { chooseImportFile: () => Promise.resolve(csv) });
    const before = Number((await inner.services.db('accounts').count({ n: '*' }).first())!.n);
    try {
      const s = await signIn(c);
      const chosen = await c.invoke(s, 'import.chooseFile', {});
      expect(chosen.ok).toBe(true);
      const { token } = (chosen as { value: { token: string } }).value;
      const checked = await c.invoke(s, 'import.check', { token });
      expect(checked.ok).toBe(true);
      const running = c.invoke(s, 'import.run', { token, accept: true });
      await new Promise((r) => setTimeout(r, 150));
      await kill9();
      const answer = await running;
      const after = Number((await inner.services.db('accounts').count({ n: '*' }).first())!.n);
      if (answer.ok) {
        expect(after).toBe(before + 4000);
      } else {
        expect(answer.error.message).toMatch(LOST);
        expect([before, before + 4000]).toContain(after);
      }
    } finally {
      await c.close();
    }
  });

  it('mid-export, after its record: no file on the workstation, the record abandoned at restart', async () => {
    const url = await startChild('after-record');
    const c = clientFor(url);
    try {
      const s = await signIn(c);
      const message = messageOf(await c.invoke(s, 'exports.accounts', exportInput('killed.csv')));
      expect(await died()).toBe('SIGKILL');
      expect(message).toMatch(LOST);
      expect(workstationFiles().filter((f) => f.includes('killed'))).toEqual([]);
      const [admitted] = await recordsOf('killed.csv');
      expect(admitted?.kind).toBe('admitted');
      expect(await followUpsOf(admitted!.seq)).toEqual([]);

      // The restarted server's start-up recovery resolves the record; nothing reaches the desk.
      await startChild();
      expect(await followUpsOf(admitted!.seq)).toEqual(['abandoned']);
      const again = await signIn(c);
      expect((await c.settlePendingFiles(again)).delivered).toEqual([]);
      expect(workstationFiles().filter((f) => f.includes('killed'))).toEqual([]);
      expect(await inner.services.db('file_deliveries').where('file_name', 'killed.csv')).toEqual(
        [],
      );
    } finally {
      await c.close();
    }
  });

  it('mid-disclosure (to a collection agency), after its record: abandoned at restart, no file', async () => {
    const url = await startChild('after-record');
    const c = clientFor(url);
    try {
      const s = await signIn(c, 'colin', STAFF_PASSWORD);
      const message = messageOf(
        await c.invoke(s, 'disclosures.request', {
          recipientId: disclosure.recipientId,
          purpose: 'debt_collection',
          accountIds: [disclosure.accountId],
          fields: [...COLLECTION_FIELDS],
          format: 'csv',
          fileName: 'agency.csv',
        }),
      );
      expect(await died()).toBe('SIGKILL');
      expect(message).toMatch(LOST);
      const [admitted] = await recordsOf('agency.csv');
      expect(admitted?.kind).toBe('admitted');
      await startChild();
      expect(await followUpsOf(admitted!.seq)).toEqual(['abandoned']);
      expect(workstationFiles().filter((f) => f.includes('agency'))).toEqual([]);

      // Made again on the running server, the disclosure reaches the desk with its record.
      const again = await c.invoke(s, 'disclosures.request', {
        recipientId: disclosure.recipientId,
        purpose: 'debt_collection',
        accountIds: [disclosure.accountId],
        fields: [...COLLECTION_FIELDS],
        format: 'csv',
        fileName: 'agency.csv',
      });
      expect(again.ok).toBe(true);
      const record = (again as { value: { record: DisclosureRecordView } }).value.record;
      expect(sha256(path.join(workstationDir(), 'agency.csv'))).toBe(record.sha256);
    } finally {
      await c.close();
    }
  });

  it('mid-export, before its record: nothing recorded, nothing placed', async () => {
    const url = await startChild('mid-rows');
    const c = clientFor(url);
    try {
      const s = await signIn(c);
      const message = messageOf(await c.invoke(s, 'exports.accounts', exportInput('midrows.csv')));
      expect(await died()).toBe('SIGKILL');
      expect(message).toMatch(LOST);
      expect(await recordsOf('midrows.csv')).toEqual([]);
      expect(workstationFiles().filter((f) => f.includes('midrows'))).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
