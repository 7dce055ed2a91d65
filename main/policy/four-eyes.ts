import { COOLING_PERIOD_DAYS, COOLING_PERIOD_MS, type LineageEvent } from '../../shared/four-eyes';

/** A staff event that put an account in someone's hands (shared/four-eyes.ts). */
export interface StaffLineageEvent {
  /** The account the event was about. */
  staffId: string;
  /** Who did it; null for first-run set-up and the command line. */
  actorId: string | null;
  actorName: string | null;
  event: LineageEvent;
  at: string;
}

/** Another person on the same decision, and how a sentence names them ("its requester"). */
export interface Party {
  staffId: string;
  name: string;
  as: string;
}

export type Taint =
  /** `other` did `event` to the subject's account. */
  | { kind: 'touched_by'; other: Party; event: LineageEvent; at: string }
  /** The subject did `event` to `other`'s account. */
  | { kind: 'touched'; other: Party; event: LineageEvent; at: string }
  /** Someone did `event` to the subject's account within the cooling period. */
  | { kind: 'cooling'; event: LineageEvent; actorName: string | null; at: string; until: string };

/**
 * Whether `subject` counts as a person separate from every one of `others` (DESIGN.md section 4):
 * neither may ever have created, re-roled, reactivated or reset the other's account, or asked
 * for its privileged role. With `coolingAt`, the subject's account must also have had none of
 * those done to it, by anyone, within the cooling period before that moment. Events without an
 * actor (first-run set-up, the command line, whose user holds the database itself) start no
 * cooling period, except a privileged role taking effect, which always does.
 */
export function findTaint(
  subjectId: string,
  others: readonly Party[],
  events: readonly StaffLineageEvent[],
  coolingAt: Date | null,
): Taint | null {
  for (const other of others) {
    const by = events.find((e) => e.staffId === subjectId && e.actorId === other.staffId);
    if (by) return { kind: 'touched_by', other, event: by.event, at: by.at };
    const did = events.find((e) => e.staffId === other.staffId && e.actorId === subjectId);
    if (did) return { kind: 'touched', other, event: did.event, at: did.at };
  }
  if (!coolingAt) return null;
  const since = coolingAt.getTime() - COOLING_PERIOD_MS;
  const recent = events
    .filter(
      (e) =>
        e.staffId === subjectId &&
        (e.actorId !== null || e.event === 'role_granted') &&
        Date.parse(e.at) > since,
    )
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!recent) return null;
  const until = new Date(Date.parse(recent.at) + COOLING_PERIOD_MS).toISOString();
  return {
    kind: 'cooling',
    event: recent.event,
    actorName: recent.actorName,
    at: recent.at,
    until,
  };
}

const DONE_TO: Record<LineageEvent, string> = {
  created: 'was created by',
  role_changed: 'had its role changed by',
  role_granted: 'was given its role at the request of',
  reactivated: 'was reactivated by',
  password_reset: 'had its password reset by',
};

const DID: Record<LineageEvent, string> = {
  created: 'created',
  role_changed: 'changed the role of',
  role_granted: 'asked for the role of',
  reactivated: 'reactivated',
  password_reset: 'reset the password of',
};

const day = (iso: string) => iso.slice(0, 10);
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * The taint in plain words, about "you" (the person deciding) or a named approver (when an
 * earlier approval is looked at again), e.g. "your account was created by its requester
 * (Jane Admin) on 2026-11-02".
 */
export function describeTaint(t: Taint, subject: { you: true } | { name: string }): string {
  const whose = 'you' in subject ? 'your account' : `the account of ${subject.name}`;
  const who = 'you' in subject ? 'you' : subject.name;
  switch (t.kind) {
    case 'touched_by':
      return `${whose} ${DONE_TO[t.event]} ${t.other.as} (${t.other.name}) on ${day(t.at)}`;
    case 'touched':
      return `${who} ${DID[t.event]} the account of ${t.other.as} (${t.other.name}) on ${day(t.at)}`;
    case 'cooling':
      return `${whose} ${DONE_TO[t.event]} ${t.actorName ?? 'the command line'} on ${minute(t.at)}, less than ${COOLING_PERIOD_DAYS} days ago; an account someone created, re-roled, reactivated or reset approves nothing for ${COOLING_PERIOD_DAYS} days (until ${minute(t.until)})`;
  }
}

/** The end of every refusal: what a second person must be. */
export const SECOND_PERSON_RULE =
  'a second person must be someone the others on it did not create, re-role, reactivate or reset, and whose account nobody changed that way in the last ' +
  `${COOLING_PERIOD_DAYS} days.`;
