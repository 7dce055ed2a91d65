import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS } from '../../main/services/auth';

let t: TestBackend;
afterEach(async () => t?.close());

async function withAdmin(clock?: ManualClock) {
  t = await openTestBackend(clock ? { clock } : {});
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  return admin;
}

describe('first run', () => {
  it('creates the first administrator once, then refuses a second', async () => {
    await withAdmin();
    const other = t.backend.openSession();
    const err = await t.fail(other, 'setup.createFirstAdmin', { ...ADMIN, username: 'eve' });
    expect(err.code).toBe('ALREADY_INITIALISED');
    expect((await t.call(other, 'app.status', {})).initialised).toBe(true);
  });

  it('refuses mismatched passwords next to the confirmation field', async () => {
    t = await openTestBackend();
    const s = t.backend.openSession();
    const err = await t.fail(s, 'setup.createFirstAdmin', {
      ...ADMIN,
      passwordConfirm: 'something else entirely',
    });
    expect(err.code).toBe('VALIDATION');
    expect(err.fieldErrors?.passwordConfirm).toMatch(/differ/);
    expect((await t.call(s, 'app.status', {})).initialised).toBe(false);
  });

  it('stores only a scrypt hash of the password', async () => {
    await withAdmin();
    const row = await t.backend.services.db('staff').first();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(ADMIN.password);
  });
});

describe('login and lockout', () => {
  it('signs in with the right password and refuses the wrong one generically', async () => {
    await withAdmin();
    const s = t.backend.openSession();
    const wrong = await t.fail(s, 'auth.login', { username: 'ada', password: 'nope' });
    expect(wrong.code).toBe('UNAUTHENTICATED');
    const unknown = await t.fail(s, 'auth.login', { username: 'nobody', password: 'nope' });
    expect(unknown.message).toBe(wrong.message);
    const ok = await t.call(s, 'auth.login', { username: 'ADA', password: ADMIN.password });
    expect(ok.user.username).toBe('ada');
  });

  it(`locks the staff account for ${LOCKOUT_MINUTES} minutes after ${MAX_FAILED_ATTEMPTS} failures, even for the right password`, async () => {
    const clock = new ManualClock();
    await withAdmin(clock);
    const s = t.backend.openSession();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) {
      expect((await t.fail(s, 'auth.login', { username: 'ada', password: 'wrong' })).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    const locked = await t.fail(s, 'auth.login', { username: 'ada', password: 'wrong' });
    expect(locked.code).toBe('LOGIN_LOCKED');
    expect(locked.message).toMatch(/locked for 15 minutes/);
    expect(
      (await t.fail(s, 'auth.login', { username: 'ada', password: ADMIN.password })).code,
    ).toBe('LOGIN_LOCKED');
    clock.advance(LOCKOUT_MINUTES * 60_000 - 1000);
    expect(
      (await t.fail(s, 'auth.login', { username: 'ada', password: ADMIN.password })).code,
    ).toBe('LOGIN_LOCKED');
    clock.advance(2000);
    expect(
      (await t.call(s, 'auth.login', { username: 'ada', password: ADMIN.password })).user.username,
    ).toBe('ada');
  });

  it('a success resets the failure count', async () => {
    await withAdmin();
    const s = t.backend.openSession();
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++)
      await t.fail(s, 'auth.login', { username: 'ada', password: 'x' });
    await t.call(s, 'auth.login', { username: 'ada', password: ADMIN.password });
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++) {
      expect((await t.fail(s, 'auth.login', { username: 'ada', password: 'x' })).code).toBe(
        'UNAUTHENTICATED',
      );
    }
  });

  it('refuses customer data to a caller that has not signed in, and after logout', async () => {
    const admin = await withAdmin();
    const anon = t.backend.openSession();
    expect((await t.fail(anon, 'accounts.list', {})).code).toBe('UNAUTHENTICATED');
    await t.call(admin, 'auth.logout', {});
    expect((await t.fail(admin, 'accounts.list', {})).code).toBe('UNAUTHENTICATED');
  });
});

describe('idle auto-lock', () => {
  it('locks a session idle longer than the setting and unlocks with the password', async () => {
    const clock = new ManualClock();
    const s = await withAdmin(clock);
    await t.call(s, 'settings.update', { idleLockMinutes: 5 });
    clock.advance(4 * 60_000);
    await t.call(s, 'accounts.list', {});
    clock.advance(4 * 60_000); // activity above restarted the timer
    await t.call(s, 'accounts.list', {});
    clock.advance(5 * 60_000 + 1);
    expect((await t.fail(s, 'accounts.list', {})).code).toBe('SESSION_LOCKED');
    const status = await t.call(s, 'app.status', {});
    expect(status.session?.locked).toBe(true);
    expect((await t.fail(s, 'auth.unlock', { password: 'wrong' })).code).toBe('UNAUTHENTICATED');
    await t.call(s, 'auth.unlock', { password: ADMIN.password });
    await t.call(s, 'accounts.list', {});
  });

  it('an explicit lock blocks data until unlock', async () => {
    const s = await withAdmin();
    await t.call(s, 'auth.lock', {});
    expect(
      (await t.fail(s, 'accounts.get', { id: '0193a6d2-0000-7000-8000-000000000000' })).code,
    ).toBe('SESSION_LOCKED');
  });

  it('too many wrong unlock attempts sign the session out and lock the staff account', async () => {
    const s = await withAdmin();
    await t.call(s, 'auth.lock', {});
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++)
      await t.fail(s, 'auth.unlock', { password: 'x' });
    expect((await t.fail(s, 'auth.unlock', { password: 'x' })).code).toBe('LOGIN_LOCKED');
    expect((await t.call(s, 'app.status', {})).session).toBeNull();
  });

  it('only an administrator may change the idle setting', async () => {
    const s = await withAdmin();
    await t.backend.services.auth.createStaff({
      username: 'sam',
      displayName: 'Sam Support',
      role: 'support_agent',
      password: 'support password 1',
      mustChangePassword: false,
    });
    const sam = t.backend.openSession();
    await t.call(sam, 'auth.login', { username: 'sam', password: 'support password 1' });
    expect((await t.fail(sam, 'settings.update', { idleLockMinutes: 60 })).code).toBe('FORBIDDEN');
    expect(
      (await t.fail(s, 'settings.update', { idleLockMinutes: 0 })).fieldErrors?.idleLockMinutes,
    ).toBeTruthy();
  });
});

describe('password change required', () => {
  it('blocks everything but the password change until it is done', async () => {
    await withAdmin();
    await t.backend.services.auth.createStaff({
      username: 'bob',
      displayName: 'Bob',
      role: 'billing_specialist',
      password: 'temporary password',
      mustChangePassword: true,
    });
    const s = t.backend.openSession();
    const info = await t.call(s, 'auth.login', { username: 'bob', password: 'temporary password' });
    expect(info.mustChangePassword).toBe(true);
    expect((await t.fail(s, 'accounts.list', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');
    const same = await t.fail(s, 'auth.changePassword', {
      currentPassword: 'temporary password',
      password: 'temporary password',
      passwordConfirm: 'temporary password',
    });
    expect(same.fieldErrors?.password).toBeTruthy();
    await t.call(s, 'auth.changePassword', {
      currentPassword: 'temporary password',
      password: 'a brand new secret',
      passwordConfirm: 'a brand new secret',
    });
    await t.call(s, 'accounts.list', {});
  });
});
