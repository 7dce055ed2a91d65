import { describe, expect, it } from 'vitest';
import { COOLING_PERIOD_DAYS, LINEAGE_EVENTS } from '../../shared/four-eyes';
import { describeTaint, findTaint, type StaffLineageEvent } from '../../main/policy/four-eyes';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-12-10T12:00:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const requester = { staffId: 'R', name: 'Jane Admin', as: 'its requester' };
const ev = (
  staffId: string,
  actorId: string | null,
  event: StaffLineageEvent['event'],
  at: string,
): StaffLineageEvent => ({
  staffId,
  actorId,
  actorName: actorId ? `name of ${actorId}` : null,
  event,
  at,
});

describe('findTaint: the four-eyes rule on its own', () => {
  it.each(LINEAGE_EVENTS)(
    '%s by the requester taints the approver for ever, both ways',
    (event) => {
      const byRequester = [ev('A', 'R', event, ago(400))];
      expect(findTaint('A', [requester], byRequester, NOW)).toMatchObject({
        kind: 'touched_by',
        event,
      });
      const ofRequester = [ev('R', 'A', event, ago(400))];
      expect(findTaint('A', [requester], ofRequester, NOW)).toMatchObject({
        kind: 'touched',
        event,
      });
      // Between two other people it says nothing about A.
      expect(findTaint('A', [requester], [ev('B', 'R', event, ago(400))], NOW)).toBeNull();
    },
  );

  it(`the cooling period is ${COOLING_PERIOD_DAYS} days, by anyone, measured from the latest event`, () => {
    const at = (days: number) => [ev('A', 'X', 'password_reset', ago(days))];
    expect(findTaint('A', [requester], at(COOLING_PERIOD_DAYS - 0.001), NOW)?.kind).toBe('cooling');
    expect(findTaint('A', [requester], at(COOLING_PERIOD_DAYS), NOW)).toBeNull();
    expect(findTaint('A', [requester], at(30), NOW)).toBeNull();
    const both = [ev('A', 'X', 'created', ago(30)), ev('A', 'Y', 'role_changed', ago(1))];
    expect(findTaint('A', [requester], both, NOW)).toMatchObject({
      kind: 'cooling',
      event: 'role_changed',
    });
    // Without a moment (when an earlier approval is looked at again), no cooling.
    expect(findTaint('A', [requester], at(1), null)).toBeNull();
  });

  it('events without an actor start no cooling period, except a privileged role taking effect', () => {
    for (const event of LINEAGE_EVENTS.filter((e) => e !== 'role_granted')) {
      expect(findTaint('A', [requester], [ev('A', null, event, ago(1))], NOW)).toBeNull();
    }
    expect(findTaint('A', [requester], [ev('A', null, 'role_granted', ago(1))], NOW)).toMatchObject(
      {
        kind: 'cooling',
      },
    );
  });

  it('lineage outranks cooling, and the sentences name who and when', () => {
    const events = [
      ev('A', 'X', 'password_reset', ago(1)),
      ev('A', 'R', 'created', '2026-11-02T10:00:00.000Z'),
    ];
    const t = findTaint('A', [requester], events, NOW)!;
    expect(describeTaint(t, { you: true })).toBe(
      'your account was created by its requester (Jane Admin) on 2026-11-02',
    );
    expect(describeTaint(t, { name: 'Carl Comp' })).toBe(
      'the account of Carl Comp was created by its requester (Jane Admin) on 2026-11-02',
    );
    const cooling = findTaint('A', [requester], [ev('A', null, 'role_granted', ago(2))], NOW)!;
    expect(describeTaint(cooling, { you: true })).toBe(
      'your account was given its role at the request of the command line on 2026-12-08 12:00 UTC, less than 7 days ago; an account someone created, re-roled, reactivated or reset approves nothing for 7 days (until 2026-12-15 12:00 UTC)',
    );
  });
});
