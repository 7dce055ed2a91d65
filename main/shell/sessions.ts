/**
 * One backend Session per window (per webContents id), opened on the window's first call and
 * dropped when the window is destroyed, so sign-in state never leaks from one window to another.
 */
export class SessionRegistry<S> {
  private readonly sessions = new Map<number, S>();

  constructor(private readonly open: () => S) {}

  /** The Session of a webContents; `isNew` tells the caller to watch for its destruction. */
  sessionFor(webContentsId: number): { session: S; isNew: boolean } {
    const existing = this.sessions.get(webContentsId);
    if (existing !== undefined) return { session: existing, isNew: false };
    const session = this.open();
    this.sessions.set(webContentsId, session);
    return { session, isNew: true };
  }

  drop(webContentsId: number): void {
    this.sessions.delete(webContentsId);
  }

  get size(): number {
    return this.sessions.size;
  }
}
