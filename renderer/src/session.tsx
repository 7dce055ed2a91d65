import { createContext, useContext } from 'react';
import type { SessionInfo } from '../../shared/types';

export interface SessionContextValue {
  session: SessionInfo;
  appVersion: string;
  /** Replaces the session info (after unlock, or when settings change). */
  updateSession(next: SessionInfo): void;
  /** Locks the console now (Lock button, idle timer). */
  lock(): void;
  signOut(): Promise<void>;
  /** Increases each time the console is unlocked, so a view can retry what the lock refused. */
  unlockCount: number;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}
