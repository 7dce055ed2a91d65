/**
 * Disclosure files sealed for their recipient (issue 14): a recipient registered with an OpenPGP
 * public key gets their file as an OpenPGP message; the record holds the SHA-256 of the sealed
 * file and (in sealed_files) of the plaintext; the recipient's private key opens it to exactly
 * the bytes hashed. No plaintext copy lies in the export folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSealedFile } from '../../main/db/stores/sealed-files';
import type { Session } from '../../main/services/session';
import { COLLECTION_FIELDS } from '../../shared/disclosure';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { placementScene } from '../support/placement-scene';
import { signedInAs } from '../support/staff';

const CANARY = 'SEALCANARY-Quixote';
let t: TestBackend;
let comp: Session;
let coll: Session;
let accountId: string;
let keys: { publicKey: string; privateKey: string; fingerprint: string };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  comp = await signedInAs(t, 'compliance_officer', 'cora');
  coll = await signedInAs(t, 'collections_agent', 'carl');
  const me = (await t.call(admin, 'staff.list', {})).find((x) => x.username === 'ada')!;
  const fx = fixtureWriter(t, me.id);
  accountId = (await fx.create({ lastName: CANARY, standing: 'bad_standing', balanceCents: 4_200 }))
    .id;
  const made = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name: 'Acme Collections', email: 'files@acme.example' }],
    format: 'armored',
  });
  const pub = await openpgp.readKey({ armoredKey: made.publicKey });
  keys = {
    publicKey: made.publicKey,
    privateKey: made.privateKey,
    fingerprint: pub.getFingerprint().toUpperCase(),
  };
});
afterAll(async () => t?.close());

const request = (recipientId: string, fileName: string) =>
  t.call(coll, 'disclosures.request', {
    recipientId,
    purpose: 'debt_collection',
    accountIds: [accountId],
    fields: [...COLLECTION_FIELDS],
    format: 'csv',
    fileName,
  });

describe('recipient keys', () => {
  it('validates the key and shows its fingerprint; refuses garbage and private keys', async () => {
    const r = await t.call(comp, 'recipients.create', {
      name: 'Acme Collections',
      type: 'collection_agency',
      contact: '1 Acme Way',
      openpgpKey: keys.publicKey,
    });
    expect(r.openpgpFingerprint).toBe(keys.fingerprint);
    const garbage = await t.fail(comp, 'recipients.create', {
      name: 'Bad Key',
      type: 'collection_agency',
      contact: 'x',
      openpgpKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nnope\n-----END PGP PUBLIC KEY BLOCK-----',
    });
    expect(garbage.code).toBe('VALIDATION');
    expect(garbage.fieldErrors?.openpgpKey).toMatch(/not an armored OpenPGP public key/);
    const secret = await t.fail(comp, 'recipients.create', {
      name: 'Leaky',
      type: 'collection_agency',
      contact: 'x',
      openpgpKey: keys.privateKey,
    });
    expect(secret.fieldErrors?.openpgpKey).toMatch(/private key/);
    // Removing the key later is a change like any other.
    const cleared = await t.call(comp, 'recipients.update', {
      id: r.id,
      version: r.version,
      openpgpKey: null,
    });
    expect(cleared.openpgpFingerprint).toBeNull();
  });
});

describe('a disclosure to a recipient with a key', () => {
  it('is written sealed; the private key opens it to exactly the bytes hashed in the record', async () => {
    const agency = await t.call(comp, 'recipients.create', {
      name: 'Sealed Agency',
      type: 'collection_agency',
      contact: '2 Seal St',
      openpgpKey: keys.publicKey,
    });
    const out = await request(agency.id, 'sealed.csv');
    expect(out.status, out.reasons.join()).toBe('completed');
    const record = out.record!;
    expect(record.fileName).toBe('sealed.csv.gpg');
    const exportDir = path.join(t.dir, 'exports');
    expect(fs.readdirSync(exportDir).filter((f) => !f.startsWith('.'))).toEqual(['sealed.csv.gpg']);
    const sealed = fs.readFileSync(path.join(exportDir, 'sealed.csv.gpg'));
    expect(sealed.includes(Buffer.from(CANARY))).toBe(false);
    expect(sha256(sealed)).toBe(record.sha256);

    const hashes = await findSealedFile(t.backend.services.db, record.seq);
    expect(hashes).toMatchObject({ sealedSha256: record.sha256, fingerprint: keys.fingerprint });

    const message = await openpgp.readMessage({ binaryMessage: sealed });
    const privateKey = await openpgp.readPrivateKey({ armoredKey: keys.privateKey });
    const { data } = await openpgp.decrypt({
      message,
      decryptionKeys: privateKey,
      format: 'binary',
    });
    const plain = Buffer.from(data as Uint8Array);
    expect(sha256(plain)).toBe(hashes!.plaintextSha256);
    expect(plain.toString('utf8')).toContain(CANARY);
    expect(plain.toString('utf8').split('\n')[0]).toContain('accountNumber');
  });

  it('a recipient without a key still gets a plain file, and no sealed_files row', async () => {
    const plainAgency = await t.call(comp, 'recipients.create', {
      name: 'Plain Agency',
      type: 'collection_agency',
      contact: '3 Open Rd',
    });
    expect(plainAgency.openpgpFingerprint).toBeNull();
    const out = await request(plainAgency.id, 'plain.csv');
    expect(out.record!.fileName).toBe('plain.csv');
    expect(await findSealedFile(t.backend.services.db, out.record!.seq)).toBeNull();
  });
});

describe('a collection batch to an agency with a key', () => {
  it('is placed sealed, with both hashes beside its record', async () => {
    const scene = await placementScene(3, (i) => ({
      lastName: `${CANARY}${i}`,
      balanceCents: 1_000 + i,
    }));
    try {
      const agency = (await scene.t.call(scene.comp, 'recipients.list', {})).find(
        (r) => r.id === scene.agency,
      )!;
      await scene.t.call(scene.comp, 'recipients.update', {
        id: agency.id,
        version: agency.version,
        openpgpKey: keys.publicKey,
      });
      const sent = await scene.t.call(scene.agent, 'batches.send', {
        agencyId: scene.agency,
        currency: 'USD',
        format: 'csv',
        fileName: 'placement.csv',
      });
      const record = sent.outcome.record!;
      expect(record.fileName).toBe('placement.csv.gpg');
      const file = path.join(scene.t.dir, 'exports', 'placement.csv.gpg');
      const sealed = fs.readFileSync(file);
      expect(sealed.includes(Buffer.from(CANARY))).toBe(false);
      expect(sha256(sealed)).toBe(record.sha256);
      const hashes = await findSealedFile(scene.t.backend.services.db, record.seq);
      const message = await openpgp.readMessage({ binaryMessage: sealed });
      const privateKey = await openpgp.readPrivateKey({ armoredKey: keys.privateKey });
      const { data } = await openpgp.decrypt({
        message,
        decryptionKeys: privateKey,
        format: 'binary',
      });
      const plain = Buffer.from(data as Uint8Array);
      expect(sha256(plain)).toBe(hashes!.plaintextSha256);
      expect(plain.toString('utf8').match(new RegExp(CANARY, 'g'))).toHaveLength(3);
    } finally {
      await scene.t.close();
    }
  });
});
