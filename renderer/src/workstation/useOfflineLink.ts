import { useEffect, useState } from 'react';
import type { OfflineStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { useWorkstation } from './context';

/** How often a team workstation's window asks whether its server answers (sooner when not). */
const POLL_MS = 15_000;
const OFFLINE_POLL_MS = 4_000;

/**
 * Team mode: this window's link to the server and its offline copy (issue 16), asked for again
 * every few seconds; each ask is also what makes an offline window try the server again. Null in
 * embedded mode, or while the window has no offline copy.
 */
export function useOfflineLink(): [OfflineStatus | null, (link: OfflineStatus | null) => void] {
  const { status } = useWorkstation();
  const [link, setLink] = useState<OfflineStatus | null>(status.offline);
  const team = status.mode === 'team';
  const online = link?.online ?? true;
  useEffect(() => {
    if (!team) return;
    let live = true;
    const ask = () =>
      void callWorkstation('workstation.status', {})
        .then((s) => live && setLink(s.offline))
        .catch(() => undefined);
    ask();
    const timer = setInterval(ask, online ? POLL_MS : OFFLINE_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [team, online]);
  return [team ? link : null, setLink];
}
