import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconArrowLeft,
  IconFileTextShield,
  IconFlag,
  IconHistory,
  IconId,
  IconPencil,
  IconSend,
} from '@tabler/icons-react';
import { useState } from 'react';
import { FIELDS, FIELD_CATEGORIES, type FieldKey, type Standing } from '../../../shared/catalogue';
import type { AccountDetail } from '../../../shared/types';
import { canEdit, canRead } from '../../../shared/visibility';
import { useAsk, useChannel } from '../data';
import {
  CATEGORY_LABELS,
  FieldDisplay,
  MaskedValue,
  STANDING_COLORS,
  STANDING_LABELS,
  formatTimestamp,
  isMasked,
} from '../format';
import { useNavigation } from '../navigation';
import { useSession } from '../session';
import { AccountDisclosures } from './AccountDisclosures';
import { AccountHistory } from './AccountHistory';
import { StandingPanel } from '../collections/StandingPanel';

export function accountTitle(detail: AccountDetail): string {
  const name = [detail.fields.firstName, detail.fields.lastName]
    .filter((v) => v !== null && v !== undefined && v !== '')
    .join(' ');
  return name || String(detail.fields.accountNumber ?? 'Account');
}

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
  const { session } = useSession();
  const navigation = useNavigation();
  const ask = useAsk();
  const given = initial && initial.id === id ? initial : null;
  // An account just saved arrives with the view: nothing to read (nor to log) again.
  const read = useChannel('accounts.get', { id }, { enabled: !given });
  /** The account as read again after a change made on one of its tabs. */
  const [changed, setChanged] = useState<AccountDetail | null>(null);
  const detail = (changed?.id === id ? changed : null) ?? given ?? read.data ?? null;
  const error = read.error;
  const [tab, setTab] = useState<string | null>('details');
  const oversight =
    session.user.role === 'compliance_officer' || session.user.role === 'administrator';

  function refresh() {
    ask('accounts.get', { id })
      .then((d) => {
        setChanged(d);
        onChanged?.(d);
      })
      .catch(() => undefined);
  }

  const header = (
    <Group justify="space-between" wrap="nowrap">
      <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onBack} px={6}>
        Back to accounts
      </Button>
      <Group gap="sm">
        {detail && typeof detail.fields.accountNumber === 'string' && (
          <Button
            variant="default"
            leftSection={<IconSend size={16} />}
            onClick={() =>
              navigation.disclose([
                {
                  id: detail.id,
                  accountNumber: String(detail.fields.accountNumber),
                  name: accountTitle(detail),
                  standing:
                    typeof detail.fields.standing === 'string' ? detail.fields.standing : null,
                },
              ])
            }
          >
            Disclose…
          </Button>
        )}
        {detail && Object.values(detail.access).some((a) => a && canEdit(a)) && (
          <Button leftSection={<IconPencil size={16} />} onClick={() => onEdit(detail)}>
            Edit
          </Button>
        )}
      </Group>
    </Group>
  );

  if (error) {
    return (
      <Stack>
        {header}
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {error}
        </Alert>
      </Stack>
    );
  }
  if (!detail) {
    return (
      <Stack>
        {header}
        <Skeleton h={40} w={320} />
        <SimpleGrid cols={2}>
          <Skeleton h={180} />
          <Skeleton h={180} />
        </SimpleGrid>
      </Stack>
    );
  }

  const { access, fields } = detail;
  const readsStanding = access.standing !== undefined && canRead(access.standing);
  const standing = fields.standing;
  const groups = FIELD_CATEGORIES.map((category) => ({
    category,
    keys: FIELDS.filter((f) => f.category === category && f.key in access).map(
      (f): FieldKey => f.key,
    ),
  })).filter((g) => g.keys.length > 0);

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        {header}
        <Paper p="md" withBorder>
          <Group justify="space-between" align="flex-start">
            <div>
              <Group gap="sm">
                <Title order={2} fz="h3" data-testid="account-title">
                  {isMasked(access, 'lastName') ? (
                    <MaskedValue>{accountTitle(detail)}</MaskedValue>
                  ) : (
                    accountTitle(detail)
                  )}
                </Title>
                {typeof fields.accountNumber === 'string' && (
                  <Badge variant="outline" color="gray" radius="sm" size="lg" ff="monospace">
                    {fields.accountNumber}
                  </Badge>
                )}
                {typeof standing === 'string' && !isMasked(access, 'standing') && (
                  <Badge color={STANDING_COLORS[standing as Standing] ?? 'gray'} variant="light">
                    {STANDING_LABELS[standing as Standing] ?? standing}
                  </Badge>
                )}
              </Group>
              <Text size="sm" c="dimmed" mt={6} data-testid="account-meta">
                Created {formatTimestamp(detail.createdAt)} · Updated{' '}
                {formatTimestamp(detail.updatedAt)} · Version {detail.version}
              </Text>
            </div>
          </Group>
        </Paper>
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
            <SimpleGrid
              cols={{ base: 1, md: 2, xl: 3 }}
              spacing="md"
              style={{ alignItems: 'start' }}
            >
              {groups.map((group) => (
                <Paper key={group.category} p="md" withBorder>
                  <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="sm" lts={0.4}>
                    {CATEGORY_LABELS[group.category]}
                  </Title>
                  <dl className="detail-grid" aria-label={CATEGORY_LABELS[group.category]}>
                    {group.keys.map((key) => {
                      const def = FIELDS.find((f) => f.key === key)!;
                      return (
                        <div key={key} style={{ display: 'contents' }}>
                          <dt id={`label-${key}`}>{def.label}</dt>
                          <dd aria-labelledby={`label-${key}`} data-field={key}>
                            <FieldDisplay fieldKey={key} fields={fields} access={access} />
                          </dd>
                        </div>
                      );
                    })}
                  </dl>
                </Paper>
              ))}
            </SimpleGrid>
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <AccountHistory id={detail.id} currency={fields.currency} />
          </Tabs.Panel>
          {readsStanding && (
            <Tabs.Panel value="standing" pt="md">
              <StandingPanel detail={detail} onChanged={refresh} />
            </Tabs.Panel>
          )}
          {oversight && (
            <Tabs.Panel value="disclosures" pt="md">
              <AccountDisclosures
                id={detail.id}
                accountNumber={
                  typeof fields.accountNumber === 'string' ? fields.accountNumber : null
                }
              />
            </Tabs.Panel>
          )}
        </Tabs>
      </Stack>
    </div>
  );
}
