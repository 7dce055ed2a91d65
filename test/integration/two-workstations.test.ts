/**
 * Two workstations on one database (each its own backend and connection pool, as two Custodian
 * processes would be): the second save of the same account gets the conflict, on both engines.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { STAFF_PASSWORD, signedInAs } from '../support/staff';

let t: TestBackend;
let second: Backend | undefined;
afterAll(async () => {
  await second?.close();
  await t?.close();
});

describe('two workstations', () => {
  it('the second save of the same account is refused with the conflict, never overwriting', async () => {
    t = await openTestBackend();
    const admin = t.backend.openSession();
    await t.call(admin, 'setup.createFirstAdmin', ADMIN);
    const a = await signedInAs(t, 'support_agent', 'amy');
    await signedInAs(t, 'support_agent', 'bob');
    const created = await t.call(a, 'accounts.create', {
      fields: { firstName: 'Shared', lastName: 'Account', city: 'Lyon' },
      provenance: { source: 'phone', date: '2025-01-01' },
    });

    second = await openBackend({
      database: t.database,
      logger: silentLogger,
      exportDir: path.join(t.dir, 'exports2'),
      keyDir: t.dir,
    });
    const b = second.openSession({ hostname: 'workstation-b' });
    const login = await second.invoke(b, 'auth.login', {
      username: 'bob',
      password: STAFF_PASSWORD,
    });
    expect(login.ok).toBe(true);

    const seenByA = await t.call(a, 'accounts.get', { id: created.id });
    const seenByB = await second.invoke(b, 'accounts.get', { id: created.id });
    expect(seenByB.ok && (seenByB.value as { version: number }).version).toBe(seenByA.version);

    await t.call(a, 'accounts.update', {
      id: created.id,
      version: seenByA.version,
      changes: { city: 'Paris' },
      provenance: { source: 'phone', date: '2025-01-02' },
    });
    const late = await second.invoke(b, 'accounts.update', {
      id: created.id,
      version: seenByA.version,
      changes: { city: 'Nice' },
      provenance: { source: 'email', date: '2025-01-02' },
    });
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.code).toBe('CONFLICT');
      expect(
        (late.error.details as { current: { fields: { city: string } } }).current.fields.city,
      ).toBe('Paris');
    }
    expect((await t.call(a, 'accounts.get', { id: created.id })).fields.city).toBe('Paris');
    // The access log records each workstation by name.
    const hosts = await t.backend.services.db('access_log').distinct('hostname');
    expect(hosts.map((h: { hostname: string }) => h.hostname)).toContain('workstation-b');
  });

  it('a revocation in the access matrix on one workstation applies to the next answer on the other', async () => {
    // The first test left two workstations on one database: t (a) and `second` (b).
    const admin = t.backend.openSession();
    await t.call(admin, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
    const b = second!.openSession({ hostname: 'workstation-b' });
    const login = await second!.invoke(b, 'auth.login', {
      username: 'bob',
      password: STAFF_PASSWORD,
    });
    expect(login.ok).toBe(true);
    const bList = async () => {
      const r = await second!.invoke(b, 'accounts.list', { search: 'Account', searchKind: 'name' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { rows: { id: string; fields: Record<string, unknown> }[] };
    };
    const bGet = async (id: string) => {
      const r = await second!.invoke(b, 'accounts.get', { id });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { fields: Record<string, unknown> };
    };
    // b reads (and so keeps the matrix in memory) while the support agent still sees the city.
    const before = await bList();
    const id = before.rows[0]!.id;
    expect(before.rows[0]!.fields.city).toBe('Paris');
    expect((await bGet(id)).fields.city).toBe('Paris');

    // a takes the city away from support agents, then masks it, then gives it back.
    const change = (access: 'hidden' | 'masked' | 'edit') =>
      t.call(admin, 'visibility.update', {
        changes: [{ role: 'support_agent', field: 'city', access }],
        reason: 'Need-to-know review of contact fields',
      });
    await change('hidden');
    const hidden = await bList();
    expect(hidden.rows[0]!.fields).not.toHaveProperty('city');
    expect(JSON.stringify(hidden)).not.toContain('Paris');
    expect(JSON.stringify(await bGet(id))).not.toContain('Paris');

    await change('masked');
    const masked = (await bGet(id)).fields.city;
    expect(masked).not.toBe('Paris');
    expect(String(masked)).toContain('•');

    await change('edit');
    expect((await bList()).rows[0]!.fields.city).toBe('Paris');
    expect((await bGet(id)).fields.city).toBe('Paris');
  });

  it('the database advances the matrix revision on any change to the overrides, however made', async () => {
    const { db, visibility } = t.backend.services;
    const start = await visibility.revision();
    await db('field_access_overrides').insert({
      role: 'billing_specialist',
      field: 'supportNotes',
      access: 'hidden',
    });
    const afterInsert = await visibility.revision();
    expect(afterInsert).toBeGreaterThan(start);
    await db('field_access_overrides')
      .where({ role: 'billing_specialist', field: 'supportNotes' })
      .update({ access: 'masked' });
    const afterUpdate = await visibility.revision();
    expect(afterUpdate).toBeGreaterThan(afterInsert);
    await db('field_access_overrides').where({ role: 'billing_specialist' }).del();
    expect(await visibility.revision()).toBeGreaterThan(afterUpdate);
  });
});
