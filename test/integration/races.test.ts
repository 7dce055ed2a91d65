/**
 * Rules that count rows and then write (issue 12 section 6): run by two backends on one database
 * at the same moment (two connection pools on PostgreSQL, two connections to the file on
 * SQLite), not one after the other, many rounds and both orders.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import type { Session } from '../../main/services/session';
import type { Role } from '../../shared/roles';
import { ADMIN, ManualClock, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { STAFF_PASSWORD } from '../support/staff';

let t: TestBackend;
let other: Backend | undefined;
let db: Knex;
afterEach(async () => {
  await other?.close();
  other = undefined;
  await t?.close();
});

/** A clock past the approvers' cooling period (four eyes), shared by both backends. */
const later = () => new ManualClock(Date.now() + 30 * 24 * 60 * 60 * 1000);

/** The test backend and a second one on the same database and folders. */
async function twoBackends(): Promise<[Backend, Backend]> {
  const clock = later();
  t = await openTestBackend({ clock });
  db = t.backend.services.db;
  await t.call(t.backend.openSession(), 'setup.createFirstAdmin', ADMIN);
  const folders = {
    exportDir: path.join(t.dir, 'exports'),
    keyDir: t.dir,
    witnessDirs: [path.join(t.dir, 'witness')],
  };
  other = await openBackend({ database: t.database, logger: silentLogger, clock, ...folders });
  return [t.backend, other];
}

let made = 0;
/** A staff member made directly (no four-eyes grant), signed in on `backend`. */
async function staffOn(backend: Backend, role: Role): Promise<{ id: string; session: Session }> {
  const username = `${role.replace(/_/g, '')}${++made}`;
  await t.backend.services.auth.createStaff({
    username,
    displayName: `${role} ${made}`,
    role,
    password: STAFF_PASSWORD,
    mustChangePassword: false,
  });
  return {
    id: (await db('staff').where({ username }).first('id')).id,
    session: await login(backend, username),
  };
}

async function login(
  backend: Backend,
  username: string,
  password = STAFF_PASSWORD,
): Promise<Session> {
  const session = backend.openSession();
  const r = await backend.invoke(session, 'auth.login', { username, password });
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return session;
}

const activeAdmins = async () =>
  (await db('staff').where({ role: 'administrator', active: true }).pluck('id')) as string[];
const versionOf = async (id: string) =>
  Number((await db('staff').where({ id }).first('version')).version);

describe('the last active administrator', { timeout: 240_000 }, () => {
  it('two administrators deactivating (or demoting) each other at once: one stays, in either order', async () => {
    const [b1, b2] = await twoBackends();
    let [current] = await activeAdmins();
    let currentSession = await login(b1, ADMIN.username, ADMIN.password);
    let currentOn = b1;
    for (let round = 0; round < 12; round++) {
      // The current administrator on one backend, a new one on the other.
      const newOn = currentOn === b1 ? b2 : b1;
      const fresh = await staffOn(newOn, 'administrator');
      expect(await activeAdmins()).toHaveLength(2);
      const change = round % 3 === 2 ? { role: 'support_agent' as const } : { active: false };
      const versions = [await versionOf(fresh.id), await versionOf(current!)];
      const mine = () =>
        currentOn.invoke(currentSession, 'staff.update', {
          id: fresh.id,
          version: versions[0],
          ...change,
        });
      const theirs = () =>
        newOn.invoke(fresh.session, 'staff.update', {
          id: current!,
          version: versions[1],
          ...change,
        });
      const results = await Promise.all(round % 2 === 0 ? [mine(), theirs()] : [theirs(), mine()]);
      const admins = await activeAdmins();
      expect(admins, `round ${round}`).toHaveLength(1);
      const ok = results.filter((r) => r.ok);
      expect(ok, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      const refused = results.find((r) => !r.ok)!;
      if (!refused.ok) {
        // Refused by the rule, or because the refusing side was itself just removed: never a
        // database error.
        expect(['FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT'], JSON.stringify(refused)).toContain(
          refused.error.code,
        );
      }
      // The survivor carries on in the next round.
      if (admins[0] === fresh.id) {
        current = fresh.id;
        currentSession = fresh.session;
        currentOn = newOn;
      }
    }
  });
});

describe('other counts before a write', { timeout: 240_000 }, () => {
  /** A registered recipient of a type, made by a compliance officer. */
  async function recipient(
    session: Session,
    type: 'government_agency' | 'acquirer',
  ): Promise<string> {
    const r = await t.backend.invoke(session, 'recipients.create', {
      name: `${type} ${++made}`,
      type,
      contact: '1 Main Street, Springfield',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return (r.value as { id: string }).id;
  }

  async function customer(): Promise<string> {
    const fx = fixtureWriter(
      t,
      (await db('staff').where({ username: ADMIN.username }).first('id')).id,
    );
    return (await fx.create({ lastName: `Race${++made}` })).id;
  }

  it('two approvers of one role approving at once: one approval counts, the other is told', async () => {
    const [b1, b2] = await twoBackends();
    const requester = await staffOn(b1, 'compliance_officer');
    const a = await staffOn(b1, 'compliance_officer');
    const b = await staffOn(b2, 'compliance_officer');
    const admin = await staffOn(b2, 'administrator');
    const agency = await recipient(requester.session, 'government_agency');
    const acquirer = await recipient(requester.session, 'acquirer');
    const account = await customer();
    for (let round = 0; round < 8; round++) {
      // Exigent (one compliance approval admits it) and business transfer (one compliance
      // approval, then an administrator's).
      const transfer = round % 2 === 1;
      const asked = await b1.invoke(requester.session, 'disclosures.request', {
        purpose: transfer ? 'business_transfer' : 'exigent_circumstances',
        recipientId: transfer ? acquirer : agency,
        accountIds: transfer ? [] : [account],
        allAccounts: transfer,
        fields: ['lastName'],
        format: 'csv',
        ...(transfer ? {} : { justification: 'Threat to the customer reported by police.' }),
      });
      expect(asked.ok, JSON.stringify(asked)).toBe(true);
      const requestId = (asked as { value: { requestId: string } }).value.requestId;
      const decide = (backend: Backend, s: Session) =>
        backend.invoke(s, 'disclosures.decide', { requestId, decision: 'approved' });
      const pair =
        round % 4 < 2
          ? [decide(b1, a.session), decide(b2, b.session)]
          : [decide(b2, b.session), decide(b1, a.session)];
      const results = await Promise.all(pair);
      const approvals = await db('disclosure_approvals').where({ request_id: requestId });
      expect(approvals, `round ${round}`).toHaveLength(1);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const loser = results.find((r) => !r.ok)!;
      expect(!loser.ok && loser.error.code, JSON.stringify(loser)).toBe('CONFLICT');
      const status = (await db('disclosure_requests').where({ id: requestId }).first('status'))
        .status;
      expect(status).toBe(transfer ? 'pending' : 'approved');
      if (transfer) {
        const adminSays = await b2.invoke(admin.session, 'disclosures.decide', {
          requestId,
          decision: 'rejected',
        });
        expect(adminSays.ok).toBe(true);
      }
    }
  });

  it('an approval racing a rejection: the request ends as the decision that was recorded', async () => {
    const [b1, b2] = await twoBackends();
    const requester = await staffOn(b1, 'compliance_officer');
    const a = await staffOn(b1, 'compliance_officer');
    const b = await staffOn(b2, 'compliance_officer');
    const agency = await recipient(requester.session, 'government_agency');
    const account = await customer();
    for (let round = 0; round < 8; round++) {
      const asked = await b1.invoke(requester.session, 'disclosures.request', {
        purpose: 'exigent_circumstances',
        recipientId: agency,
        accountIds: [account],
        allAccounts: false,
        fields: ['lastName'],
        format: 'csv',
        justification: 'Threat to the customer reported by police.',
      });
      const requestId = (asked as { value: { requestId: string } }).value.requestId;
      const approve = () =>
        b1.invoke(a.session, 'disclosures.decide', { requestId, decision: 'approved' });
      const reject = () =>
        b2.invoke(b.session, 'disclosures.decide', { requestId, decision: 'rejected' });
      const results = await Promise.all(round % 2 ? [approve(), reject()] : [reject(), approve()]);
      expect(
        results.filter((r) => r.ok),
        `round ${round}`,
      ).toHaveLength(1);
      const approvals = await db('disclosure_approvals').where({ request_id: requestId });
      expect(approvals).toHaveLength(1);
      const status = (await db('disclosure_requests').where({ id: requestId }).first('status'))
        .status;
      expect(status).toBe(approvals[0].decision === 'approved' ? 'approved' : 'rejected');
    }
  });

  it('the same hold set twice at once: one hold, both settings recorded, no error', async () => {
    const [b1, b2] = await twoBackends();
    const x = await staffOn(b1, 'compliance_officer');
    const y = await staffOn(b2, 'billing_specialist');
    for (let round = 0; round < 8; round++) {
      const accountId = await customer();
      const set = (backend: Backend, s: Session, note: string) =>
        backend.invoke(s, 'holds.set', {
          accountId,
          kind: 'bankruptcy',
          since: '2026-01-02',
          note,
        });
      const results = await Promise.all(
        round % 2
          ? [set(b1, x.session, 'first'), set(b2, y.session, 'second')]
          : [set(b2, y.session, 'second'), set(b1, x.session, 'first')],
      );
      for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(await db('account_holds').where({ account_id: accountId })).toHaveLength(1);
      expect(await db('hold_events').where({ account_id: accountId, event: 'set' })).toHaveLength(
        2,
      );
    }
  });

  it('one cell of the visibility matrix changed by two administrators at once: both recorded in turn', async () => {
    const [b1, b2] = await twoBackends();
    const x = await login(b1, ADMIN.username, ADMIN.password);
    const y = (await staffOn(b2, 'administrator')).session;
    const levels = ['masked', 'hidden', 'read'] as const;
    for (let round = 0; round < 6; round++) {
      const change = (backend: Backend, s: Session, access: (typeof levels)[number]) =>
        backend.invoke(s, 'visibility.update', {
          changes: [{ role: 'support_agent', field: 'phone', access }],
          reason: `round ${round}: a race between two administrators`,
        });
      const first = levels[round % 3]!;
      const second = levels[(round + 1) % 3]!;
      const results = await Promise.all(
        round % 2
          ? [change(b1, x, first), change(b2, y, second)]
          : [change(b2, y, second), change(b1, x, first)],
      );
      for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
      const overrides = await db('field_access_overrides').where({
        role: 'support_agent',
        field: 'phone',
      });
      expect(overrides.length).toBeLessThanOrEqual(1);
      // The history chains: each change's old value is the value before it.
      const history = await db('field_access_changes')
        .where({ role: 'support_agent', field: 'phone' })
        .orderBy('id');
      for (let i = 1; i < history.length; i++)
        expect(history[i].old_access, `change ${i}`).toBe(history[i - 1].new_access);
    }
  });

  it('two batch sends over the same accounts at once: each account placed once', async () => {
    const [b1, b2] = await twoBackends();
    const x = await staffOn(b1, 'collections_agent');
    const y = await staffOn(b2, 'collections_agent');
    const comp = await staffOn(b1, 'compliance_officer');
    const agencyR = await t.backend.invoke(comp.session, 'recipients.create', {
      name: 'Acme Collections',
      type: 'collection_agency',
      contact: '9 Debt Lane',
    });
    const agency = (agencyR as { value: { id: string } }).value.id;
    const fx = fixtureWriter(
      t,
      (await db('staff').where({ username: ADMIN.username }).first('id')).id,
    );
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 6; i++)
        await fx.create({
          lastName: `Owes${round}-${i}`,
          standing: 'bad_standing',
          balanceCents: 1000,
          currency: 'EUR',
        });
      const send = (backend: Backend, s: Session, fileName: string) =>
        backend.invoke(s, 'batches.send', {
          agencyId: agency,
          currency: 'EUR',
          format: 'csv',
          fileName,
        });
      const results = await Promise.all([
        send(b1, x.session, `x${round}.csv`),
        send(b2, y.session, `y${round}.csv`),
      ]);
      const ok = results.filter((r) => r.ok);
      expect(ok, JSON.stringify(results)).toHaveLength(1);
      const loser = results.find((r) => !r.ok)!;
      expect(!loser.ok && loser.error.message).toMatch(/nothing to place/);
      const active = await db('collection_placements').where({ active: true });
      const perAccount = new Map<string, number>();
      for (const p of active) perAccount.set(p.account_id, (perAccount.get(p.account_id) ?? 0) + 1);
      expect([...perAccount.values()].every((n) => n === 1)).toBe(true);
      expect(perAccount.size).toBe(6 * (round + 1));
    }
  });

  it('one approved request executed twice at once: one disclosure, the other told', async () => {
    const [b1, b2] = await twoBackends();
    const requester = await staffOn(b1, 'compliance_officer');
    const requesterElsewhere = await login(b2, (await staffName(requester.id)).username);
    const approver = await staffOn(b2, 'compliance_officer');
    const agency = await recipient(requester.session, 'government_agency');
    const account = await customer();
    for (let round = 0; round < 6; round++) {
      const requestId = await askExigent(b1, requester.session, agency, account);
      const approved = await b2.invoke(approver.session, 'disclosures.decide', {
        requestId,
        decision: 'approved',
      });
      expect(approved.ok, JSON.stringify(approved)).toBe(true);
      const run = (backend: Backend, s: Session, fileName: string) =>
        backend.invoke(s, 'disclosures.execute', { requestId, fileName });
      const pair = [
        run(b1, requester.session, `a${round}.csv`),
        run(b2, requesterElsewhere, `b${round}.csv`),
      ];
      const results = await Promise.all(round % 2 ? pair.reverse() : pair);
      expect(
        results.filter((r) => r.ok),
        JSON.stringify(results),
      ).toHaveLength(1);
      const loser = results.find((r) => !r.ok)!;
      expect(!loser.ok && loser.error.code).toBe('CONFLICT');
      const admitted = await db('disclosure_log').where({
        request_id: requestId,
        kind: 'admitted',
      });
      expect(admitted).toHaveLength(1);
      expect(
        (await db('disclosure_requests').where({ id: requestId }).first('status')).status,
      ).toBe('done');
    }
  });

  it('a request left claimed by a crash is approved again at the next start, or done if it completed', async () => {
    const [b1] = await twoBackends();
    const requester = await staffOn(b1, 'compliance_officer');
    const approver = await staffOn(b1, 'compliance_officer');
    const agency = await recipient(requester.session, 'government_agency');
    const account = await customer();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const requestId = await askExigent(b1, requester.session, agency, account);
      await b1.invoke(approver.session, 'disclosures.decide', { requestId, decision: 'approved' });
      ids.push(requestId);
    }
    const done = await b1.invoke(requester.session, 'disclosures.execute', {
      requestId: ids[1]!,
      fileName: 'done.csv',
    });
    expect(done.ok).toBe(true);
    // As a crash would leave them: one claimed before anything was written, one after it completed.
    await db('disclosure_requests').whereIn('id', ids).update({ status: 'executing' });
    const again = await openBackend({
      database: t.database,
      logger: silentLogger,
      exportDir: path.join(t.dir, 'exports'),
      keyDir: t.dir,
      witnessDirs: [path.join(t.dir, 'witness')],
    });
    await again.close();
    const statuses = await db('disclosure_requests')
      .whereIn('id', ids)
      .orderBy('id')
      .pluck('status');
    expect(statuses).toEqual(['approved', 'done']);
  });
});

/** An exigent-circumstances request for one account, waiting for its compliance approval. */
async function askExigent(
  backend: Backend,
  session: Session,
  recipientId: string,
  account: string,
): Promise<string> {
  const asked = await backend.invoke(session, 'disclosures.request', {
    purpose: 'exigent_circumstances',
    recipientId,
    accountIds: [account],
    fields: ['lastName'],
    format: 'csv',
    justification: 'Threat to the customer reported by police.',
  });
  expect(asked.ok, JSON.stringify(asked)).toBe(true);
  return (asked as { value: { requestId: string } }).value.requestId;
}

async function staffName(id: string): Promise<{ username: string }> {
  return db('staff').where({ id }).first('username');
}
