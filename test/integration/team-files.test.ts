/**
 * Files across the wire (issue 15), only in the "server" project: a file an export or a
 * disclosure produces on the team server reaches the workstation's export folder with its
 * record's SHA-256, the server's spool holds it encrypted and only for the session and
 * workstation it was made for, and a delivery a crash interrupted is completed or abandoned at
 * the next sign-in, never leaving a file without its record.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamServerClient } from '../../main/remote/client';
import type { RunningServer } from '../../main/server/serve';
import type { Session } from '../../main/services/session';
import { FILES_PATH, INVOKE_PATH, TICKET_HEADER, type FileOffer } from '../../shared/team-wire';
import { FileDeliveryService } from '../../main/services/file-deliveries';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';
import { TEST_CLIENT, teamServerOf } from '../support/team-server';
import { enrolWorkstation, filesUnder, rawRequest } from '../support/team-workstation';

let t: TestBackend;
let server: RunningServer;
let admin: Session;
let creds: { certPem: string; keyPem: string };
const exportDir = () => path.join(t.dir, 'exports');
const spoolDir = () => path.join(t.dir, 'spool');
/** A name no test data shares: found in a file only if the customer data is there in clear. */
const CANARY = 'Quillfeather';
const prov = { source: 'phone', date: '2026-11-20' } as const;

beforeAll(async () => {
  t = await openTestBackend();
  server = teamServerOf(t.backend).server;
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  for (let i = 0; i < 40; i++) {
    await t.call(admin, 'accounts.create', {
      fields: { firstName: `${CANARY}${i}`, lastName: 'Customer', email: `q${i}@example.com` },
      provenance: prov,
    });
  }
  creds = await enrolWorkstation(teamServerOf(t.backend).inner, server, 'team-files test');
});

afterAll(async () => {
  await t?.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function deliveryOf(fileName: string) {
  return (await t.backend.services.db('file_deliveries').where('file_name', fileName).first()) as
    { outcome: string | null; settled_at: string | null } | undefined;
}

async function recordOf(fileName: string) {
  const rows = (await t.backend.services
    .db('disclosure_log')
    .where('file_path', 'like', `%${fileName}`)
    .orderBy('seq')) as { kind: string; sha256: string | null }[];
  return rows;
}

/** Requests as this enrolled workstation makes them, to stop a delivery half-way on purpose. */
const raw = (p: string, init?: Parameters<typeof rawRequest>[3]) =>
  rawRequest(server, creds, p, init);

async function rawInvoke(channel: string, input: unknown, token?: string) {
  const r = await raw(INVOKE_PATH + channel, {
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ input, client: TEST_CLIENT }),
  });
  return JSON.parse(r.bytes.toString('utf8')) as {
    result: { ok: boolean; value?: unknown; error?: { message: string } };
    token?: string;
    files?: FileOffer[];
  };
}

async function rawSignIn(): Promise<string> {
  const r = await rawInvoke('auth.login', { username: ADMIN.username, password: ADMIN.password });
  expect(r.result.ok).toBe(true);
  return r.token!;
}

/** An export the server made and offered, which nobody has fetched yet. */
async function offered(token: string, fileName: string): Promise<FileOffer> {
  const r = await rawInvoke(
    'exports.accounts',
    { fields: ['firstName', 'lastName', 'email'], format: 'csv', fileName },
    token,
  );
  expect(r.result.ok).toBe(true);
  expect(r.files).toHaveLength(1);
  return r.files![0]!;
}

const fetchFile = (offer: FileOffer, token: string, ticket = offer.ticket) =>
  raw(FILES_PATH + offer.id, {
    method: 'GET',
    headers: { authorization: `Bearer ${token}`, [TICKET_HEADER]: ticket },
  });

/** A workstation app signing in afresh (after a crash): it settles what was left pending. */
async function freshWorkstationSignIn() {
  const c = new TeamServerClient({
    url: server.url,
    fingerprint: server.fingerprint,
    client: TEST_CLIENT,
    clientAuth: creds,
    exportDir: exportDir(),
  });
  try {
    const s = c.openSession();
    const r = await c.invoke(s, 'auth.login', {
      username: ADMIN.username,
      password: ADMIN.password,
    });
    expect(r.ok).toBe(true);
  } finally {
    await c.close();
  }
}

describe('an export through the team server', () => {
  it('reaches the workstation under its name with its record’s SHA-256; the server keeps nothing', async () => {
    const view = await t.call(admin, 'exports.accounts', {
      fields: ['firstName', 'lastName', 'email'],
      format: 'csv',
      fileName: 'everyone.csv',
    });
    // The answer is the embedded mode's: the record, the file by its name.
    expect(view.fileName).toBe('everyone.csv');
    expect(view.status).toBe('completed');
    const placed = fs.readFileSync(path.join(exportDir(), 'everyone.csv'));
    expect(sha256(placed)).toBe(view.sha256);
    expect(placed.toString('utf8')).toContain(`${CANARY}39`);
    expect((await deliveryOf('everyone.csv'))?.outcome).toBe('delivered');
    expect(filesUnder(spoolDir())).toEqual([]);
    expect(fs.readdirSync(exportDir()).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a disclosure log checkpoint (no record of its own) is delivered too', async () => {
    const officer = await signedInAs(t, 'compliance_officer', 'cora');
    await t.call(officer, 'disclosures.checkpoint', { fileName: 'head.json' });
    const saved = JSON.parse(fs.readFileSync(path.join(exportDir(), 'head.json'), 'utf8')) as {
      seq: number;
    };
    expect(saved.seq).toBeGreaterThan(0);
    expect(filesUnder(spoolDir())).toEqual([]);
  });

  it('a name already taken on the workstation is refused before anything is recorded', async () => {
    fs.mkdirSync(exportDir(), { recursive: true });
    fs.writeFileSync(path.join(exportDir(), 'taken.csv'), 'mine\n');
    const before = await t.backend.services.db('disclosure_log').count({ n: '*' }).first();
    const err = await t.fail(admin, 'exports.accounts', {
      fields: ['firstName'],
      format: 'csv',
      fileName: 'taken.csv',
    });
    expect(err.fieldErrors?.fileName).toBe('Already exists.');
    expect(err.message).toMatch(/already exists in the export folder/);
    const after = await t.backend.services.db('disclosure_log').count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(Number(before!.n));
    expect(fs.readFileSync(path.join(exportDir(), 'taken.csv'), 'utf8')).toBe('mine\n');
  });
});

describe('the spool and its tickets', () => {
  it('holds the file encrypted; the ticket works only with its session, and only whole', async () => {
    const token = await rawSignIn();
    const offer = await offered(token, 'spooled.csv');
    const [spooled] = filesUnder(spoolDir());
    expect(spooled).toBeDefined();
    const atRest = fs.readFileSync(spooled!);
    // IV and tag around the ciphertext; no customer name, no CSV header in clear.
    expect(atRest.length).toBe(offer.bytes + 28);
    expect(atRest.includes(Buffer.from(CANARY))).toBe(false);
    expect(atRest.includes(Buffer.from('firstName'))).toBe(false);

    const wrongTicket = await fetchFile(offer, token, `${offer.ticket.slice(0, -2)}xx`);
    expect(wrongTicket.status).toBe(400);
    expect(wrongTicket.bytes.toString()).toMatch(/not waiting for this session/);
    const otherSession = await fetchFile(offer, await rawSignIn());
    expect(otherSession.status).toBe(400);
    expect(otherSession.bytes.toString()).toMatch(/not waiting for this session/);

    const fetched = await fetchFile(offer, token);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.length).toBe(offer.bytes);
    expect(sha256(fetched.bytes)).toBe(offer.sha256);
    expect(fetched.bytes.toString('utf8')).toContain(CANARY);
    // The record holds the same SHA-256 the workstation checks against.
    expect((await recordOf('spooled.csv')).map((r) => r.sha256)).toContain(offer.sha256);

    // The workstation died before placing the file: its next sign-in abandons the delivery.
    await freshWorkstationSignIn();
    expect(await deliveryOf('spooled.csv')).toMatchObject({ outcome: 'abandoned' });
    expect(filesUnder(spoolDir())).toEqual([]);
    expect(fs.existsSync(path.join(exportDir(), 'spooled.csv'))).toBe(false);
    // The record stays: a record without a file, never a file without a record.
    expect((await recordOf('spooled.csv')).length).toBeGreaterThan(0);
  });

  it('a file placed before a crash stopped its confirmation is confirmed at the next sign-in', async () => {
    const token = await rawSignIn();
    const offer = await offered(token, 'placed.csv');
    const fetched = await fetchFile(offer, token);
    fs.writeFileSync(path.join(exportDir(), 'placed.csv'), fetched.bytes);
    // A temporary file of the same name the crash left behind goes too.
    fs.writeFileSync(path.join(exportDir(), '.placed.csv.0123456789ab.partial'), 'half');
    expect((await deliveryOf('placed.csv'))?.settled_at).toBeNull();
    await freshWorkstationSignIn();
    expect(await deliveryOf('placed.csv')).toMatchObject({ outcome: 'delivered' });
    expect(sha256(fs.readFileSync(path.join(exportDir(), 'placed.csv')))).toBe(offer.sha256);
    expect(fs.existsSync(path.join(exportDir(), '.placed.csv.0123456789ab.partial'))).toBe(false);
    expect(filesUnder(spoolDir())).toEqual([]);
  });

  it('an export folder that cannot be written: said at once, the server’s copy dropped', async () => {
    // A plain file where the folder should be (root ignores permission bits, not this).
    const notADir = path.join(t.dir, 'not-a-folder');
    fs.writeFileSync(notADir, '');
    const c = new TeamServerClient({
      url: server.url,
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
      clientAuth: creds,
      exportDir: notADir,
    });
    try {
      const s = c.openSession();
      await c.invoke(s, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
      const r = await c.invoke(s, 'exports.accounts', {
        fields: ['firstName'],
        format: 'csv',
        fileName: 'nowhere.csv',
      });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toContain(
          `did not reach this workstation: nowhere.csv (this workstation could not write in its export folder ${notADir} (EEXIST))`,
        );
      }
    } finally {
      await c.close();
    }
    expect(await deliveryOf('nowhere.csv')).toMatchObject({ outcome: 'abandoned' });
    expect(filesUnder(spoolDir())).toEqual([]);
  });

  it('at start the server abandons a week-old unfetched file and removes unclaimed spool folders', async () => {
    const token = await rawSignIn();
    const offer = await offered(token, 'forgotten.csv');
    const orphan = path.join(spoolDir(), 'f00dfeedf00dfeedf00dfeed');
    fs.mkdirSync(orphan);
    fs.writeFileSync(path.join(orphan, 'crashed.csv'), 'ciphertext');
    const inner = teamServerOf(t.backend).inner;
    const today = new FileDeliveryService(
      inner.services.db,
      new ManualClock(Date.now()),
      spoolDir(),
    );
    // Today: the offer is fresh and the orphan young (it may be another instance's call).
    await today.sweep();
    expect((await deliveryOf('forgotten.csv'))?.settled_at).toBeNull();
    expect(fs.existsSync(orphan)).toBe(true);
    const nextWeek = new FileDeliveryService(
      inner.services.db,
      new ManualClock(Date.now() + 8 * 86_400_000),
      spoolDir(),
    );
    await nextWeek.sweep();
    expect(await deliveryOf('forgotten.csv')).toMatchObject({ outcome: 'abandoned' });
    expect(fs.existsSync(orphan)).toBe(false);
    expect(filesUnder(spoolDir())).toEqual([]);
    expect((await fetchFile(offer, token)).status).toBe(400);
  });

  it('a settled file cannot be fetched again', async () => {
    const token = await rawSignIn();
    const offer = await offered(token, 'once.csv');
    const settle = await raw('/v1/files-settle', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: offer.id, outcome: 'abandoned' }),
    });
    expect(settle.status).toBe(200);
    const again = await fetchFile(offer, token);
    expect(again.status).toBe(400);
    expect(filesUnder(spoolDir())).toEqual([]);
  });
});
