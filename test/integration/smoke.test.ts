import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';

let t: TestBackend;
afterEach(async () => t?.close());

describe('walking skeleton', () => {
  it('creates the first admin, then an account, lists and edits it', async () => {
    t = await openTestBackend();
    const s = t.backend.openSession();
    expect((await t.call(s, 'app.status', {})).initialised).toBe(false);
    const info = await t.call(s, 'setup.createFirstAdmin', ADMIN);
    expect(info.user.role).toBe('administrator');
    const created = await t.call(s, 'accounts.create', {
      fields: {
        firstName: 'Zoë',
        lastName: 'Ångström',
        email: 'Zoe@Example.com',
        phone: '+1 (555) 010-0199',
        country: 'US',
        postalCode: '94105',
      },
      provenance: { source: 'phone', date: '2026-11-20' },
    });
    expect(created.fields.accountNumber).toBe('C-1000001');
    const page = await t.call(s, 'accounts.list', { search: 'angs' });
    expect(page.rows.map((r) => r.id)).toEqual([created.id]);
    const byPhone = await t.call(s, 'accounts.list', { search: '0199' });
    expect(byPhone.rows).toHaveLength(1);
    const edited = await t.call(s, 'accounts.update', {
      id: created.id,
      version: 1,
      changes: { city: 'Oakland' },
      provenance: { source: 'email', date: '2026-11-24' },
    });
    expect(edited.version).toBe(2);
    const stale = await t.fail(s, 'accounts.update', {
      id: created.id,
      version: 1,
      changes: { city: 'Berkeley' },
      provenance: { source: 'email', date: '2026-11-24' },
    });
    expect(stale.code).toBe('CONFLICT');
  });
});
