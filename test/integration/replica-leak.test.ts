/**
 * The replica leak test (issue 16): for every role, a replica filled from accounts holding a
 * canary in every field. Opened with its key and exported in clear (sqlcipher_export), the
 * replica holds no hidden field's canary and no masked field's full value, while the fields the
 * role reads in full are there (so the export is known to show the data). The raw file and its
 * WAL show no canary at all.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../main/db/connect';
import { AccountsStore } from '../../main/db/stores/accounts/store';
import { openReplicaFile, replicaFile } from '../../main/replica/file';
import { ReplicaSync, replicaServer } from '../../main/replica/sync';
import { AccountsService } from '../../main/services/accounts/service';
import type { Session } from '../../main/services/session';
import { FIELDS, type FieldKey } from '../../shared/catalogue';
import { ROLES, type Role } from '../../shared/roles';
import type { FieldValue } from '../../shared/types';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { ALL_EDIT, fixedAccess } from '../support/fixtures';
import { signedInAs } from '../support/staff';

/** A canary per field (the account number is the console's own; enums are too short to find). */
const CANARY: Partial<Record<FieldKey, FieldValue>> = {
  firstName: 'Rqfirstcanary',
  lastName: 'Rqlastcanary',
  dateOfBirth: '1937-04-23',
  email: 'rqmailcanary@canary-rq.example',
  phone: '+1 313 555 0179',
  addressLine1: 'Rqaddrlineone',
  addressLine2: 'Rqaddrlinetwo',
  city: 'Rqcitycanary',
  region: 'Rqregioncanary',
  postalCode: 'QX7Q 7RR',
  country: 'GB',
  taxId: 'RQ-4471-9935',
  paymentBrand: 'JCB',
  paymentLast4: '6083',
  balanceCents: 765432109,
  currency: 'CHF',
  lastPaymentDate: '2017-08-29',
  supportNotes: 'Rqsupportnotescanary',
  fraudNotes: 'Rqfraudnotescanary',
};

/** The canaries long enough that finding one anywhere means its field is there. */
const FINDABLE = (Object.entries(CANARY) as [FieldKey, FieldValue][])
  .filter(([, v]) => v !== null && String(v).length >= 8)
  .map(([field, v]) => ({ field, text: String(v) }));

let t: TestBackend;
let dir: string;
const sessions = new Map<Role, Session>();
/** How many hidden and masked (role, field) cases the test looked for, over every role. */
const checked = { hidden: 0, masked: 0 };
const staffIds = new Map<Role, string>();

beforeAll(async () => {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const god = new AccountsService(
    new AccountsStore(t.backend.services.db),
    fixedAccess(t.backend.services.db, ALL_EDIT),
  );
  const me = (await t.call(admin, 'staff.list', {}))[0]!;
  const editable = Object.fromEntries(
    FIELDS.filter((f) => !f.system && f.key in CANARY).map((f) => [f.key, CANARY[f.key]]),
  );
  await god.create({ staffId: me.id, role: 'administrator' }, editable, {
    source: 'in_person',
    date: '2024-02-29',
  });
  for (const role of ROLES)
    sessions.set(role, role === 'administrator' ? admin : await signedInAs(t, role));
  for (const s of await t.call(admin, 'staff.list', {})) staffIds.set(s.role, s.id);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-replica-leak-'));
}, 120_000);
afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

/** The replica's content in clear: the file exported through SQLCipher with its key. */
async function exportedInClear(filename: string, key: Buffer): Promise<string> {
  const plain = `${filename}.plain`;
  const db = connect({ client: 'sqlite', filename, key });
  try {
    await db.raw(`ATTACH DATABASE ? AS plaintext KEY ''`, [plain]);
    await db.raw(`SELECT sqlcipher_export('plaintext')`);
    await db.raw(`DETACH DATABASE plaintext`);
  } finally {
    await db.destroy();
  }
  const text = fs.readFileSync(plain).toString('latin1');
  fs.rmSync(plain);
  return Buffer.from(text, 'latin1').toString('utf8');
}

function rawBytes(filename: string): string {
  return ['', '-wal']
    .map((s) => filename + s)
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

describe('the replica leak test', () => {
  it.each(ROLES.map((r) => [r]))(
    '%s: hidden fields absent, masked ones masked, nothing readable in the raw file',
    async (role) => {
      const staffId = staffIds.get(role)!;
      const key = randomBytes(32);
      const replica = await openReplicaFile({ dir, staffId, key });
      const anyone = t.backend.openSession();
      const outcome = await new ReplicaSync(
        replica,
        replicaServer(
          (channel, input) =>
            t.backend.invoke(sessions.get(role)!, channel as never, input as never),
          (channel, input) => t.backend.invoke(anyone, channel as never, input as never),
        ),
        { staffId },
      ).sync();
      expect(outcome).toMatchObject({ kind: 'synced', accounts: 1 });
      const access = (await t.call(sessions.get(role)!, 'accounts.fieldAccess', {})) as Partial<
        Record<FieldKey, string>
      >;
      // Before closing: the WAL is still there, as it would be on a running workstation.
      const raw = rawBytes(replicaFile(dir, staffId));
      await replica.close();
      const clear = await exportedInClear(replicaFile(dir, staffId), key);

      const problems: string[] = [];
      let shown = 0;
      for (const { field, text } of FINDABLE) {
        const a = access[field] ?? 'hidden';
        if (a === 'hidden' || a === 'masked') checked[a]++;
        if (raw.includes(text)) problems.push(`${field}: ${text} readable in the raw file`);
        if (a === 'hidden' && clear.includes(text)) problems.push(`hidden ${field} in the replica`);
        if (a === 'masked' && clear.includes(text))
          problems.push(`masked ${field} in full in the replica`);
        if ((a === 'read' || a === 'edit') && clear.includes(text)) shown++;
        if ((a === 'read' || a === 'edit') && !clear.includes(text))
          problems.push(`${field} (${a}) missing from the clear export: is the export reading it?`);
      }
      expect(problems).toEqual([]);
      console.log(
        `[replica-leak] ${role}: ${FINDABLE.length} canaries checked, ${shown} readable fields present in clear, none in the raw file`,
      );
    },
  );

  it('looked for hidden and masked fields (the matrix hides and masks some)', () => {
    expect(checked.hidden).toBeGreaterThan(0);
    expect(checked.masked).toBeGreaterThan(0);
    console.log(`[replica-leak] cases: ${checked.hidden} hidden, ${checked.masked} masked`);
  });
});
