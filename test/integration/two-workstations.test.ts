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
});
