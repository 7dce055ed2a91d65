import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Input } from '../../shared/contract';
import type { Role } from '../../shared/roles';
import type { StaffSummary } from '../../shared/types';
import type { Session } from '../../main/services/session';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { insertRoleGrant, insertStaff } from '../../main/services/staff-repo';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';

/**
 * Issue 12 §5: four eyes count people. Accounts the requester created, re-roled, reactivated
 * or reset never approve their requests; any account changed that way approves nothing for the
 * cooling period; the administrator and compliance officer roles are granted only with a second
 * holder's approval.
 */

const DAY = 24 * 60 * 60 * 1000;
const TEMP = 'temporary password 1';
const OWN = 'own password 12345';

let t: TestBackend;
let clock: ManualClock;
let ada: Session;
let accountId: string;
let government: string;
let acquirer: string;
let fileNo = 0;
afterEach(async () => t?.close());

/**
 * Ada is the first administrator. Cora (compliance) and Rhea (administrator) are provisioned
 * directly (as the command line would), so neither is in anyone's lineage: they are the
 * independent second people the tests need.
 */
async function setup() {
  clock = new ManualClock();
  t = await openTestBackend({ clock });
  ada = t.backend.openSession();
  await t.call(ada, 'setup.createFirstAdmin', ADMIN);
  const cora = await signedInAs(t, 'compliance_officer', 'cora');
  await signedInAs(t, 'administrator', 'rhea');
  const me = (await t.call(ada, 'staff.list', {})).find((x) => x.username === 'ada')!;
  accountId = (await fixtureWriter(t, me.id).create({ lastName: 'Safe' })).id;
  government = (
    await t.call(cora, 'recipients.create', {
      name: 'County Police',
      type: 'government_agency',
      contact: '1 Main Street, Springfield',
    })
  ).id;
  acquirer = (
    await t.call(cora, 'recipients.create', {
      name: 'Buyer Inc',
      type: 'acquirer',
      contact: '2 Main Street, Springfield',
    })
  ).id;
}

/** A new session signed in as `username` (sessions idle-lock when the clock moves on). */
async function as(username: string, password = STAFF_PASSWORD): Promise<Session> {
  const s = t.backend.openSession();
  const info = await t.call(s, 'auth.login', { username, password });
  if (info.mustChangePassword) {
    await t.call(s, 'auth.changePassword', {
      currentPassword: password,
      password: OWN,
      passwordConfirm: OWN,
    });
  }
  return s;
}

const admin = () => as(ADMIN.username, ADMIN.password);

async function member(username: string): Promise<StaffSummary> {
  return (await t.call(await admin(), 'staff.list', {})).find((m) => m.username === username)!;
}

async function create(by: Session, username: string, role: Role): Promise<StaffSummary> {
  return t.call(by, 'staff.create', {
    username,
    displayName: `${username} person`,
    role,
    temporaryPassword: TEMP,
  });
}

async function approveGrantOf(by: Session, staffId: string) {
  const grant = (await t.call(by, 'staff.grants', {})).find((g) => g.staffId === staffId);
  if (!grant) throw new Error('no pending grant for that account');
  return t.call(by, 'staff.decideGrant', { id: grant.id, decision: 'approved' });
}

async function exigent(by: Session): Promise<string> {
  const r = await t.call(by, 'disclosures.request', {
    recipientId: government,
    purpose: 'exigent_circumstances',
    accountIds: [accountId],
    fields: ['lastName'],
    format: 'csv',
    justification: 'Credible threat to the customer reported by police, case 77-1.',
  } as Input<'disclosures.request'>);
  expect(r.status).toBe('pending');
  return r.requestId!;
}

async function transfer(by: Session): Promise<string> {
  const r = await t.call(by, 'disclosures.request', {
    recipientId: acquirer,
    purpose: 'business_transfer',
    accountIds: [],
    allAccounts: true,
    fields: ['accountNumber', 'lastName'],
    format: 'csv',
  } as Input<'disclosures.request'>);
  expect(r.status).toBe('pending');
  return r.requestId!;
}

const approve = (s: Session, requestId: string) =>
  t.call(s, 'disclosures.decide', { requestId, decision: 'approved' });
const refusal = async (s: Session, requestId: string) => {
  const e = await t.fail(s, 'disclosures.decide', { requestId, decision: 'approved' });
  expect(e.code).toBe('FORBIDDEN');
  return e.message;
};
const files = () => {
  const dir = path.join(t.dir, 'exports');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('an approver may not be an account the requester made or changed', () => {
  it('created: an administrator cannot approve their own exigent request through a compliance officer they created, ever', async () => {
    await setup();
    const cobb = await create(ada, 'cobb', 'compliance_officer');
    await approveGrantOf(await as('cora'), cobb.id);
    clock.advance(30 * DAY); // long past the cooling period: the lineage never expires
    const id = await exigent(await admin());
    const message = await refusal(await as('cobb', TEMP), id);
    expect(message).toBe(
      'You cannot approve this request: your account was created by its requester (Ada Admin) on 2026-11-25; ' +
        'a second person must be someone the others on it did not create, re-role, reactivate or reset, and whose account nobody changed that way in the last 7 days.',
    );
    // An independent compliance officer can.
    expect((await approve(await as('cora'), id)).status).toBe('approved');
  });

  const changes: [string, (admin: Session, rita: StaffSummary) => Promise<void>, RegExp][] = [
    [
      're-roled',
      async (a, rita) => {
        // Ada moves Rita away from compliance; Rhea gives it back (approved by Cora).
        await t.call(a, 'staff.update', {
          id: rita.id,
          version: rita.version,
          role: 'support_agent',
        });
        await t.call(await as('rhea'), 'staff.update', {
          id: rita.id,
          version: rita.version + 1,
          role: 'compliance_officer',
        });
        await approveGrantOf(await as('cora'), rita.id);
      },
      /your account had its role changed by its requester \(Ada Admin\) on 2026-11-25/,
    ],
    [
      'reactivated',
      async (a, rita) => {
        await t.call(await as('rhea'), 'staff.update', {
          id: rita.id,
          version: rita.version,
          active: false,
        });
        const off = await member('rita');
        const back = await t.call(a, 'staff.update', {
          id: off.id,
          version: off.version,
          active: true,
        });
        expect(back.active).toBe(false); // held until a second holder approves
        expect(back.pendingGrant).toMatchObject({ role: 'compliance_officer', kind: 'reactivate' });
        await approveGrantOf(await as('cora'), rita.id);
      },
      /your account was reactivated by its requester \(Ada Admin\) on 2026-11-25/,
    ],
    [
      'password-reset',
      async (a, rita) => {
        await t.call(a, 'staff.resetPassword', { id: rita.id, temporaryPassword: TEMP });
      },
      /your account had its password reset by its requester \(Ada Admin\) on 2026-11-25/,
    ],
  ];
  it.each(changes)(
    '%s by the requester: refused, with the reason',
    async (_name, change, reason) => {
      await setup();
      await signedInAs(t, 'compliance_officer', 'rita');
      await change(await admin(), await member('rita'));
      clock.advance(10 * DAY);
      const id = await exigent(await admin());
      const rita = await as(
        'rita',
        (await member('rita')).mustChangePassword ? TEMP : STAFF_PASSWORD,
      );
      expect(await refusal(rita, id)).toMatch(reason);
      const inbox = await t.call(await as('cora'), 'disclosures.inbox', {});
      expect(inbox.find((r) => r.id === id)).toMatchObject({ status: 'pending' });
    },
  );

  it('the other direction too: an approver who made the requester\u2019s account is not a second person', async () => {
    await setup();
    // Rhea creates Sam (a support agent) and Cobb (compliance). Sharing a creator is normal in a
    // company: Cobb counts as a second person on Sam's request.
    const rhea = await as('rhea');
    await create(rhea, 'sam', 'support_agent');
    const cobb = await create(rhea, 'cobb', 'compliance_officer');
    await approveGrantOf(await as('cora'), cobb.id);
    clock.advance(10 * DAY);
    const id = await exigent(await as('sam', TEMP));
    // Cobb was not made by Sam, and did not make Sam: Cobb counts as a second person.
    expect((await approve(await as('cobb', TEMP), id)).status).toBe('approved');
    // Rhea herself, once a compliance officer, does not: she made Sam's account.
    const id2 = await exigent(await as('sam', OWN));
    const rheaRow = await member('rhea');
    await t.call(await admin(), 'staff.update', {
      id: rheaRow.id,
      version: rheaRow.version,
      role: 'compliance_officer',
    });
    await approveGrantOf(await as('cora'), rheaRow.id);
    clock.advance(10 * DAY);
    expect(await refusal(await as('rhea'), id2)).toMatch(
      /you created the account of its requester \(sam person\) on 2026-11-25/,
    );
  });
});

describe('business transfer needs two separate people besides the requester', () => {
  it('an administrator approver and a compliance approver one of them created are one person', async () => {
    await setup();
    // Ada creates an administrator (approved by Cora), who creates a compliance officer.
    const puppet = await create(ada, 'pip', 'administrator');
    await approveGrantOf(await as('cora'), puppet.id);
    clock.advance(10 * DAY);
    const pip = await as('pip', TEMP);
    const id = await transfer(await admin());
    // Ada's own administrator cannot approve Ada's transfer.
    expect(await refusal(pip, id)).toMatch(
      /your account was created by its requester \(Ada Admin\)/,
    );
    // Rhea (independent) approves as administrator; a compliance officer Rhea made cannot be the second.
    const rhea = await as('rhea');
    const cobb = await create(rhea, 'cobb', 'compliance_officer');
    await approveGrantOf(await as('cora'), cobb.id);
    clock.advance(10 * DAY);
    expect((await approve(await as('rhea'), id)).status).toBe('pending');
    expect(await refusal(await as('cobb', TEMP), id)).toMatch(
      /your account was created by the administrator who approved it \(administrator user\) on 2026-12-05/,
    );
    // Cora is a separate person from Ada and Rhea: the transfer goes ahead.
    expect((await approve(await as('cora'), id)).status).toBe('approved');
    const done = await t.call(await admin(), 'disclosures.execute', {
      requestId: id,
      fileName: `transfer-${++fileNo}.csv`,
    });
    expect(done.status).toBe('completed');
    expect(done.record!.approvers.map((a) => a.name).sort()).toEqual([
      'administrator user',
      'compliance_officer user',
    ]);
  });

  it('the administrator approver may not be the one who created the compliance approver either (order reversed)', async () => {
    await setup();
    const rhea = await as('rhea');
    const cobb = await create(rhea, 'cobb', 'compliance_officer');
    await approveGrantOf(await as('cora'), cobb.id);
    clock.advance(10 * DAY);
    const id = await transfer(await admin());
    expect((await approve(await as('cobb', TEMP), id)).status).toBe('pending');
    expect(await refusal(await as('rhea'), id)).toMatch(
      /you created the account of the compliance officer who approved it \(cobb person\)/,
    );
  });
});

describe('the cooling period', () => {
  it('an account created by someone else approves nothing for 7 days: 2 days refused, 8 days allowed', async () => {
    await setup();
    const cobb = await create(await as('rhea'), 'cobb', 'compliance_officer');
    await approveGrantOf(await as('cora'), cobb.id);
    clock.advance(2 * DAY);
    const id = await exigent(await admin());
    expect(await refusal(await as('cobb', TEMP), id)).toMatch(
      /your account was created by administrator user on 2026-11-25 09:00 UTC, less than 7 days ago; .* \(until 2026-12-02 09:00 UTC\)/,
    );
    clock.advance(6 * DAY);
    expect((await approve(await as('cobb', OWN), id)).status).toBe('approved');
    expect(
      (
        await t.call(await admin(), 'disclosures.execute', {
          requestId: id,
          fileName: `ok-${++fileNo}.csv`,
        })
      ).status,
    ).toBe('completed');
  });

  it('a reset by a third person also starts it, and the grant taking effect starts it anew', async () => {
    await setup();
    const cora = (await member('cora'))!;
    await t.call(await as('rhea'), 'staff.resetPassword', { id: cora.id, temporaryPassword: TEMP });
    clock.advance(3 * DAY);
    const id = await exigent(await admin());
    expect(await refusal(await as('cora', TEMP), id)).toMatch(
      /had its password reset by administrator user .* less than 7 days ago/,
    );
    clock.advance(5 * DAY);
    expect((await approve(await as('cora', OWN), id)).status).toBe('approved');

    // A role grant approved 6 days after it was asked for: the 7 days count from the approval.
    // Rhea reset Cora: Cora may not approve a grant Rhea asks for (lineage); Ada may.
    const cobb = await create(await as('rhea'), 'cobb', 'compliance_officer');
    clock.advance(6 * DAY);
    const fromCora = (await t.call(await as('cora', OWN), 'staff.grants', {}))[0]!;
    expect(fromCora.cannotApprove).toMatch(
      /your account had its password reset by the person who asked for it \(administrator user\)/,
    );
    await approveGrantOf(await admin(), cobb.id);
    clock.advance(3 * DAY);
    const id2 = await exigent(await admin());
    expect(await refusal(await as('cobb', TEMP), id2)).toMatch(
      /was given its role at the request of administrator user/,
    );
  });

  it('an account created through the command line with no administrator approval waits too', async () => {
    // Covered by cli.test.ts for the command itself; here the grant of a command-line account
    // (no granter) starts the cooling period when it is approved.
    await setup();
    const db = t.backend.services.db;
    const id = await insertStaff(db, {
      username: 'cliff',
      displayName: 'Cliff Cli',
      role: 'administrator',
      password: STAFF_PASSWORD,
      mustChangePassword: false,
      now: clock.now(),
      actorId: null,
      via: 'command line',
      active: false,
    });
    await insertRoleGrant(db, {
      staffId: id,
      role: 'administrator',
      kind: 'create',
      activate: true,
      granterId: null,
      now: clock.now(),
    });
    expect(
      (
        await t.fail(t.backend.openSession(), 'auth.login', {
          username: 'cliff',
          password: STAFF_PASSWORD,
        })
      ).code,
    ).toBe('UNAUTHENTICATED');
    const grants = await t.call(await admin(), 'staff.grants', {});
    expect(grants).toMatchObject([
      { username: 'cliff', requestedBy: 'the command line', cannotApprove: null },
    ]);
    await approveGrantOf(await admin(), id);
    const tid = await transfer(await as('rhea'));
    expect(await refusal(await as('cliff'), tid)).toMatch(
      /was given its role at the request of the command line on 2026-11-25 09:00 UTC, less than 7 days ago/,
    );
  });
});

describe('an approval that stops counting before the request is carried out', () => {
  const later: [string, (a: Session, cora: StaffSummary) => Promise<unknown>, RegExp][] = [
    [
      'password reset',
      (a, cora) => t.call(a, 'staff.resetPassword', { id: cora.id, temporaryPassword: TEMP }),
      /had its password reset by its requester \(Ada Admin\)/,
    ],
    [
      're-role',
      (a, cora) =>
        t.call(a, 'staff.update', { id: cora.id, version: cora.version, role: 'support_agent' }),
      /had its role changed by its requester \(Ada Admin\)/,
    ],
  ];
  it.each(later)(
    'requester %s of the approver after approval: execute refuses',
    async (_n, act, reason) => {
      await setup();
      const id = await exigent(await admin());
      expect((await approve(await as('cora'), id)).status).toBe('approved');
      const before = files();
      await act(await admin(), await member('cora'));
      const out = await t.call(await admin(), 'disclosures.execute', {
        requestId: id,
        fileName: `late-${++fileNo}.csv`,
      });
      expect(out.status).toBe('refused');
      expect(out.reasons[0]).toMatch(
        /^the approval by compliance_officer user \(Compliance officer\) does not count: the account of compliance_officer user /,
      );
      expect(out.reasons[0]).toMatch(reason);
      expect(out.reasons.join('\n')).toMatch(/still waiting for Compliance officer/);
      expect(files()).toEqual(before);
      const last = await t.backend.services.db('disclosure_log').orderBy('seq', 'desc').first();
      expect(last).toMatchObject({ kind: 'refused', purpose: 'exigent_circumstances' });
      expect(String(last.refusal)).toMatch(/does not count/);
    },
  );
});

describe('granting the administrator or compliance officer role needs a second holder', () => {
  it('a new compliance officer is pending and cannot sign in until another holder approves', async () => {
    await setup();
    const made = await create(ada, 'cobb', 'compliance_officer');
    expect(made).toMatchObject({
      role: 'compliance_officer',
      active: false,
      pendingGrant: { role: 'compliance_officer', kind: 'create', requestedBy: 'Ada Admin' },
    });
    const login = await t.fail(t.backend.openSession(), 'auth.login', {
      username: 'cobb',
      password: TEMP,
    });
    expect(login.code).toBe('UNAUTHENTICATED');
    // The granter cannot approve their own grant; the grantee could not even sign in.
    const grants = await t.call(await admin(), 'staff.grants', {});
    expect(grants[0]!.cannotApprove).toMatch(/You asked for this role grant/);
    const own = await t.fail(await admin(), 'staff.decideGrant', {
      id: grants[0]!.id,
      decision: 'approved',
    });
    expect(own).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(
        /You asked for this role grant: another administrator or compliance officer must approve it/,
      ),
    });
    // Who may see pending grants: administrators and compliance officers only.
    for (const role of [
      'support_agent',
      'billing_specialist',
      'collections_agent',
      'fraud_analyst',
    ] as const) {
      const s = await signedInAs(t, role, `x${role.slice(0, 6)}`);
      expect((await t.fail(s, 'staff.grants', {})).code).toBe('FORBIDDEN');
      expect(
        (await t.fail(s, 'staff.decideGrant', { id: grants[0]!.id, decision: 'approved' })).code,
      ).toBe('FORBIDDEN');
    }
    const decided = await approveGrantOf(await as('rhea'), made.id);
    expect(decided).toMatchObject({ active: true, currentRole: 'compliance_officer' });
    expect(await member('cobb')).toMatchObject({ active: true, pendingGrant: null });
    await as('cobb', TEMP);
    const events = await t.backend.services
      .db('staff_events')
      .where({ staff_id: made.id })
      .orderBy('id');
    expect(events.map((e) => e.event)).toEqual([
      'created',
      'role_grant_requested',
      'role_grant_approved',
      'role_granted',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/temporary/);
  });

  it('a role change to compliance leaves the member without its rights until approved', async () => {
    await setup();
    const sam = await signedInAs(t, 'support_agent', 'sam');
    const row = await member('sam');
    const asked = await t.call(await admin(), 'staff.update', {
      id: row.id,
      version: row.version,
      role: 'compliance_officer',
    });
    expect(asked).toMatchObject({
      role: 'support_agent',
      active: true,
      pendingGrant: { role: 'compliance_officer', kind: 'role_change' },
    });
    // Still a support agent: no access log, no approvals.
    expect((await t.fail(sam, 'accessLog.list', {} as Input<'accessLog.list'>)).code).toBe(
      'FORBIDDEN',
    );
    expect((await t.fail(sam, 'staff.grants', {})).code).toBe('FORBIDDEN');
    const id = await exigent(await as('rhea'));
    expect(
      (await t.fail(sam, 'disclosures.decide', { requestId: id, decision: 'approved' })).message,
    ).toMatch(/approved by: Compliance officer/);
    // While it waits, the role does not move another way.
    const again = await t.fail(await admin(), 'staff.update', {
      id: row.id,
      version: row.version,
      role: 'billing_specialist',
    });
    expect(again).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/waiting for approval/),
    });
    await approveGrantOf(await as('cora'), row.id);
    // The open session takes the new role at once.
    expect(
      (await t.call(sam, 'accessLog.list', {} as Input<'accessLog.list'>)).entries,
    ).toBeDefined();
  });

  it('the grantee cannot approve their own grant, nor an account the granter made', async () => {
    await setup();
    // Ada makes Pip an administrator (Cora approves); later Ada asks to make Rhea compliance.
    const pip = await create(ada, 'pip', 'administrator');
    await approveGrantOf(await as('cora'), pip.id);
    clock.advance(10 * DAY);
    const rhea = await member('rhea');
    await t.call(await admin(), 'staff.update', {
      id: rhea.id,
      version: rhea.version,
      role: 'compliance_officer',
    });
    const grant = (await t.call(await as('rhea'), 'staff.grants', {}))[0]!;
    expect(grant.cannotApprove).toMatch(/for your own account/);
    expect(
      (await t.fail(await as('rhea'), 'staff.decideGrant', { id: grant.id, decision: 'approved' }))
        .message,
    ).toMatch(/This role grant is for your own account/);
    expect(
      (
        await t.fail(await as('pip', TEMP), 'staff.decideGrant', {
          id: grant.id,
          decision: 'approved',
        })
      ).message,
    ).toMatch(
      /You cannot approve this role grant: your account was created by the person who asked for it \(Ada Admin\) on 2026-11-25/,
    );
    // Rhea is still an administrator until Cora approves.
    expect((await member('rhea')).role).toBe('administrator');
    await approveGrantOf(await as('cora'), rhea.id);
    expect((await member('rhea')).role).toBe('compliance_officer');
  });

  it('a rejection keeps the account as it was; deactivating withdraws a pending grant', async () => {
    await setup();
    const made = await create(ada, 'cobb', 'compliance_officer');
    const grant = (await t.call(await as('cora'), 'staff.grants', {}))[0]!;
    const r = await t.call(await as('cora'), 'staff.decideGrant', {
      id: grant.id,
      decision: 'rejected',
      note: 'Who is this?',
    });
    expect(r).toMatchObject({ active: false });
    expect(
      (await t.fail(await as('cora'), 'staff.decideGrant', { id: grant.id, decision: 'approved' }))
        .message,
    ).toMatch(/already rejected/);
    expect((await member('cobb')).pendingGrant).toBeNull();
    // Reactivating it asks again; deactivating (a no-op here) withdraws that.
    const again = await t.call(await admin(), 'staff.update', {
      id: made.id,
      version: made.version,
      active: true,
    });
    expect(again.pendingGrant).toMatchObject({ kind: 'reactivate' });
    const off = await t.call(await admin(), 'staff.update', {
      id: made.id,
      version: made.version,
      active: false,
    });
    expect(off.pendingGrant).toBeNull();
    expect(await t.call(await as('cora'), 'staff.grants', {})).toEqual([]);
  });

  it('the very first administrator needs nobody: first-run set-up', async () => {
    clock = new ManualClock();
    t = await openTestBackend({ clock });
    const s = t.backend.openSession();
    const info = await t.call(s, 'setup.createFirstAdmin', ADMIN);
    expect(info.user.role).toBe('administrator');
    expect(await t.call(s, 'staff.grants', {})).toEqual([]);
    expect((await t.call(s, 'staff.list', {}))[0]).toMatchObject({
      active: true,
      pendingGrant: null,
    });
  });

  it('non-privileged roles are granted at once, as before', async () => {
    await setup();
    const made = await create(ada, 'fay', 'fraud_analyst');
    expect(made).toMatchObject({ active: true, pendingGrant: null });
    const u = await t.call(ada, 'staff.update', {
      id: made.id,
      version: made.version,
      role: 'billing_specialist',
    });
    expect(u).toMatchObject({ role: 'billing_specialist', pendingGrant: null });
  });
});
