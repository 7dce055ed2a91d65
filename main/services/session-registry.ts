import type { Session, SignedIn } from './session';

/**
 * The live sessions of this process, so that deactivating a staff member, changing their role or
 * resetting their password takes effect at once on every window they have open here.
 */
export class SessionRegistry {
  private readonly sessions = new Set<Session>();
  /**
   * Sessions kept outside this process's memory (the team server's, in the database) end here
   * too, so a deactivation or a password reset signs the member out on every server instance.
   */
  private readonly elsewhere: ((staffId: string) => Promise<unknown>)[] = [];

  onSignOut(end: (staffId: string) => Promise<unknown>): void {
    this.elsewhere.push(end);
  }

  add(session: Session): void {
    this.sessions.add(session);
  }

  remove(session: Session): void {
    this.sessions.delete(session);
  }

  update(staffId: string, change: (signedIn: SignedIn, session: Session) => void): void {
    for (const s of this.sessions) if (s.signedIn?.staffId === staffId) change(s.signedIn, s);
  }

  async signOut(staffId: string): Promise<void> {
    this.update(staffId, (_s, session) => (session.signedIn = null));
    for (const end of this.elsewhere) await end(staffId);
  }
}
