/**
 * The team server's door in one statement (issue 15, latency): the client certificate's
 * enrolment and the bearer token's session are read together (ServerSessionService.atDoor, on
 * the engine's prepared statements), and judged as the two separate reads were. Nothing is kept
 * between requests: a revocation, a sign-out on another instance, a deactivation or a role change
 * shows on the very next read. Runs on SQLite (prepared statements) and PostgreSQL (knex).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { ServerSessionService } from '../../main/services/server-sessions';
import { systemClock } from '../../main/services/clock';
import type { SignedIn } from '../../main/services/session';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';

let t: TestBackend;
/** Two instances of the server's session service on one database. */
let one: ServerSessionService;
let two: ServerSessionService;
let signedIn: SignedIn;
const SERIAL = '01AB34CD56EF0011223344556677889900';

async function refusalOf(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('not refused');
}

beforeAll(async () => {
  t = await openTestBackend();
  const { services } = t.backend;
  one = new ServerSessionService(services.db, systemClock, undefined, services.hot);
  two = new ServerSessionService(services.db, systemClock);
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  signedIn = { ...admin.signedIn! };
  const { code } = await services.enrolments.issue('door test', null);
  const claimed = await services.enrolments.claimable(code);
  // Lower case on purpose: serials are compared as the certificate spells them, upper case.
  await services.enrolments.complete(claimed.id, {
    serial: SERIAL.toLowerCase(),
    fingerprint: 'AA:BB',
    from: '127.0.0.1',
  });
});

afterAll(async () => {
  await t?.close();
});

describe('the door of a team server call', () => {
  it('refuses a serial no enrolment has, without reading the session', async () => {
    const token = await one.begin(signedIn, { hostname: 'desk', seenIp: '127.0.0.1' });
    const door = await one.atDoor('01FFFF', token);
    expect(door).toEqual({ enrolment: null, session: null });
    const refused = await refusalOf(() =>
      t.backend.services.enrolments.refuseUnlessEnrolled('01FFFF', door.enrolment),
    );
    expect(refused.code).toBe('NOT_ENROLLED');
    expect(refused.message).toMatch(/not one the server issued/);
    await one.end(token);
  });

  it('answers the enrolment and the session of a good certificate and token together', async () => {
    const token = await one.begin(signedIn, { hostname: 'desk', seenIp: '127.0.0.1' });
    const door = await one.atDoor(SERIAL, token);
    expect(door.enrolment).toEqual({ revokedAt: null });
    expect(() =>
      t.backend.services.enrolments.refuseUnlessEnrolled(SERIAL, door.enrolment),
    ).not.toThrow();
    const resumed = await one.resume(token, door.session);
    expect(resumed).toMatchObject({
      staffId: signedIn.staffId,
      username: ADMIN.username,
      role: 'administrator',
      locked: false,
    });
    // An unknown token behind a good certificate: the enrolment still answers, the session not.
    const unknown = await one.atDoor(SERIAL, 'x'.repeat(43));
    expect(unknown).toEqual({ enrolment: { revokedAt: null }, session: null });
    const refused = await refusalOf(() => one.resume('x'.repeat(43), unknown.session));
    expect(refused.code).toBe('UNAUTHENTICATED');
    await one.end(token);
  });

  it('sees a sign-out, a role change and a deactivation made elsewhere on the next read', async () => {
    const { db } = t.backend.services;
    const token = await one.begin(signedIn, { hostname: 'desk', seenIp: '127.0.0.1' });
    await db('staff').where({ id: signedIn.staffId }).update({ role: 'compliance_officer' });
    const changed = await one.atDoor(SERIAL, token);
    expect((await one.resume(token, changed.session)).role).toBe('compliance_officer');

    await db('staff').where({ id: signedIn.staffId }).update({ active: false });
    const inactive = await one.atDoor(SERIAL, token);
    const refused = await refusalOf(() => one.resume(token, inactive.session));
    expect(refused.message).toMatch(/no longer active/);
    await db('staff')
      .where({ id: signedIn.staffId })
      .update({ active: true, role: 'administrator' });

    const other = await one.begin(signedIn, { hostname: 'desk', seenIp: '127.0.0.1' });
    expect((await one.atDoor(SERIAL, other)).session).not.toBeNull();
    await two.end(other); // signed out through another instance
    const ended = await one.atDoor(SERIAL, other);
    expect(ended.session).toBeNull();
    expect((await refusalOf(() => one.resume(other, ended.session))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a revoked enrolment on the next read, whatever the session', async () => {
    const token = await one.begin(signedIn, { hostname: 'desk', seenIp: '127.0.0.1' });
    const { enrolments } = t.backend.services;
    const row = (await enrolments.list()).find((e) => e.label === 'door test')!;
    await enrolments.revoke(row.id, null);
    const door = await one.atDoor(SERIAL, token);
    expect(door.enrolment?.revokedAt).toEqual(expect.any(String));
    expect(door.session).not.toBeNull();
    const refused = await refusalOf(() => enrolments.refuseUnlessEnrolled(SERIAL, door.enrolment));
    expect(refused.code).toBe('NOT_ENROLLED');
    expect(refused.message).toMatch(/enrolment was revoked/);
    await one.end(token);
  });
});
