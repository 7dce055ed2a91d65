import { Badge, Button, Tooltip } from '@mantine/core';
import { IconCloud, IconCloudOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { OfflineStatus } from '../../../shared/workstation';
import { useSession } from '../session';
import { useOfflineLink } from '../workstation/useOfflineLink';
import { ConflictsDialog } from './ConflictsDialog';

const count = (n: number) => n.toLocaleString('en-US');

/** A sync under way, as far as it has come: "offline copy being made: 12,000 of 100,000". */
function filling(s: OfflineStatus): string | null {
  if (!s.fill) return s.syncing ? 'offline copy being brought up to date' : null;
  const { pulled, remaining } = s.fill;
  const made = s.lastSync ? 'offline copy being brought up to date' : 'offline copy being made';
  return `${made}: ${count(pulled)} of ${count(pulled + remaining)} accounts`;
}

/** A first fill's share done, for the badge (null: no first fill under way). */
function fillPercent(s: OfflineStatus): number | null {
  if (!s.fill || s.lastSync) return null;
  const total = s.fill.pulled + s.fill.remaining;
  return total > 0 ? Math.floor((100 * s.fill.pulled) / total) : null;
}

function describe(s: OfflineStatus): string {
  const synced =
    filling(s) ??
    (s.lastSync
      ? `offline copy updated ${new Date(s.lastSync).toLocaleTimeString('en-US')}`
      : 'no offline copy yet');
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
        {fillPercent(link) !== null ? ` · copying ${fillPercent(link)}%` : ''}
      </Badge>
    </Tooltip>
  );
}
