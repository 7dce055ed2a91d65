/** A caller: an Electron window (its webContents id), or a page of the end-to-end harness. */
export type CallerId = number | object;

/**
 * One session per caller, opened on its first call and forgotten when it goes, so that sign-in
 * state never passes from one window to another.
 */
export class Callers<S> {
  private readonly sessions = new Map<CallerId, S>();

  constructor(private readonly open: () => S) {}

  sessionOf(caller: CallerId): S {
    let session = this.sessions.get(caller);
    if (session === undefined) {
      session = this.open();
      this.sessions.set(caller, session);
    }
    return session;
  }

  /** The caller's session if it has one, without opening one. */
  find(caller: CallerId): S | undefined {
    return this.sessions.get(caller);
  }

  /** Forgets a caller; answers its session for the owner to close. */
  take(caller: CallerId): S | undefined {
    const session = this.sessions.get(caller);
    this.sessions.delete(caller);
    return session;
  }

  /** Forgets every caller; answers their sessions. */
  takeAll(): S[] {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    return all;
  }

  get size(): number {
    return this.sessions.size;
  }
}
