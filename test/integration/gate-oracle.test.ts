/**
 * The disclosure gate is no oracle (issue 12, section 2): whatever a requester asks for, the
 * answer (refused, pending or completed, with its reasons and its record) is the same for two
 * sets of accounts that differ only in facts the requester's role may not read. Roles, purposes
 * and facts are enumerated, so a new purpose or condition is covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openTestBackend, type TestBackend } from '../support/backend';
import { fixtureWriter } from '../support/fixtures';
import { signedInAs } from '../support/staff';
import type { Session } from '../../main/services/session';
import type { FieldKey } from '../../shared/catalogue';
import {
  DEFAULT_FIELDS,
  PURPOSES,
  PURPOSE_RULES,
  RECIPIENT_TYPES,
  type Purpose,
  type RecipientType,
} from '../../shared/disclosure';
import type { Output } from '../../shared/contract';
import { ROLES, type Role } from '../../shared/roles';
import { canRead, type AccessMap } from '../../shared/visibility';

/** One account's facts that a per-account condition can read. */
interface Facts {
  fraud: 'none' | 'suspected';
  standing: 'good' | 'bad_standing';
  hold: boolean;
}
const WORLDS: Facts[] = [];
for (const fraud of ['none', 'suspected'] as const)
  for (const standing of ['good', 'bad_standing'] as const)
    for (const hold of [false, true]) WORLDS.push({ fraud, standing, hold });

/** The facts a role may not read, given its access: they must not change any answer. */
function hiddenFacts(access: AccessMap): (keyof Facts)[] {
  const hidden: (keyof Facts)[] = [];
  if (!canRead(access.fraudFlag)) hidden.push('fraud');
  // Collection holds are shown with standing (holds.list needs read access to standing).
  if (!canRead(access.standing)) hidden.push('standing', 'hold');
  return hidden;
}

let t: TestBackend;
let admin: Session;
const sessions = new Map<Role, Session>();
const recipients = new Map<RecipientType, string>();
/** Account ids per world, two accounts each (so lists of one and of two are both asked). */
const accounts = new Map<string, { id: string; number: string }[]>();
let fileNo = 0;

const key = (f: Facts) => `${f.fraud}/${f.standing}/${f.hold}`;

beforeAll(async () => {
  t = await openTestBackend();
  admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  for (const role of ROLES)
    sessions.set(role, role === 'administrator' ? admin : await signedInAs(t, role));
  const compliance = sessions.get('compliance_officer')!;
  for (const type of RECIPIENT_TYPES) {
    const r = await t.call(compliance, 'recipients.create', {
      name: `Oracle ${type}`,
      type,
      contact: '1 Example Street, Springfield',
    });
    recipients.set(type, r.id);
  }
  const me = (await t.call(admin, 'staff.list', {}))[0]!;
  const write = fixtureWriter(t, me.id);
  const collections = sessions.get('collections_agent')!;
  for (const w of WORLDS) {
    const pair = [];
    for (let i = 0; i < 2; i++) {
      const a = await write.create({
        lastName: `World${WORLDS.indexOf(w)}x${i}`,
        fraudFlag: w.fraud,
        standing: w.standing,
        daysPastDue: w.standing === 'good' ? 0 : 120,
        balanceCents: 5000,
        currency: 'USD',
      });
      if (w.hold) {
        await t.call(collections, 'holds.set', {
          accountId: a.id,
          kind: 'bankruptcy',
          since: '2025-01-01',
          note: 'Chapter 7 filing seen',
        });
      }
      pair.push({ id: a.id, number: a.accountNumber });
    }
    accounts.set(key(w), pair);
  }
});
afterAll(async () => t?.close());

/** The answer with account numbers, ids, times and hashes taken out: what may differ by chance. */
function shape(o: Output<'disclosures.request'>, numbers: readonly string[]): unknown {
  const scrub = (text: string | null | undefined) => {
    let s = text ?? '';
    for (const n of numbers) s = s.split(n).join('#');
    return s;
  };
  return {
    status: o.status,
    reasons: o.reasons.map(scrub),
    waitingFor: o.waitingFor,
    refusal: scrub(o.record?.refusal),
    rowCount: o.record?.rowCount ?? null,
    fields: o.record?.fields ?? null,
    purpose: o.record?.purpose ?? null,
  };
}

async function ask(role: Role, purpose: Purpose, world: Facts, count: 1 | 2) {
  const access = await t.backend.services.visibility.accessFor(role);
  const picked = accounts.get(key(world))!.slice(0, count);
  const readable = DEFAULT_FIELDS[purpose].filter((f: FieldKey) => canRead(access[f]));
  const out = await t.call(sessions.get(role)!, 'disclosures.request', {
    recipientId: recipients.get(PURPOSE_RULES[purpose].recipientTypes[0]!)!,
    purpose,
    accountIds: picked.map((a) => a.id),
    fields: readable.length > 0 ? readable : ['accountNumber'],
    format: 'csv',
    fileName: `oracle-${++fileNo}.csv`,
    legal: {
      instrumentType: 'subpoena',
      reference: 'SUB-2026-0042',
      authority: 'District Court',
      date: '2026-01-05',
    },
    justification: 'A customer reported a threat to staff safety at the branch.',
  });
  return shape(
    out,
    picked.map((a) => a.number),
  );
}

/** For every role and purpose: flipping any fact the role cannot read changes nothing. */
async function checkAllRoles(): Promise<{ compared: number; blindPairs: number }> {
  let compared = 0;
  let blindPairs = 0;
  for (const role of ROLES) {
    const hidden = hiddenFacts(await t.backend.services.visibility.accessFor(role));
    for (const purpose of PURPOSES.filter((p) => p !== 'business_transfer')) {
      for (const fact of hidden) {
        for (const w of WORLDS) {
          const flipped = { ...w, [fact]: flipFact(fact, w) } as Facts;
          if (key(flipped) < key(w)) continue; // each pair once
          for (const count of [1, 2] as const) {
            const a = await ask(role, purpose, w, count);
            const b = await ask(role, purpose, flipped, count);
            expect(b, `${role} asking ${purpose}: ${fact} ${key(w)} vs ${key(flipped)}`).toEqual(a);
            compared++;
          }
          blindPairs++;
        }
      }
    }
  }
  return { compared, blindPairs };
}

function flipFact(fact: keyof Facts, w: Facts): Facts[keyof Facts] {
  if (fact === 'fraud') return w.fraud === 'none' ? 'suspected' : 'none';
  if (fact === 'standing') return w.standing === 'good' ? 'bad_standing' : 'good';
  return !w.hold;
}

describe('the disclosure gate answers no question the requester may not ask', () => {
  it('the same answer whatever a hidden fraud flag says, for every role and purpose', async () => {
    const { compared } = await checkAllRoles();
    // Four of the six default roles cannot read the fraud flag.
    expect(compared).toBeGreaterThanOrEqual(4 * 4 * 4 * 2);
  });

  it('the comparison is sensitive: a role that reads the fact gets different answers', async () => {
    // A fraud analyst reads the fraud flag: flagged and unflagged accounts must differ, or the
    // test above would pass whatever the gate did.
    const clean = { fraud: 'none', standing: 'bad_standing', hold: false } as const;
    const flagged = { ...clean, fraud: 'suspected' } as const;
    const a = await ask('fraud_analyst', 'fraud_prevention', clean, 1);
    const b = await ask('fraud_analyst', 'fraud_prevention', flagged, 1);
    expect(a).not.toEqual(b);
    expect((a as { status: string }).status).toBe('refused');
    expect((b as { status: string }).status).toBe('completed');
  });

  it('a role that cannot read the fraud flag is refused fraud prevention, for a reason about its role', async () => {
    const flagged = { fraud: 'suspected', standing: 'good', hold: false } as const;
    for (const role of ['support_agent', 'billing_specialist', 'collections_agent'] as const) {
      const answer = (await ask(role, 'fraud_prevention', flagged, 2)) as {
        status: string;
        reasons: string[];
      };
      expect(answer.status).toBe('refused');
      expect(answer.reasons.join('\n')).toMatch(/may not read fraud flag/);
      expect(answer.reasons.join('\n')).not.toMatch(/suspected|reported|no suspected/);
    }
  });

  it('with standing hidden from a role by a matrix change, standing and holds tell it nothing either', async () => {
    const changes = (['support_agent', 'collections_agent'] as const).map((role) => ({
      role,
      field: 'standing' as const,
      access: 'hidden' as const,
    }));
    await t.call(admin, 'visibility.update', {
      changes,
      reason: 'Oracle test: standing hidden from two roles',
    });
    try {
      const { compared } = await checkAllRoles();
      expect(compared).toBeGreaterThan(0);
      const held = { fraud: 'none', standing: 'bad_standing', hold: true } as const;
      const answer = (await ask('collections_agent', 'debt_collection', held, 1)) as {
        reasons: string[];
      };
      expect(answer.reasons.join('\n')).toMatch(/may not read standing/);
      expect(answer.reasons.join('\n')).not.toMatch(/bankruptcy|hold|bad standing/);
    } finally {
      await t.call(admin, 'visibility.update', {
        changes: changes.map((c) => ({ ...c, access: 'read' as const })),
        reason: 'Oracle test: standing readable again',
      });
    }
  });

  it('the refusal the requester never sees in full is still named in the record for compliance', async () => {
    const compliance = sessions.get('compliance_officer')!;
    const flagged = { fraud: 'suspected', standing: 'good', hold: false } as const;
    await ask('support_agent', 'fraud_prevention', flagged, 1);
    const log = await t.call(compliance, 'disclosures.log', { purpose: 'fraud_prevention' });
    const last = log.records[0]!;
    expect(last.status).toBe('refused');
    expect(last.refusal).toMatch(/may not read fraud flag/);
    expect(last.accountIds).toEqual([accounts.get(key(flagged))![0]!.id]);
  });
});
