import type { Session, SignedIn } from './session';

/**
 * The live sessions of this process, so that deactivating a staff member, changing their role or
 * resetting their password takes effect at once on every window they have open here.
 */
export class SessionRegistry {
  private readonly sessions = new Set<Session>();

  add(session: Session): void {
    this.sessions.add(session);
  }

  remove(session: Session): void {
    this.sessions.delete(session);
  }

  update(staffId: string, change: (signedIn: SignedIn, session: Session) => void): void {
    for (const s of this.sessions) if (s.signedIn?.staffId === staffId) change(s.signedIn, s);
  }

  signOut(staffId: string): void {
    this.update(staffId, (_s, session) => (session.signedIn = null));
  }
}
