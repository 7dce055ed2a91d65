/**
 * Files across the wire (issue 15), only in the "server" project: a file an export or a
 * disclosure produces on the team server reaches the workstation's export folder with its
 * record's SHA-256, the server's spool holds it encrypted and only for the session and
 * workstation it was made for, and a delivery a crash interrupted is completed or abandoned at
 * the next sign-in, never leaving a file without its record.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamServerClient } from '../../main/remote/client';
import type { RunningServer } from '../../main/server/serve';
import type { Session } from '../../main/services/session';
import {
  FILES_PATH,
  INVOKE_PATH,
  MAX_UPLOAD_BYTES,
  TICKET_HEADER,
  UPLOAD_PATH,
  type FileOffer,
} from '../../shared/team-wire';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs, STAFF_PASSWORD } from '../support/staff';
import { TEST_CLIENT, teamServerOf, testServerIdentity } from '../support/team-server';

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
  const inner = teamServerOf(t.backend).inner;
  const { code } = await inner.services.enrolments.issue('team-files test', null);
  const stranger = new TeamServerClient({
    url: server.url,
    fingerprint: server.fingerprint,
    client: TEST_CLIENT,
  });
  const enrolled = await stranger.enrol(code, 'team-files test', 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  creds = enrolled.value;
});

afterAll(async () => {
  await t?.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a folder, at any depth. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

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
async function raw(
  p: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  const agent = new Agent({
    connect: {
      ca: testServerIdentity().certPem,
      cert: creds.certPem,
      key: creds.keyPem,
      checkServerIdentity: () => undefined,
    },
  });
  try {
    const res = await request(new URL(p, server.url), {
      method: init.method ?? 'POST',
      dispatcher: agent,
      headers: { 'x-custodian-host': TEST_CLIENT.hostname, ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    return { status: res.statusCode, bytes: Buffer.from(await res.body.arrayBuffer()) };
  } finally {
    await agent.close();
  }
}

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

  it('an upload is refused for a role that may not import, before a byte is kept', async () => {
    const session = await signedInAs(t, 'support_agent', 'sue');
    const c = new TeamServerClient({
      url: server.url,
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
      clientAuth: creds,
      chooseImportFile: () => Promise.reject(new Error('the picker must not open')),
    });
    try {
      const s = c.openSession();
      await c.invoke(s, 'auth.login', { username: 'sue', password: STAFF_PASSWORD });
      const r = await c.invoke(s, 'import.chooseFile', {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toBe('Only an administrator may import accounts.');
    } finally {
      await c.close();
      t.backend.closeSession(session);
    }
    expect(filesUnder(path.join(spoolDir(), 'uploads'))).toEqual([]);
  });
});

describe('the import upload', () => {
  it('the uploaded file is the session’s pick, and is deleted when the session ends', async () => {
    const csv = path.join(t.dir, 'to-upload.csv');
    fs.writeFileSync(csv, 'firstName,lastName\nUma,Upload\n');
    const c = new TeamServerClient({
      url: server.url,
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
      clientAuth: creds,
      chooseImportFile: () => Promise.resolve(csv),
    });
    try {
      const s = c.openSession();
      await c.invoke(s, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
      const r = await c.invoke(s, 'import.chooseFile', {});
      expect(r.ok).toBe(true);
      expect(r.ok && r.value).toMatchObject({
        fileName: 'to-upload.csv',
        sizeBytes: fs.statSync(csv).size,
      });
      const held = filesUnder(path.join(spoolDir(), 'uploads'));
      expect(held.map((f) => path.basename(f))).toEqual(['to-upload.csv']);
      expect(fs.readFileSync(held[0]!, 'utf8')).toBe(fs.readFileSync(csv, 'utf8'));
      expect((await c.invoke(s, 'auth.logout', {})).ok).toBe(true);
    } finally {
      await c.close();
    }
    expect(filesUnder(path.join(spoolDir(), 'uploads'))).toEqual([]);
  });

  it('a file over the limit is refused on the workstation before a byte is sent', async () => {
    const big = path.join(t.dir, 'too-big.csv');
    // Sparse: the size is what counts, not the disk it takes.
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_UPLOAD_BYTES + 1);
    const c = new TeamServerClient({
      url: server.url,
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
      clientAuth: creds,
      chooseImportFile: () => Promise.resolve(big),
    });
    try {
      const s = c.openSession();
      await c.invoke(s, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
      const r = await c.invoke(s, 'import.chooseFile', {});
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toBe(
          'too-big.csv is 201 MB; an import file may be at most 200 MB. Split it into smaller files.',
        );
      }
    } finally {
      await c.close();
    }
    expect(filesUnder(path.join(spoolDir(), 'uploads'))).toEqual([]);
  });

  it('the server refuses a declared size over the limit with the same rule, keeping nothing', async () => {
    const token = await rawSignIn();
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.request(
        new URL(UPLOAD_PATH, server.url),
        {
          method: 'POST',
          ca: testServerIdentity().certPem,
          cert: creds.certPem,
          key: creds.keyPem,
          checkServerIdentity: () => undefined,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/octet-stream',
            'content-length': String(MAX_UPLOAD_BYTES + 1),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, text });
          });
        },
      );
      req.on('error', reject);
      req.write('firstName\n');
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(/An import file may be at most 200 MB; split it/);
    expect(filesUnder(path.join(spoolDir(), 'uploads'))).toEqual([]);
  });
});
