import { Badge, Button, Tooltip } from '@mantine/core';
import { IconCloud, IconCloudOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { OfflineStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { useWorkstation } from '../workstation/context';
import { ConflictsDialog } from './ConflictsDialog';

/** How often a team workstation's window asks whether its server answers (sooner when not). */
const POLL_MS = 15_000;
const OFFLINE_POLL_MS = 4_000;

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
  const [choosing, setChoosing] = useState(false);
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
  if (!team || !link) return null;
  const choices = link.conflicts.length;
  return (
    <>
      {choices > 0 && (
        <Button size="xs" color="orange" variant="light" onClick={() => setChoosing(true)}>
          {choices} offline change{choices === 1 ? '' : 's'} to choose for
        </Button>
      )}
      {choosing && (
        <ConflictsDialog
          conflicts={link.conflicts}
          onClose={() => setChoosing(false)}
          onStatus={setLink}
        />
      )}
      <ServerBadge link={link} />
    </>
  );
}

function ServerBadge({ link }: { link: OfflineStatus }) {
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
