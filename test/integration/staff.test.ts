import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, appendOnlyRefusal, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';
import type { Session } from '../../main/services/session';

let t: TestBackend;
let admin: Session;
afterEach(async () => t?.close());

async function setup() {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
}

const TEMP = 'temporary password 1';

/**
 * A second holder approves a pending grant of the administrator or compliance officer role
 * (four eyes, issue 12 §5): granted by one administrator alone, it would not take effect.
 */
async function approveGrant(by: Session, staffId: string) {
  const grant = (await t.call(by, 'staff.grants', {})).find((g) => g.staffId === staffId)!;
  await t.call(by, 'staff.decideGrant', { id: grant.id, decision: 'approved' });
}

describe('staff administration', () => {
  it('creates staff who must choose a new password at first login', async () => {
    await setup();
    const created = await t.call(admin, 'staff.create', {
      username: 'Carla',
      displayName: 'Carla Collins',
      role: 'collections_agent',
      temporaryPassword: TEMP,
    });
    expect(created).toMatchObject({
      username: 'carla',
      role: 'collections_agent',
      active: true,
      mustChangePassword: true,
    });
    const s = t.backend.openSession();
    expect(
      (await t.call(s, 'auth.login', { username: 'carla', password: TEMP })).mustChangePassword,
    ).toBe(true);
    expect((await t.fail(s, 'accounts.list', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');
    const dup = await t.fail(admin, 'staff.create', {
      username: 'carla',
      displayName: 'Other',
      role: 'support_agent',
      temporaryPassword: TEMP,
    });
    expect(dup.fieldErrors?.username).toMatch(/in use/);
  });

  it('only administrators manage staff', async () => {
    await setup();
    const support = await signedInAs(t, 'support_agent', 'sam');
    for (const [channel, input] of [
      ['staff.list', {}],
      [
        'staff.create',
        { username: 'x1x', displayName: 'X', role: 'administrator', temporaryPassword: TEMP },
      ],
    ] as const) {
      expect((await t.fail(support, channel, input as never)).code).toBe('FORBIDDEN');
    }
  });

  it('deactivating signs the member out at once and blocks login', async () => {
    await setup();
    const sam = await signedInAs(t, 'support_agent', 'sam');
    const row = (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'sam')!;
    await t.call(admin, 'staff.update', { id: row.id, version: row.version, active: false });
    expect((await t.fail(sam, 'accounts.list', {})).code).toBe('UNAUTHENTICATED');
    expect(
      (
        await t.fail(t.backend.openSession(), 'auth.login', {
          username: 'sam',
          password: STAFF_PASSWORD,
        })
      ).code,
    ).toBe('UNAUTHENTICATED');
  });

  it('a role change applies to open sessions immediately', async () => {
    await setup();
    const sam = await signedInAs(t, 'support_agent', 'sam');
    expect((await t.call(sam, 'accounts.fieldAccess', {})).taxId).toBeUndefined();
    const row = (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'sam')!;
    await t.call(admin, 'staff.update', {
      id: row.id,
      version: row.version,
      role: 'fraud_analyst',
    });
    expect((await t.call(sam, 'accounts.fieldAccess', {})).taxId).toBe('read');
  });

  it('never deactivates or demotes the last active administrator', async () => {
    await setup();
    const me = (await t.call(admin, 'staff.list', {}))[0]!;
    const demote = await t.fail(admin, 'staff.update', {
      id: me.id,
      version: me.version,
      role: 'support_agent',
    });
    expect(demote.code).toBe('FORBIDDEN');
    expect(demote.message).toMatch(/last active administrator/);
    const second = await t.call(admin, 'staff.create', {
      username: 'root2',
      displayName: 'Second Admin',
      role: 'administrator',
      temporaryPassword: TEMP,
    });
    // A compliance officer the first administrator did not make approves both role grants.
    const cora = await signedInAs(t, 'compliance_officer', 'cora');
    expect(second.pendingGrant).toMatchObject({ role: 'administrator' });
    await approveGrant(cora, second.id);
    // With a second administrator the first may step down.
    await t.call(admin, 'staff.update', {
      id: me.id,
      version: me.version,
      role: 'compliance_officer',
    });
    await approveGrant(cora, me.id);
    const s2 = t.backend.openSession();
    await t.call(s2, 'auth.login', { username: 'root2', password: TEMP });
    await t.call(s2, 'auth.changePassword', {
      currentPassword: TEMP,
      password: 'second admin secret',
      passwordConfirm: 'second admin secret',
    });
    const fresh = (await t.call(s2, 'staff.list', {})).find((s) => s.id === second.id)!;
    expect(
      (await t.fail(s2, 'staff.update', { id: fresh.id, version: fresh.version, active: false }))
        .message,
    ).toMatch(/own staff account/);
    expect(
      (
        await t.fail(s2, 'staff.update', {
          id: fresh.id,
          version: fresh.version,
          role: 'support_agent',
        })
      ).message,
    ).toMatch(/last active administrator/);
  });

  it('a password reset unlocks, signs out, and forces a new password', async () => {
    await setup();
    const sam = await signedInAs(t, 'support_agent', 'sam');
    const other = t.backend.openSession();
    for (let i = 0; i < 5; i++)
      await t.fail(other, 'auth.login', { username: 'sam', password: 'wrong' });
    const row = (await t.call(admin, 'staff.list', {})).find((s) => s.username === 'sam')!;
    expect(row.lockedUntil).not.toBeNull();
    const reset = await t.call(admin, 'staff.resetPassword', {
      id: row.id,
      temporaryPassword: TEMP,
    });
    expect(reset).toMatchObject({ lockedUntil: null, mustChangePassword: true });
    expect((await t.fail(sam, 'accounts.list', {})).code).toBe('UNAUTHENTICATED');
    expect(
      (await t.call(other, 'auth.login', { username: 'sam', password: TEMP })).mustChangePassword,
    ).toBe(true);
  });

  it('records every staff change in an append-only log without secrets', async () => {
    await setup();
    const c = await t.call(admin, 'staff.create', {
      username: 'fay',
      displayName: 'Fay Fraud',
      role: 'fraud_analyst',
      temporaryPassword: TEMP,
    });
    const u = await t.call(admin, 'staff.update', {
      id: c.id,
      version: c.version,
      role: 'compliance_officer',
    });
    expect(u.pendingGrant).toMatchObject({ role: 'compliance_officer' });
    await approveGrant(await signedInAs(t, 'compliance_officer', 'cora'), c.id);
    await t.call(admin, 'staff.resetPassword', {
      id: u.id,
      temporaryPassword: 'another temporary 2',
    });
    const events = await t.backend.services
      .db('staff_events')
      .where({ staff_id: c.id })
      .orderBy('id');
    expect(events.map((e) => e.event)).toEqual([
      'created',
      'role_grant_requested',
      'role_grant_approved',
      'role_changed',
      'password_reset',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/temporary/);
    await expect(t.backend.services.db('staff_events').del()).rejects.toThrow(appendOnlyRefusal);
  });
});

describe('access matrix administration', () => {
  it('changes a cell with a reason, records old and new, and applies at once', async () => {
    await setup();
    const sam = await signedInAs(t, 'support_agent', 'sam');
    expect((await t.call(sam, 'accounts.fieldAccess', {})).supportNotes).toBe('edit');
    const noReason = await t.fail(admin, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'supportNotes', access: 'read' }],
      reason: 'x',
    });
    expect(noReason.fieldErrors?.reason).toMatch(/why/);
    const m = await t.call(admin, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'supportNotes', access: 'read' }],
      reason: 'Notes are edited by team leads only from now on.',
    });
    expect(m.matrix.support_agent.supportNotes).toBe('read');
    expect(m.defaults.support_agent.supportNotes).toBe('edit');
    expect((await t.call(sam, 'accounts.fieldAccess', {})).supportNotes).toBe('read');
    const log = await t.call(admin, 'visibility.changes', {});
    expect(log[0]).toMatchObject({
      role: 'support_agent',
      field: 'supportNotes',
      oldAccess: 'edit',
      newAccess: 'read',
      changedBy: 'Ada Admin (ada)',
    });
    await expect(
      t.backend.services.db('field_access_changes').update({ reason: 'x' }),
    ).rejects.toThrow(appendOnlyRefusal);
  });

  it('refuses edit on system fields and refuses non-administrators', async () => {
    await setup();
    const err = await t.fail(admin, 'visibility.update', {
      changes: [{ role: 'support_agent', field: 'accountNumber', access: 'edit' }],
      reason: 'Trying something silly here.',
    });
    expect(err.fieldErrors?.['changes.0.access']).toMatch(/set by the system/);
    const comp = await signedInAs(t, 'compliance_officer', 'cora');
    expect(
      (
        await t.fail(comp, 'visibility.update', {
          changes: [{ role: 'compliance_officer', field: 'taxId', access: 'read' }],
          reason: 'I would like to see tax ids.',
        })
      ).code,
    ).toBe('FORBIDDEN');
    expect((await t.call(comp, 'visibility.matrix', {})).matrix.compliance_officer.taxId).toBe(
      'masked',
    );
  });
});
