/**
 * Who may call a channel is declared once, in the contract, and enforced once, in dispatch
 * (issue 13). Enumerated from the contract: every channel with a role rule, called by every role
 * with a valid input, refuses exactly the roles the rule leaves out, with the rule's words, and
 * lets the others past the role check. A new restricted channel needs an input below, or this
 * test fails and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../main/services/session';
import { CHANNELS, contract, type Channel } from '../../shared/contract';
import { ROLES, type Role } from '../../shared/roles';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { signedInAs } from '../support/staff';

const SOME_ID = '0193a6d2-0000-7000-8000-000000000001';

/** A valid input for each restricted channel (what it refers to need not exist). */
const INPUTS: Partial<Record<Channel, unknown>> = {
  'staff.list': {},
  'staff.create': {
    username: 'newbie',
    displayName: 'New Bie',
    role: 'support_agent',
    temporaryPassword: 'temporary pass 123',
  },
  'staff.update': { id: SOME_ID, version: 1 },
  'staff.resetPassword': { id: SOME_ID, temporaryPassword: 'temporary pass 123' },
  'staff.grants': {},
  'staff.decideGrant': { id: SOME_ID, decision: 'rejected' },
  'visibility.matrix': {},
  'visibility.update': {
    changes: [{ role: 'support_agent', field: 'city', access: 'read' }],
    reason: 'Checking who may change the matrix',
  },
  'visibility.changes': {},
  'recipients.create': { name: 'Role Test', type: 'acquirer', contact: '1 Road, Town' },
  'recipients.update': { id: SOME_ID, version: 1 },
  'disclosures.log': {},
  'disclosures.accounting': { accountId: SOME_ID },
  'disclosures.accountingReport': { accountId: SOME_ID, format: 'csv', fileName: 'acc.csv' },
  'disclosures.accountingPdf': { accountId: SOME_ID, fileName: 'acc.pdf' },
  'disclosures.verify': {},
  'disclosures.checkpoint': { fileName: 'role-test.json' },
  'disclosures.recovered': {},
  'accessLog.list': {},
  'accessLog.export': { format: 'csv', fileName: 'log.csv' },
  'accessLog.prune': {},
  'holds.set': { accountId: SOME_ID, kind: 'deceased', since: '2025-01-01', note: 'Seen' },
  'holds.clear': { accountId: SOME_ID, kind: 'deceased', note: 'Set in error' },
  'batches.preview': { agencyId: SOME_ID },
  'batches.send': { agencyId: SOME_ID, format: 'csv', fileName: 'batch.csv' },
  'batches.recall': { batchId: SOME_ID, reason: 'Sent in error' },
  'batches.summaryPdf': { batchId: SOME_ID, fileName: 'summary.pdf' },
  'import.chooseFile': {},
  'import.check': { token: SOME_ID },
  'import.problems': { token: SOME_ID, offset: 0 },
  'import.run': { token: SOME_ID, accept: true },
  'settings.update': {},
  'enrolments.issue': { label: 'desk 1' },
  'enrolments.list': {},
  'enrolments.revoke': { id: SOME_ID },
  'backup.create': {},
  'keys.newRecoveryKey': { confirm: true },
};

const restricted = CHANNELS.filter((c) => contract[c].roles !== undefined);

let t: TestBackend;
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  for (const role of ROLES)
    sessions.set(role, role === 'administrator' ? admin : await signedInAs(t, role));
});
afterAll(async () => t?.close());

describe('roles declared in the contract, enforced in dispatch', () => {
  it('every restricted channel has an input here', () => {
    expect(restricted.filter((c) => !(c in INPUTS))).toEqual([]);
    expect(restricted.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses exactly the roles a rule leaves out, with its words; the others pass the role check', async () => {
    let checked = 0;
    for (const channel of restricted) {
      const rule = contract[channel].roles!;
      for (const role of ROLES) {
        const r = await t.backend.invoke(sessions.get(role)!, channel, INPUTS[channel]);
        const error = r.ok ? null : r.error;
        // The input is valid: whatever the answer, it is not about the input's shape.
        expect(error?.code, `${channel} as ${role}: ${error?.message}`).not.toBe('VALIDATION');
        const refused = error?.code === 'FORBIDDEN' && error.message === rule.refusal;
        expect(refused, `${channel} as ${role}`).toBe(!rule.only.includes(role));
        checked++;
      }
    }
    expect(checked).toBe(restricted.length * ROLES.length);
  });

  it('a refused call changes nothing', async () => {
    const support = sessions.get('support_agent')!;
    const before = await t.backend.services.db('staff').count({ n: '*' }).first();
    const r = await t.backend.invoke(support, 'staff.create', INPUTS['staff.create']);
    expect(r.ok).toBe(false);
    const after = await t.backend.services.db('staff').count({ n: '*' }).first();
    expect(after).toEqual(before);
  });
});
