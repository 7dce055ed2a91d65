import { Badge, Button, Tooltip } from '@mantine/core';
import { IconCloud, IconCloudOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { OfflineStatus } from '../../../shared/workstation';
import { useSession } from '../session';
import { useOfflineLink } from '../workstation/useOfflineLink';
import { ConflictsDialog } from './ConflictsDialog';

function describe(s: OfflineStatus): string {
  const synced = s.lastSync
    ? `offline copy updated ${new Date(s.lastSync).toLocaleTimeString('en-US')}`
    : s.syncing
      ? 'offline copy being made'
      : 'no offline copy yet';
  const queued =
    s.outbox > 0 ? `; ${s.outbox} change${s.outbox === 1 ? '' : 's'} waiting to be sent` : '';
  const how = s.signedInOffline ? 'Signed in offline; ' : '';
  return `${how}${synced}${queued}${s.problem ? `. ${s.problem}` : ''}`;
}

/**
 * Team mode: whether the server answers, when this workstation's offline copy was last brought
 * up to date, and how many offline changes wait to be sent (issue 16). Nothing in embedded mode.
 */
export function ServerLink() {
  const [link, setLink] = useOfflineLink();
  const [choosing, setChoosing] = useState(false);
  const { lock } = useSession();
  // Signed in offline and the server answers again: the password gets a server session first.
  const reconnect = link?.reconnect ?? false;
  useEffect(() => {
    if (reconnect) lock();
  }, [reconnect, lock]);
  if (!link) return null;
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
