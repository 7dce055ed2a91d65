/**
 * The import file across the wire (issue 15), only in the "server" project: picked on the
 * workstation, streamed to the team server within its size limit, answered as the session's
 * pick, and deleted with the session; a role that may not import sees no picker and leaves
 * nothing on the server.
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamServerClient } from '../../main/remote/client';
import type { RunningServer } from '../../main/server/serve';
import { INVOKE_PATH, MAX_UPLOAD_BYTES, UPLOAD_PATH } from '../../shared/team-wire';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';
import { TEST_CLIENT, teamServerOf, testServerIdentity } from '../support/team-server';
import { enrolWorkstation, filesUnder, rawRequest, type Creds } from '../support/team-workstation';
import { openImportFile } from '../../main/services/import/sealed-files';

let t: TestBackend;
let server: RunningServer;
let creds: Creds;
const uploadsDir = () => path.join(t.dir, 'spool', 'uploads');

beforeAll(async () => {
  t = await openTestBackend();
  server = teamServerOf(t.backend).server;
  await t.call(t.backend.openSession(), 'setup.createFirstAdmin', ADMIN);
  creds = await enrolWorkstation(teamServerOf(t.backend).inner, server, 'team-upload test');
});

afterAll(async () => {
  await t?.close();
});

async function rawSignIn(): Promise<string> {
  const r = await rawRequest(server, creds, `${INVOKE_PATH}auth.login`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      input: { username: ADMIN.username, password: ADMIN.password },
      client: TEST_CLIENT,
    }),
  });
  const answer = JSON.parse(r.bytes.toString('utf8')) as { token?: string };
  if (!answer.token) throw new Error('sign-in failed');
  return answer.token;
}

describe('the import upload', () => {
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
    expect(filesUnder(uploadsDir())).toEqual([]);
  });

  it('the uploaded file is the session’s pick, and is deleted when the session ends', async () => {
    const csv = path.join(t.dir, 'to-upload.csv');
    // Several read chunks (64 KB each), so that progress is reported on the way.
    const rows = Array.from({ length: 9000 }, (_, i) => `Uma${i},Upload`).join('\n');
    fs.writeFileSync(csv, `firstName,lastName\n${rows}\n`);
    const size = fs.statSync(csv).size;
    const progress: { done: number; total: number; finished: boolean }[] = [];
    const c = new TeamServerClient({
      url: server.url,
      fingerprint: server.fingerprint,
      client: TEST_CLIENT,
      clientAuth: creds,
      chooseImportFile: () => Promise.resolve(csv),
      onUploadProgress: (p) => progress.push(p),
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
      const held = filesUnder(uploadsDir());
      expect(held.map((f) => path.basename(f))).toEqual(['to-upload.csv']);
      // Sealed on the server's disk: the same length, none of the text; the desk reads it whole.
      const onDisk = fs.readFileSync(held[0]!);
      const plain = fs.readFileSync(csv);
      expect(onDisk.length).toBe(plain.length);
      expect(onDisk.includes(Buffer.from('Upload'))).toBe(false);
      expect(onDisk.includes(Buffer.from('firstName'))).toBe(false);
      const read: Buffer[] = [];
      for await (const chunk of openImportFile(held[0]!, 1 << 16)) read.push(chunk as Buffer);
      expect(Buffer.concat(read).equals(plain)).toBe(true);
      // A changed byte on disk fails the read (the tag), rather than import something else.
      const tampered = Buffer.from(onDisk);
      tampered[0] = tampered[0]! ^ 1;
      fs.writeFileSync(held[0]!, tampered);
      await expect(async () => {
        for await (const chunk of openImportFile(held[0]!, 1 << 16)) void chunk;
      }).rejects.toThrow();
      fs.writeFileSync(held[0]!, onDisk);
      // In jobs.progress's shape: bytes so far of the whole, then finished.
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toEqual({ done: size, total: size, finished: true });
      expect(progress.slice(0, -1).every((p) => !p.finished && p.total === size)).toBe(true);
      expect((await c.invoke(s, 'auth.logout', {})).ok).toBe(true);
    } finally {
      await c.close();
    }
    expect(filesUnder(uploadsDir())).toEqual([]);
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
    expect(filesUnder(uploadsDir())).toEqual([]);
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
    expect(filesUnder(uploadsDir())).toEqual([]);
  });
});
