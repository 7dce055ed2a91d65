import { Badge, Tooltip } from '@mantine/core';
import { IconCloud, IconCloudOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { OfflineStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { useWorkstation } from '../workstation/context';

/** How often a team workstation's window asks whether its server answers. */
const POLL_MS = 15_000;

function describe(s: OfflineStatus): string {
  const synced = s.lastSync
    ? `offline copy updated ${new Date(s.lastSync).toLocaleTimeString('en-US')}`
    : s.syncing
      ? 'offline copy being made'
      : 'no offline copy yet';
  const queued =
    s.outbox > 0 ? `; ${s.outbox} change${s.outbox === 1 ? '' : 's'} waiting to be sent` : '';
  return `${synced}${queued}${s.problem ? `. ${s.problem}` : ''}`;
}

/**
 * Team mode: whether the server answers, when this workstation's offline copy was last brought
 * up to date, and how many offline changes wait to be sent (issue 16). Nothing in embedded mode.
 */
export function ServerLink() {
  const { status } = useWorkstation();
  const [link, setLink] = useState<OfflineStatus | null>(status.offline);
  const team = status.mode === 'team';
  useEffect(() => {
    if (!team) return;
    let live = true;
    const ask = () =>
      void callWorkstation('workstation.status', {})
        .then((s) => live && setLink(s.offline))
        .catch(() => undefined);
    ask();
    const timer = setInterval(ask, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [team]);
  if (!team || !link) return null;
  return (
    <Tooltip label={describe(link)} multiline maw={320}>
      <Badge
        data-testid="server-link"
        variant="light"
        color={link.online ? 'teal' : 'orange'}
        size="lg"
        radius="sm"
        leftSection={link.online ? <IconCloud size={14} /> : <IconCloudOff size={14} />}
      >
        {link.online ? 'Online' : 'Offline'}
        {link.outbox > 0 ? ` · ${link.outbox} queued` : ''}
      </Badge>
    </Tooltip>
  );
}
