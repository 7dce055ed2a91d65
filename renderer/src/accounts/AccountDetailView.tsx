import { Alert, SimpleGrid, Skeleton, Stack, Tabs } from '@mantine/core';
import {
  IconAlertCircle,
  IconFileTextShield,
  IconFlag,
  IconHistory,
  IconId,
} from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { AccountDetail } from '../../../shared/types';
import { canRead } from '../../../shared/visibility';
import { StandingPanel } from '../collections/StandingPanel';
import { useAsk, useChannel } from '../data';
import { useScreenKeys } from '../palette/useScreenKeys';
import { useSession } from '../session';
import { AccountActions } from './AccountActions';
import { AccountDisclosures } from './AccountDisclosures';
import { AccountFields } from './AccountFields';
import { AccountHistory } from './AccountHistory';
import { AccountSummary } from './AccountSummary';

/** One account, every field the role can see, grouped by category; hidden fields are absent. */
export function AccountDetailView({
  id,
  initial,
  onBack,
  onEdit,
  onChanged,
}: {
  id: string;
  initial?: AccountDetail | undefined;
  onBack(): void;
  onEdit(detail: AccountDetail): void;
  /** The account was changed here (its standing): the list can refresh its row. */
  onChanged?(detail: AccountDetail): void;
}) {
  const ask = useAsk();
  const given = initial && initial.id === id ? initial : null;
  // An account just saved arrives with the view: nothing to read (nor to log) again.
  const read = useChannel('accounts.get', { id }, { enabled: !given });
  /** The account as read again after a change made on one of its tabs. */
  const [changed, setChanged] = useState<AccountDetail | null>(null);
  const detail = (changed?.id === id ? changed : null) ?? given ?? read.data ?? null;
  const rootRef = useRef<HTMLDivElement>(null);
  useScreenKeys(rootRef, { back: onBack });

  function refresh() {
    ask('accounts.get', { id })
      .then((d) => {
        setChanged(d);
        onChanged?.(d);
      })
      .catch(() => undefined);
  }

  const actions = <AccountActions detail={detail} onBack={onBack} onEdit={onEdit} />;
  if (read.error) {
    return (
      <Stack ref={rootRef}>
        {actions}
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {read.error}
        </Alert>
      </Stack>
    );
  }
  if (!detail) {
    return (
      <Stack ref={rootRef}>
        {actions}
        <Skeleton h={40} w={320} />
        <SimpleGrid cols={2}>
          <Skeleton h={180} />
          <Skeleton h={180} />
        </SimpleGrid>
      </Stack>
    );
  }
  return (
    <div className="section-scroll" ref={rootRef}>
      <Stack gap="md" pb="lg">
        {actions}
        <AccountSummary detail={detail} />
        <AccountTabs detail={detail} onChanged={refresh} />
      </Stack>
    </div>
  );
}

/** Details, History, and Standing and Disclosures for the roles that may read them. */
function AccountTabs({ detail, onChanged }: { detail: AccountDetail; onChanged(): void }) {
  const { session } = useSession();
  const [tab, setTab] = useState<string | null>('details');
  const { access, fields } = detail;
  const readsStanding = access.standing !== undefined && canRead(access.standing);
  const oversight =
    session.user.role === 'compliance_officer' || session.user.role === 'administrator';
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="details" leftSection={<IconId size={16} />}>
          Details
        </Tabs.Tab>
        <Tabs.Tab value="history" leftSection={<IconHistory size={16} />}>
          History
        </Tabs.Tab>
        {readsStanding && (
          <Tabs.Tab value="standing" leftSection={<IconFlag size={16} />}>
            Standing
          </Tabs.Tab>
        )}
        {oversight && (
          <Tabs.Tab value="disclosures" leftSection={<IconFileTextShield size={16} />}>
            Disclosures
          </Tabs.Tab>
        )}
      </Tabs.List>
      <Tabs.Panel value="details" pt="md">
        <AccountFields detail={detail} />
      </Tabs.Panel>
      <Tabs.Panel value="history" pt="md">
        <AccountHistory id={detail.id} currency={fields.currency} />
      </Tabs.Panel>
      {readsStanding && (
        <Tabs.Panel value="standing" pt="md">
          <StandingPanel detail={detail} onChanged={onChanged} />
        </Tabs.Panel>
      )}
      {oversight && (
        <Tabs.Panel value="disclosures" pt="md">
          <AccountDisclosures
            id={detail.id}
            accountNumber={typeof fields.accountNumber === 'string' ? fields.accountNumber : null}
          />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}
