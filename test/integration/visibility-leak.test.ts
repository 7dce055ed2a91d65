/**
 * The need-to-know leak test (issue 3): every role x every customer field x every channel.
 * Roles, fields and channels are enumerated from the catalogue and the IPC contract, so a new
 * field or channel is covered without editing this file (a new customer-data channel must get
 * an input below, or this test fails and says so).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';
import { ALL_EDIT, fixedAccess } from '../support/fixtures';
import { AccountsStore } from '../../main/db/stores/accounts/store';
import { AccountsService } from '../../main/services/accounts/service';
import { maskValue } from '../../main/policy/masks';
import type { Session } from '../../main/services/session';
import { CHANNELS, contract, type Channel } from '../../shared/contract';
import {
  FIELDS,
  FIELD_BY_KEY,
  SEARCH_KINDS,
  SEARCH_KIND_FIELDS,
  SORT_KEYS,
  SORT_KEY_FIELDS,
  type FieldKey,
} from '../../shared/catalogue';
import { ROLES, type Role } from '../../shared/roles';
import { DEFAULT_MATRIX, canRead, type AccessMap } from '../../shared/visibility';
import type { FieldValue } from '../../shared/types';

/** Two generations of canary values: the account is created with A and edited to B, so history holds both. */
const CANARY_A: Record<FieldKey, FieldValue> = {
  accountNumber: null,
  firstName: 'Qzfirstaa',
  lastName: 'Qzlastaa',
  dateOfBirth: '1931-07-19',
  email: 'qzmailaa@canary-aa.example',
  phone: '+1 212 555 0417',
  addressLine1: 'Qzaddronea',
  addressLine2: 'Qzaddrtwoa',
  city: 'Qzcityaa',
  region: 'Qzregionaa',
  postalCode: 'ZX9Z 9QQ',
  country: 'GB',
  taxId: 'ZQ-7781-3349',
  paymentBrand: 'JCB',
  paymentLast4: '7319',
  balanceCents: 987654321,
  currency: 'CHF',
  lastPaymentDate: '2019-03-17',
  standing: 'past_due',
  supportNotes: 'Qzsupportnotesaa',
  fraudFlag: 'suspected',
  fraudNotes: 'Qzfraudnotesaa',
  provenanceSource: 'in_person',
  provenanceDate: '2024-02-29',
  daysPastDue: 0,
};
const CANARY_B: Partial<Record<FieldKey, FieldValue>> = {
  firstName: 'Qzfirstbb',
  lastName: 'Qzlastbb',
  dateOfBirth: '1933-09-21',
  email: 'qzmailbb@canary-bb.example',
  phone: '+1 646 555 0893',
  addressLine1: 'Qzaddroneb',
  addressLine2: 'Qzaddrtwob',
  city: 'Qzcitybb',
  region: 'Qzregionbb',
  postalCode: 'ZY8Z 8QQ',
  country: 'IE',
  taxId: 'ZQ-5512-6604',
  paymentBrand: 'UnionPay',
  paymentLast4: '8426',
  balanceCents: 876543219,
  currency: 'NOK',
  lastPaymentDate: '2018-05-13',
  supportNotes: 'Qzsupportnotesbb',
  fraudFlag: 'reported',
  fraudNotes: 'Qzfraudnotesbb',
  standing: 'bad_standing',
  daysPastDue: 120,
};

/** Values unique enough that finding them anywhere in a response means the field leaked. */
function canariesOf(field: FieldKey): string[] {
  return [CANARY_A[field], CANARY_B[field]]
    .filter((v): v is string | number => v !== null && v !== undefined && String(v).length >= 8)
    .map(String);
}

let t: TestBackend;
let accountId: string;
let agencyId = '';
const sessions = new Map<Role, Session>();

/** The file the import picker answers with next (import.check's inputs choose two). */
let picked: string | null = null;

/**
 * Import files holding canaries: one of the columns an administrator may import, and one of the
 * fields the role may not see or edit, whose values must not come back in the check's refusal.
 */
function importFiles(): string[] {
  const row = (keys: FieldKey[]) =>
    `${keys.join(',')}\n${keys.map((k) => `"${String(CANARY_A[k] ?? '')}"`).join(',')}\n`;
  const files: [string, FieldKey[]][] = [
    ['importable.csv', ['firstName', 'lastName', 'email', 'phone', 'addressLine1', 'city']],
    [
      'forbidden.csv',
      ['lastName', 'taxId', 'paymentLast4', 'supportNotes', 'fraudNotes', 'dateOfBirth'],
    ],
  ];
  return files.map(([name, keys]) => {
    const file = path.join(t.dir, name);
    fs.writeFileSync(file, row(keys));
    return file;
  });
}

beforeAll(async () => {
  t = await openTestBackend({ chooseImportFile: async () => picked });
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const god = new AccountsService(
    new AccountsStore(t.backend.services.db),
    fixedAccess(t.backend.services.db, ALL_EDIT),
  );
  const me = (await t.call(admin, 'staff.list', {}))[0]!;
  const actor = { staffId: me.id, role: 'administrator' as const };
  const editable = Object.fromEntries(
    FIELDS.filter((f) => !f.system).map((f) => [f.key, CANARY_A[f.key]]),
  );
  const created = await god.create(actor, editable, { source: 'in_person', date: '2024-02-29' });
  accountId = created.id;
  await god.update(actor, accountId, created.version, CANARY_B, {
    source: 'email',
    date: '2025-01-02',
  });
  // A plain second account, so lists have more than one row.
  await god.create(
    actor,
    { firstName: 'Plain', lastName: 'Person' },
    { source: 'phone', date: '2025-01-02' },
  );
  for (const role of ROLES)
    sessions.set(role, role === 'administrator' ? admin : await signedInAs(t, role));
  const agency = await t.call(sessions.get('compliance_officer')!, 'recipients.create', {
    name: 'Leak Test Agency',
    type: 'collection_agency',
    contact: '1 Agency Road',
  });
  agencyId = agency.id;
});
afterAll(async () => t?.close());

/**
 * Inputs for every channel that returns customer data; each is called as every role. An input
 * may be a function, called just before its call (for one that must be made at that moment).
 */
const INPUTS: Partial<Record<Channel, (role: Role, session: Session) => Promise<unknown[]>>> = {
  // The preview of a picked file's rows, projected by the importer's role; a file's columns the
  // role may not import are refused, and their values must not be echoed.
  'import.check': async (role, session) => {
    if (role !== 'administrator') return [{ token: '00000000-0000-7000-8000-000000000000' }];
    // A session holds one chosen file: each is chosen just before its check.
    return importFiles().map((file) => async () => {
      picked = file;
      const choice = await t.call(session, 'import.chooseFile', {});
      if (!choice) throw new Error('the picker chose no file');
      return { token: choice.token };
    });
  },
  'accounts.list': async () => [
    {},
    { sort: 'createdAt', limit: 1 },
    { search: 'Qzlastbb', searchKind: 'name' },
  ],
  'accounts.get': async () => [{ id: accountId }],
  'accounts.history': async () => [{ id: accountId }],
  // The canary account opened first, so that it is among the role's recent accounts.
  'accounts.recent': async (role) => {
    await t.call(sessions.get(role)!, 'accounts.get', { id: accountId });
    return [{}];
  },
  // A stale version: the conflict error carries the current record, which must be projected too.
  'accounts.update': async () => [
    {
      id: accountId,
      version: 1,
      changes: { city: 'Anywhere' },
      provenance: { source: 'phone', date: '2025-01-03' },
    },
  ],
  'standing.timeline': async () => [{ accountId }],
  'holds.list': async () => [{ accountId }],
  'holds.set': async () => [
    { accountId, kind: 'deceased', since: '2025-01-01', note: 'Certificate seen' },
  ],
  'holds.clear': async () => [{ accountId, kind: 'deceased', note: 'Set in error' }],
  'batches.preview': async () => [{ agencyId, currency: 'NOK' }],
  // An offline replica's fill: every changed account, as the role sees it.
  'sync.pull': async () => [{}, { since: '0', limit: 1 }],
  'accounts.create': async (role) => {
    const firstName = DEFAULT_MATRIX[role].firstName === 'edit' ? 'Created' : undefined;
    return [
      {
        fields: firstName ? { firstName, lastName: 'ByRole' } : {},
        provenance: { source: 'phone', date: '2025-01-03' },
      },
    ];
  },
};

interface Finding {
  role: Role;
  field: FieldKey;
  channel: string;
  problem: string;
}

/** Walks a response and checks every `fields`, `access` and history change it carries. */
function inspect(
  response: unknown,
  role: Role,
  access: AccessMap,
  channel: string,
  findings: Finding[],
): number {
  let cases = 0;
  const text = JSON.stringify(response);
  for (const field of FIELDS) {
    cases++;
    const a = access[field.key];
    if (a === 'hidden' || a === 'masked') {
      for (const canary of canariesOf(field.key)) {
        if (text.includes(canary))
          findings.push({
            role,
            field: field.key,
            channel,
            problem: `${a} value ${canary} appears`,
          });
      }
    }
  }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    for (const key of ['fields', 'access'] as const) {
      const bag = obj[key];
      if (bag && typeof bag === 'object' && !Array.isArray(bag)) {
        for (const [k, v] of Object.entries(bag)) {
          const a = access[k as FieldKey];
          if (a === undefined) continue;
          if (a === 'hidden')
            findings.push({
              role,
              field: k as FieldKey,
              channel,
              problem: `hidden field present in ${key}`,
            });
          if (key === 'fields' && a === 'masked') {
            const allowed = [CANARY_A, CANARY_B].map((c) =>
              maskValue(FIELD_BY_KEY[k as FieldKey], c[k as FieldKey] ?? null),
            );
            if (v !== null && !allowed.includes(v as string)) {
              findings.push({
                role,
                field: k as FieldKey,
                channel,
                problem: `masked field carries ${String(v)}`,
              });
            }
          }
        }
      }
    }
    if (typeof obj.field === 'string' && 'oldValue' in obj) {
      const a = access[obj.field as FieldKey];
      if (a === 'hidden')
        findings.push({
          role,
          field: obj.field as FieldKey,
          channel,
          problem: 'hidden field in history',
        });
      if (a === 'masked') {
        for (const v of [obj.oldValue, obj.newValue]) {
          if (v !== null && typeof v === 'string' && !v.includes('•')) {
            findings.push({
              role,
              field: obj.field as FieldKey,
              channel,
              problem: `unmasked history value ${v}`,
            });
          }
        }
      }
    }
    Object.values(obj).forEach(visit);
  };
  visit(response);
  return cases;
}

describe('no role sees a field it may not see, on any channel', () => {
  it('every customer-data channel has inputs in this test', () => {
    const missing = CHANNELS.filter((c) => contract[c].readsCustomerData && !INPUTS[c]);
    expect(missing, `add inputs for ${missing.join(', ')} to INPUTS`).toEqual([]);
  });

  it('role x field x channel: hidden values never appear, masked ones only as their mask', async () => {
    const findings: Finding[] = [];
    let cases = 0;
    let calls = 0;
    // Channels that end the session run last, on a session of the loop's own.
    const ending = new Set<Channel>(['auth.logout', 'auth.lock']);
    const ordered = [...CHANNELS.filter((c) => !ending.has(c)), ...ending];
    for (const role of ROLES) {
      const session = t.backend.openSession();
      const username = role === 'administrator' ? ADMIN.username : role.replace(/_/g, '');
      await t.call(session, 'auth.login', {
        username,
        password: role === 'administrator' ? ADMIN.password : STAFF_PASSWORD,
      });
      const access = await t.backend.services.visibility.accessFor(role);
      for (const channel of ordered) {
        const inputs = INPUTS[channel] ? await INPUTS[channel](role, session) : [{}];
        for (const given of inputs) {
          const input = typeof given === 'function' ? await (given as () => unknown)() : given;
          const result = await t.backend.invoke(session, channel, input);
          calls++;
          cases += inspect(result, role, access, channel, findings);
        }
      }
    }
    console.log(
      `leak test: ${ROLES.length} roles x ${FIELDS.length} fields x ${CHANNELS.length} channels; ${calls} calls, ${cases} role x field x response checks`,
    );
    expect(findings).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(ROLES.length * FIELDS.length * CHANNELS.length);
  });

  it('the fixture really holds the canaries (a role that can read them sees them)', async () => {
    // The batch preview's sample is a customer-data path too: it must have found the account.
    const preview = await t.call(sessions.get('collections_agent')!, 'batches.preview', {
      agencyId,
      currency: 'NOK',
    });
    expect(preview.sample.map((r) => r.id)).toEqual([accountId]);
    const fraud = sessions.get('fraud_analyst')!;
    const detail = await t.call(fraud, 'accounts.get', { id: accountId });
    expect(detail.fields.taxId).toBe(CANARY_B.taxId);
    expect(detail.fields.fraudNotes).toBe(CANARY_B.fraudNotes);
    const history = await t.call(fraud, 'accounts.history', { id: accountId });
    const taxChange = history
      .flatMap((h) => h.changes)
      .find((c) => c.field === 'taxId' && c.oldValue !== null);
    expect(taxChange).toMatchObject({ oldValue: CANARY_A.taxId, newValue: CANARY_B.taxId });
    const support = sessions.get('support_agent')!;
    const hidden = await t.call(support, 'accounts.get', { id: accountId });
    expect(hidden.fields.taxId).toBeUndefined();
    expect(hidden.fields.paymentLast4).toBe('•••• 8426');
    const billing = sessions.get('billing_specialist')!;
    const masked = await t.call(billing, 'accounts.get', { id: accountId });
    expect(masked.fields.dateOfBirth).toBe('1933-••-••');
    expect(masked.fields.taxId).toBe('•••-••-6604');
  });

  it("history shows each event's source and date only as far as the provenance fields may be seen", async () => {
    const db = t.backend.services.db;
    const staffId = String((await db('staff').first('id')).id);
    const historyWith = (provenance: Pick<AccessMap, 'provenanceSource' | 'provenanceDate'>) =>
      new AccountsService(new AccountsStore(db), fixedAccess(db, { ...ALL_EDIT, ...provenance }))
        .history({ staffId, role: 'support_agent' }, accountId)
        .then((events) => events.map((e) => [e.source, e.sourceDate]));
    expect(await historyWith({ provenanceSource: 'read', provenanceDate: 'read' })).toEqual([
      ['in_person', '2024-02-29'],
      ['email', '2025-01-02'],
    ]);
    expect(await historyWith({ provenanceSource: 'masked', provenanceDate: 'masked' })).toEqual([
      [null, '2024-••-••'],
      [null, '2025-••-••'],
    ]);
    expect(await historyWith({ provenanceSource: 'hidden', provenanceDate: 'hidden' })).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('search and sort by a field the role cannot read are refused, not answered', async () => {
    for (const role of ROLES) {
      const access = await t.backend.services.visibility.accessFor(role);
      const session = sessions.get(role)!;
      for (const kind of SEARCH_KINDS) {
        // Bare digits search whichever of their fields the role may read (an account number's
        // start, phone digits); every other kind needs each of its fields.
        const readable = (f: (typeof SEARCH_KIND_FIELDS)[typeof kind][number]) =>
          canRead(access[f]);
        const allowed =
          kind === 'digits'
            ? SEARCH_KIND_FIELDS[kind].some(readable)
            : SEARCH_KIND_FIELDS[kind].every(readable);
        const r = await t.backend.invoke(session, 'accounts.list', {
          search: 'Qz',
          searchKind: kind,
        });
        expect(r.ok, `${role} search by ${kind}`).toBe(allowed);
        if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
      }
      for (const sort of SORT_KEYS) {
        const allowed = SORT_KEY_FIELDS[sort].every((f) => canRead(access[f]));
        const r = await t.backend.invoke(session, 'accounts.list', { sort });
        expect(r.ok, `${role} sort by ${sort}`).toBe(allowed);
      }
    }
  });

  it('edits of fields without edit access are refused in main and change nothing', async () => {
    for (const role of ROLES) {
      const access = await t.backend.services.visibility.accessFor(role);
      const session = sessions.get(role)!;
      const before = await t.backend.services.db('accounts').where({ id: accountId }).first();
      for (const field of FIELDS.filter((f) => !f.system && access[f.key] !== 'edit')) {
        const value = CANARY_A[field.key];
        const r = await t.backend.invoke(session, 'accounts.update', {
          id: accountId,
          version: Number(before.version),
          changes: { [field.key]: value },
          provenance: { source: 'phone', date: '2025-01-03' },
        });
        expect(r.ok, `${role} edits ${field.key}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('FORBIDDEN');
          expect(JSON.stringify(r.error)).not.toContain(String(CANARY_B[field.key] ?? '\u0000'));
        }
      }
      expect(await t.backend.services.db('accounts').where({ id: accountId }).first()).toEqual(
        before,
      );
    }
  });

  it('hidden and masked fields are also kept out of the access map the UI gets', async () => {
    for (const role of ROLES) {
      const fa = await t.call(sessions.get(role)!, 'accounts.fieldAccess', {});
      const access = await t.backend.services.visibility.accessFor(role);
      for (const f of FIELDS)
        expect(fa[f.key], `${role} ${f.key}`).toBe(
          access[f.key] === 'hidden' ? undefined : access[f.key],
        );
    }
  });
});
